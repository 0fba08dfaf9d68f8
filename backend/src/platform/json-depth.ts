import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-errors.ts';

/**
 * How deeply a request body may nest arrays and objects. Nothing HubSpot or Dialer.io sends nests
 * past 6; walks over a parsed body (`jsonbSafe`, zod, logging) recurse once per level, and ~200 KB
 * of `[` once ended in `RangeError: Maximum call stack size exceeded` (a 500).
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * The deepest nesting of `[`/`{` outside strings, read from the raw bytes in one pass (no parse,
 * no recursion), stopping as soon as it passes `limit`. UTF-8 continuation bytes never equal an
 * ASCII byte, so multi-byte characters cannot be mistaken for brackets or quotes.
 */
export function nestingDepth(bytes: Uint8Array, limit = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) {
      depth--;
    }
  }
  return deepest;
}

/** Refuses (400 `too_deeply_nested`) a body nested deeper than `MAX_JSON_DEPTH`. */
export function assertNestingDepth(bytes: Uint8Array, limit = MAX_JSON_DEPTH): void {
  if (nestingDepth(bytes, limit) > limit)
    throw new HttpError(
      400,
      'too_deeply_nested',
      `The request body nests arrays and objects more than ${limit} levels deep.`,
    );
}

/**
 * The `verify` option of every body parser (express.json, express.raw): checks the depth before
 * the body is parsed and keeps the raw bytes for the signature check.
 */
export function verifyBody(req: IncomingMessage, _res: unknown, buffer: Buffer): void {
  assertNestingDepth(buffer);
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = buffer;
}
