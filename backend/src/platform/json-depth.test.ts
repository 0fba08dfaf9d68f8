import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpError } from './http-errors.ts';
import { assertNestingDepth, MAX_JSON_DEPTH, nestingDepth } from './json-depth.ts';

/** The reference: depth by recursion over the parsed value (fine for the shallow values below). */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (value !== null && typeof value === 'object')
    return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('nesting depth read from the raw body', () => {
  it('agrees with the parsed value, brackets and quotes inside strings included', () => {
    const text = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', 'é', '😀') });
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 8, stringUnit: fc.constantFrom('[', '{', '"', '\\', 'x') }),
        (value) => {
          expect(nestingDepth(bytes(JSON.stringify(value)))).toBe(depthOf(value));
        },
      ),
    );
    fc.assert(
      fc.property(text, (s) => {
        expect(nestingDepth(bytes(JSON.stringify({ s })))).toBe(1);
      }),
    );
  });

  it('refuses past the limit with a 400 and stops reading there', () => {
    const deep = bytes(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(nestingDepth(deep, MAX_JSON_DEPTH)).toBe(MAX_JSON_DEPTH + 1);
    expect(() => assertNestingDepth(deep)).toThrow(HttpError);
    expect(() =>
      assertNestingDepth(bytes(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`)),
    ).not.toThrow();
  });
});
