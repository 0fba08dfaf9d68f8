/**
 * A json/jsonb value as read back: node-postgres parses it, the embedded database may hand it
 * over as text. Either way the caller gets the value.
 */
export function jsonColumn<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
