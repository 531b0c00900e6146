// A group's durations in bounded memory. Up to EXACT_LIMIT values are kept and
// summarized exactly (d3-array, as summary.ts). Beyond that the values move into
// logarithmic buckets 2% wide, so p50/p90/p95/p99 are within 1% of the exact value
// while min, max and total stay exact. A CI log with a million timed requests to
// one endpoint then costs a few kilobytes, not eight megabytes.
import type { Summary } from '../model/stats-schema.js';
import { summarize } from './summary.js';
import { roundMs } from './timing.js';

export const EXACT_LIMIT = 10_000;
const GAMMA = 1.02;
const LOG_GAMMA = Math.log(GAMMA);

export class Digest {
  private exact: number[] | null = [];
  /** Bucket k holds values in (GAMMA^(k-1), GAMMA^k]; values ≤ 0 are counted apart. */
  private buckets: Map<number, number> | null = null;
  private zeros = 0;
  private count = 0;
  private min = Infinity;
  private max = -Infinity;
  private total = 0;

  constructor(private readonly exactLimit = EXACT_LIMIT) {}

  get size(): number {
    return this.count;
  }

  /** True once quantiles are approximate. */
  get approximate(): boolean {
    return this.exact === null;
  }

  add(value: number): void {
    this.count++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.total += value;
    if (this.exact !== null) {
      this.exact.push(value);
      if (this.exact.length > this.exactLimit) {
        const values = this.exact;
        this.exact = null;
        this.buckets = new Map();
        for (const v of values) this.bucket(v);
      }
      return;
    }
    this.bucket(value);
  }

  summary(): Summary | null {
    if (this.count === 0) return null;
    if (this.exact !== null) return summarize(this.exact);
    return {
      min: roundMs(this.min),
      p50: roundMs(this.quantile(0.5)),
      p90: roundMs(this.quantile(0.9)),
      p95: roundMs(this.quantile(0.95)),
      p99: roundMs(this.quantile(0.99)),
      max: roundMs(this.max),
      total: roundMs(this.total),
    };
  }

  private bucket(value: number): void {
    if (value <= 0) {
      this.zeros++;
      return;
    }
    const k = Math.ceil(Math.log(value) / LOG_GAMMA);
    this.buckets!.set(k, (this.buckets!.get(k) ?? 0) + 1);
  }

  /** The value at rank p·(n−1), as d3's quantile places it, from the buckets. */
  private quantile(p: number): number {
    const rank = Math.floor(p * (this.count - 1));
    if (rank < this.zeros) return Math.max(this.min, 0);
    let seen = this.zeros;
    const keys = [...this.buckets!.keys()].sort((a, b) => a - b);
    for (const k of keys) {
      seen += this.buckets!.get(k)!;
      if (rank < seen) {
        // The middle of the bucket, in relative terms: at most 1% from any value in it.
        const mid = (2 * GAMMA ** k) / (GAMMA + 1);
        return Math.min(this.max, Math.max(this.min, mid));
      }
    }
    return this.max;
  }
}
