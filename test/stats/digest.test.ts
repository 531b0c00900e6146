// Digest: exact below its limit (the same numbers as summarize), within 1% above it,
// min, max and total always exact.
import { quantileSorted, sum } from 'd3-array';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Digest } from '../../src/stats/digest.js';
import { summarize } from '../../src/stats/summary.js';
import { startWatchdog } from '../watchdog.js';

// random inputs: a loop that never ends must fail this file, not hang the run
startWatchdog(import.meta.url);

describe('Digest', () => {
  it('is exact up to its limit', () => {
    const values = [12.5, 3, 800.25, 41, 41, 7.75, 0, 1500];
    const d = new Digest(100);
    for (const v of values) d.add(v);
    expect(d.approximate).toBe(false);
    expect(d.summary()).toEqual(summarize(values));
    expect(new Digest().summary()).toBeNull();
  });

  it("above the limit: quantiles within 1% of d3-array's, min/max/total exact (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 600_000, noNaN: true }), { minLength: 60, maxLength: 400 }),
        (values) => {
          const d = new Digest(50);
          for (const v of values) d.add(v);
          expect(d.approximate).toBe(true);
          const s = d.summary()!;
          const sorted = [...values].sort((a, b) => a - b);
          const round = (x: number) => Math.round(x * 10) / 10;
          expect(s.min).toBe(round(sorted[0]!));
          expect(s.max).toBe(round(sorted[sorted.length - 1]!));
          expect(s.total).toBe(round(sum(sorted)));
          for (const [p, got] of [
            [0.5, s.p50],
            [0.9, s.p90],
            [0.99, s.p99],
          ] as const) {
            // the value at the rank below d3's interpolation point: the digest names a logged value's bucket
            const low = sorted[Math.floor(p * (sorted.length - 1))]!;
            expect(Math.abs(got - low)).toBeLessThanOrEqual(low * 0.0101 + 0.05);
            expect(got).toBeLessThanOrEqual(round(quantileSorted(sorted, 1)!));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('counts zero durations apart (a log with millisecond precision has them)', () => {
    const d = new Digest(3);
    for (const v of [0, 0, 0, 0, 5, 10]) d.add(v);
    expect(d.summary()).toMatchObject({ min: 0, p50: 0, max: 10, total: 15 });
  });
});
