// SpanStarts: the start of the span added last for an input's line, whichever way it sorts
// (one exact number per entry, or a comparator's sort past its limits).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpanStarts } from '../../src/chain/chains.js';

const entry = fc.record({
  source: fc.constantFrom('nova-api.log', 'nova-compute.log', 'a:b.log'),
  line: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 5_000_000 })),
  startMs: fc.option(fc.double({ min: 0, max: 2e12, noNaN: true })),
});

describe('SpanStarts', () => {
  it('finds the last span added on each line, in every input, as a map would (property)', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 300 }), (entries) => {
        const model = new Map<string, number | null>();
        const fast = new SpanStarts();
        const fallback = new SpanStarts(1, 1);
        for (const e of entries) {
          model.set(`line:${e.source}:${e.line}`, e.startMs);
          fast.add(e.source, e.line, e.startMs);
          fallback.add(e.source, e.line, e.startMs);
        }
        const [a, b] = [fast.sealed(), fallback.sealed()];
        for (const [node, startMs] of model) {
          expect(a.get(node)).toBe(startMs);
          expect(b.get(node)).toBe(startMs);
        }
        // a line no span starts on, an input never added, a node that is no line
        expect(a.get('line:nova-api.log:0')).toBeUndefined();
        expect(a.get('line:other.log:1')).toBeUndefined();
        expect(a.get('req-1')).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});
