// Several logs on one time line. Each input keeps its own order (a step back in
// time inside a file is reported by the analyzer, never reordered away); inputs
// are interleaved by time. Clocks of different hosts may disagree: causality
// between lines of different inputs (a request cannot be logged by the service it
// called before the caller started it) bounds their offsets, and an input whose
// clock breaks those bounds is reported as `time/clock-skew` and corrected for
// the time-based parts of chain building.
import type { Finding } from '../model/schema.js';

/** Stable k-way merge: items of one stream stay in stream order; streams interleave by time. */
export function mergeByTime<T>(streams: readonly T[][], timeOf: (item: T) => number | null): T[] {
  const pos = streams.map(() => 0);
  // An item without a time sorts with the last time seen before it in its stream.
  const carried = streams.map(() => Number.NEGATIVE_INFINITY);
  const out: T[] = [];
  for (;;) {
    let best = -1;
    let bestMs = Number.POSITIVE_INFINITY;
    for (let s = 0; s < streams.length; s++) {
      const item = streams[s]![pos[s]!];
      if (item === undefined) continue;
      const ms = timeOf(item) ?? carried[s]!;
      if (best < 0 || ms < bestMs) { best = s; bestMs = ms; }
    }
    if (best < 0) return out;
    const item = streams[best]![pos[best]!]!;
    const ms = timeOf(item);
    if (ms !== null) carried[best] = ms;
    pos[best]!++;
    out.push(item);
  }
}

/** A causal pair: `later` cannot truly have happened before `earlier`. */
export interface CausalPair {
  earlier: { source: string; ms: number; line: number };
  later: { source: string; ms: number; line: number };
  /** Why: e.g. `request req-… was passed on to` */
  why: string;
}

export interface ClockEstimate {
  /** Estimated offset of each input's clock (ms; positive = ahead), relative to the majority. Only inputs in causal pairs. */
  offsets: Map<string, number>;
  /** Inputs reported as skewed (their offset is applied by `corrected`). */
  skewed: Map<string, number>;
  findings: Finding[];
}

/** Causality violations smaller than this are timer noise between hosts. */
export const CAUSALITY_TOLERANCE_MS = 100;
/** An input is reported when its clock is estimated this far from the others. */
export const SKEW_REPORT_MS = 500;

/**
 * Estimate per-input clock offsets from causal pairs. For each ordered pair of
 * inputs the smallest measured gap (later − earlier) estimates their offset
 * (the fastest hop is close to zero delay); offsets are propagated over the graph
 * of inputs and centred on the median, so the input that disagrees with the
 * others is the one blamed. An input is reported only when some pair involving it
 * actually breaks causality: a slow hop alone is not evidence of skew.
 */
export function estimateClocks(pairs: readonly CausalPair[]): ClockEstimate {
  const minGap = new Map<string, { gap: number; pair: CausalPair }>();
  const neighbours = new Map<string, Set<string>>();
  const violations = new Map<string, CausalPair[]>();
  for (const p of pairs) {
    const e = p.earlier.source;
    const l = p.later.source;
    if (e === l) continue;
    const gap = p.later.ms - p.earlier.ms;
    const key = `${e}\u0000${l}`;
    const cur = minGap.get(key);
    if (!cur || gap < cur.gap) minGap.set(key, { gap, pair: p });
    if (!neighbours.has(e)) neighbours.set(e, new Set());
    if (!neighbours.has(l)) neighbours.set(l, new Set());
    neighbours.get(e)!.add(l);
    neighbours.get(l)!.add(e);
    if (gap < -CAUSALITY_TOLERANCE_MS) {
      for (const s of [e, l]) {
        if (!violations.has(s)) violations.set(s, []);
        violations.get(s)!.push(p);
      }
    }
  }
  /** off(b) − off(a) as the pair tells it. */
  const delta = (a: string, b: string): number => {
    const ab = minGap.get(`${a}\u0000${b}`)?.gap;
    const ba = minGap.get(`${b}\u0000${a}`)?.gap;
    if (ab !== undefined && ba !== undefined) {
      // bounds from both sides: −ba ≤ d ≤ ab; take the value nearest zero
      const lo = -ba;
      const hi = ab;
      return lo <= hi ? Math.min(Math.max(0, lo), hi) : (lo + hi) / 2;
    }
    return ab !== undefined ? ab : -(ba as number);
  };
  const offsets = new Map<string, number>();
  const skewed = new Map<string, number>();
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const start of [...neighbours.keys()].sort()) {
    if (seen.has(start)) continue;
    const component = new Map<string, number>([[start, 0]]);
    const queue = [start];
    seen.add(start);
    while (queue.length > 0) {
      const a = queue.shift()!;
      for (const b of [...neighbours.get(a)!].sort()) {
        if (seen.has(b)) continue;
        seen.add(b);
        component.set(b, component.get(a)! + delta(a, b));
        queue.push(b);
      }
    }
    const values = [...component.values()].sort((x, y) => x - y);
    const mid = values.length % 2 ? values[(values.length - 1) / 2]! : (values[values.length / 2 - 1]! + values[values.length / 2]!) / 2;
    for (const [s, v] of component) offsets.set(s, v - mid);
    const blamed = [...component.keys()].filter((s) => Math.abs(offsets.get(s)!) >= SKEW_REPORT_MS && violations.has(s));
    if (component.size === 2 && blamed.length === 2) {
      // Two inputs only: nothing tells which one is wrong.
      const [a, b] = blamed as [string, string];
      const worst = worstViolation(violations.get(a)!);
      findings.push(skewFinding(a, `clocks of ${a} and ${b} disagree by about ${seconds(Math.abs(offsets.get(b)! - offsets.get(a)!))}: ${describe(worst)}`, worst));
      continue;
    }
    for (const s of blamed) {
      const off = offsets.get(s)!;
      skewed.set(s, off);
      const worst = worstViolation(violations.get(s)!);
      findings.push(skewFinding(s, `clock of ${s} looks ${off > 0 ? 'ahead of' : 'behind'} the other logs by about ${seconds(Math.abs(off))}: ${describe(worst)}`, worst));
    }
  }
  return { offsets, skewed, findings };
}

function worstViolation(list: CausalPair[]): CausalPair {
  return list.reduce((w, p) => (p.later.ms - p.earlier.ms < w.later.ms - w.earlier.ms ? p : w));
}

function describe(p: CausalPair): string {
  return `${p.later.source}:${p.later.line} is logged ${seconds(p.earlier.ms - p.later.ms)} before ${p.earlier.source}:${p.earlier.line} (${p.why})`;
}

function skewFinding(source: string, message: string, p: CausalPair): Finding {
  const line = p.later.source === source ? p.later.line : p.earlier.line;
  return { ruleId: 'time/clock-skew', severity: 'warning', message, source, line, exchange: null };
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** A time on the common clock: the input's reported skew removed. */
export function corrected(skewed: ReadonlyMap<string, number>, source: string, ms: number | null): number | null {
  if (ms === null) return null;
  return ms - (skewed.get(source) ?? 0);
}
