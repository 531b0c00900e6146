// A group's duration distribution, computed with d3-array.
import { quantileSorted, sum } from 'd3-array';
import type { Summary } from '../model/stats-schema.js';
import { roundMs } from './timing.js';

/** Null when nothing is timed: "no timing" is not the same as zero. */
export function summarize(values: readonly number[]): Summary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number) => roundMs(quantileSorted(sorted, p) ?? 0);
  return {
    min: roundMs(sorted[0]!),
    p50: q(0.5),
    p90: q(0.9),
    p95: q(0.95),
    p99: q(0.99),
    max: roundMs(sorted[sorted.length - 1]!),
    total: roundMs(sum(sorted)),
  };
}
