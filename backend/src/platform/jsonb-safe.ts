/**
 * PostgreSQL's `jsonb` refuses a NUL character (`\u0000`) and a lone UTF-16 surrogate inside a
 * string, although both are valid JSON. Stored payloads replace them with U+FFFD, so a signed
 * delivery that carries one is stored (and processed) instead of failing with a 500.
 */
export function jsonbSafe<T>(value: T): T {
  if (typeof value === 'string') return safeString(value) as T;
  if (Array.isArray(value)) return value.map(jsonbSafe) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [safeString(key), jsonbSafe(inner)]),
    ) as T;
  }
  return value;
}

// eslint-disable-next-line no-control-regex -- the NUL character is what this removes
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function safeString(text: string): string {
  return text.replace(UNSAFE, '\uFFFD');
}
