// sortByLine: nodes by line, ties in the order given, whichever way it sorts (one exact number
// per entry, or a comparator's sort past its limits).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortByLine } from '../../src/chain/chains.js';

const lines = fc.array(fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 5_000_000 })), {
  maxLength: 300,
});

describe('sortByLine', () => {
  it('orders nodes by line, ties as given, as a stable sort would (property)', () => {
    fc.assert(
      fc.property(lines, fc.integer({ min: 0, max: 1000 }), (lineOfNode, shift) => {
        // node numbers in a shuffled order, so "as given" is not node order
        const given = lineOfNode.map((_, i) => (i * 7 + shift) % lineOfNode.length);
        const unique = [...new Set(given)];
        const lineOf = (n: number) => lineOfNode[n]!;
        const model = [...unique].sort((a, b) => lineOf(a) - lineOf(b));
        const fast = Int32Array.from(unique);
        const fallback = Int32Array.from(unique);
        sortByLine(fast, lineOf);
        sortByLine(fallback, lineOf, 1, 1);
        expect([...fast]).toEqual(model);
        expect([...fallback]).toEqual(model);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the order given among nodes on one line', () => {
    const nodes = Int32Array.from([5, 3, 9, 1]);
    sortByLine(nodes, (n) => (n === 1 ? 0 : 7));
    expect([...nodes]).toEqual([1, 5, 3, 9]);
  });
});
