// KeyIndex (src/core/key-index.ts): numbers by key in two sorted columns; a string key's lookup
// gives every number of the keys that share its hash, a number key's exactly its own.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashKey, KeyIndex } from '../../src/core/key-index.js';

describe('KeyIndex', () => {
  it('gives the numbers of a key in ascending order, with those of keys sharing its hash', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('req-a', 'req-b', 'req-cc', 'x', '', 'req-ddd'), fc.nat(1000)), {
          maxLength: 300,
        }),
        fc.constantFrom(hashKey, (k: string) => k.length % 3),
        (pairs, hash) => {
          const index = new KeyIndex(hash);
          const byKey = new Map<string, number[]>();
          for (const [k, v] of pairs) {
            index.add(k, v);
            byKey.set(k, [...(byKey.get(k) ?? []), v]);
          }
          expect(index.size).toBe(pairs.length);
          for (const key of ['req-a', 'req-b', 'req-cc', 'x', '', 'req-ddd', 'none']) {
            const expected = pairs.filter(([k]) => hash(k) === hash(key)).map(([, v]) => v);
            expect(index.get(key)).toEqual(expected.sort((a, b) => a - b));
            // its own numbers are all there
            for (const v of byKey.get(key) ?? []) expect(index.get(key)).toContain(v);
          }
        },
      ),
    );
  });

  it('a number key gives exactly its own numbers, across a grown index', () => {
    const index = new KeyIndex();
    for (let v = 0; v < 50_000; v++) index.add(v % 997, v);
    const got = index.get(5);
    expect(got).toHaveLength(Math.ceil((50_000 - 5) / 997));
    expect(got.every((v) => v % 997 === 5)).toBe(true);
    expect(got).toEqual([...got].sort((a, b) => a - b));
    expect(index.get(997)).toEqual([]);
    index.clear();
    expect(index.size).toBe(0);
    expect(() => index.add(1, 1)).toThrow(/after the first lookup/);
  });
});
