// Several logs on one time line. Each input keeps its own order (a step back in
// time inside a file is reported by the analyzer, never reordered away); inputs
// are interleaved by time. Clocks of different hosts may disagree: causality
// between lines of different inputs bounds their offsets (a request cannot be
// logged by the service it called before the caller started it; a synchronous
// HTTP call cannot be logged after the caller stopped waiting for it, while
// work passed on by RPC has no such bound), and the fewest inputs
// whose clocks must be off to explain every bound are recorded with their
// evidence (result.clockSkews, reported by `time/clock-skew`) and corrected for
// the time-based parts of chain building.
import type { ClockEvidence, ClockSkew } from '../model/chain-schema.js';

/** Stable k-way merge: items of one stream stay in stream order; streams interleave by time. */
export function mergeByTime<T>(streams: readonly ArrayLike<T>[], timeOf: (item: T) => number | null): T[] {
  const out: T[] = [];
  forEachByTime(streams, timeOf, (item) => void out.push(item));
  return out;
}

/** `mergeByTime`'s items one by one, in its order: a caller fills a column of its own. */
export function forEachByTime<T>(
  streams: readonly ArrayLike<T>[],
  timeOf: (item: T) => number | null,
  f: (item: T) => void,
): void {
  const pos = streams.map(() => 0);
  // An item without a time sorts with the last time seen before it in its stream.
  const carried = streams.map(() => Number.NEGATIVE_INFINITY);
  for (;;) {
    let best = -1;
    let bestMs = Number.POSITIVE_INFINITY;
    for (let s = 0; s < streams.length; s++) {
      if (pos[s]! >= streams[s]!.length) continue;
      const ms = timeOf(streams[s]![pos[s]!]!) ?? carried[s]!;
      if (best < 0 || ms < bestMs) {
        best = s;
        bestMs = ms;
      }
    }
    if (best < 0) return;
    const item = streams[best]![pos[best]!]!;
    const ms = timeOf(item);
    if (ms !== null) carried[best] = ms;
    pos[best]!++;
    f(item);
  }
}

/** A moment of one input: its clock reading, and the line that shows it. */
export interface ClockPoint {
  /** The clock: the input's own, or one several inputs share (one host's). */
  source: string;
  ms: number;
  line: number;
  /** The input the line is in, when `source` is a clock several inputs share. */
  input?: string;
}

/**
 * A causal pair: `later` cannot truly have happened before `earlier`. With
 * `until`, it cannot truly have happened much after that moment of the earlier
 * input either (a call is handled while the caller waits; a cast is picked up
 * within `slackMs`), which bounds a clock that runs *ahead*.
 */
export interface CausalPair {
  earlier: ClockPoint;
  later: ClockPoint;
  until?: { ms: number; line: number; slackMs: number } | null;
  /** Why: e.g. `request req-… was passed on to` */
  why: string;
}

export interface ClockEstimate {
  /** Estimated offset of each input's clock (ms; positive = ahead), relative to the majority. Only inputs in causal pairs. */
  offsets: Map<string, number>;
  /** Offsets that `corrected` removes: the inputs reported as skewed (or, when nothing tells which of two is wrong, one of them). */
  skewed: Map<string, number>;
  /** Every estimate, corrected or not, with the pair that shows it. */
  skews: ClockSkew[];
}

/** Causality violations smaller than this are timer noise between hosts. */
export const CAUSALITY_TOLERANCE_MS = 100;

/**
 * Bounds on off(b) − off(a) one pair gives: [lo, hi] with the slack a cast may
 * take, [loStrict, hiStrict] if it was a call.
 */
interface Bounds {
  lo: number;
  hi: number;
  loStrict: number;
  hiStrict: number;
  pair: CausalPair;
}

function boundsOf(p: CausalPair): Bounds {
  const hi = p.later.ms - p.earlier.ms;
  const loStrict = p.until ? p.later.ms - p.until.ms : Number.NEGATIVE_INFINITY;
  return { lo: p.until ? loStrict - p.until.slackMs : loStrict, hi, loStrict, hiStrict: hi, pair: p };
}

function flip(b: Bounds): Bounds {
  return { lo: -b.hi, hi: -b.lo, loStrict: -b.hiStrict, hiStrict: -b.loStrict, pair: b.pair };
}

/** How far (ms) zero lies outside a pair's bounds: > 0 when equal clocks would break it. */
function breach(b: Bounds): number {
  return Math.max(b.lo, -b.hi, 0);
}

/** What one pair of inputs allows for off(b) − off(a). */
interface PairEstimate {
  /** Allowed range (cast slack and timer tolerance included). */
  lo: number;
  hi: number;
  /** The same if every hop was a call, without tolerance: used for the size of a skew. */
  loStrict: number;
  hiStrict: number;
  worst: Bounds;
}

/**
 * The pairs from one clock to another, folded as they come: the intersection of their
 * bounds, the first of the worst (as evidence), and what each allows for the median a
 * contradiction needs. A pair whose [lo, hi] holds 0 allows 0 either way round and is only
 * counted; the others keep their [lo, hi] (16 bytes a pair, not the pair). A day of nova logs
 * gives ~400,000, at 1 GB 16 MB of heap, almost all of them counted where clocks agree.
 */
interface Folded {
  lo: number;
  hi: number;
  loStrict: number;
  hiStrict: number;
  worst: Bounds;
  /** How many pairs allow 0 (equal clocks). */
  allowingZero: number;
  /** The [lo, hi] of each other pair. */
  los: number[];
  his: number[];
}

function fold(f: Folded | undefined, b: Bounds): Folded {
  if (!f) f = { ...b, worst: b, allowingZero: 0, los: [], his: [] };
  else {
    f.lo = Math.max(f.lo, b.lo);
    f.loStrict = Math.max(f.loStrict, b.loStrict);
    f.hi = Math.min(f.hi, b.hi);
    f.hiStrict = Math.min(f.hiStrict, b.hiStrict);
    if (breach(b) > breach(f.worst)) f.worst = b;
  }
  if (b.lo <= 0 && 0 <= b.hi) f.allowingZero++;
  else {
    f.los.push(b.lo);
    f.his.push(b.hi);
  }
  return f;
}

/**
 * One pair of inputs: all its observations (`ab`, and `ba` seen the other way) intersected;
 * when they contradict each other (a clock jump, noise), a narrow range around the median
 * of what each allows.
 */
function estimatePair(ab: Folded | undefined, ba: Folded | undefined): PairEstimate {
  let lo = Math.max(ab?.lo ?? Number.NEGATIVE_INFINITY, ba ? -ba.hi : Number.NEGATIVE_INFINITY);
  let loStrict = Math.max(ab?.loStrict ?? Number.NEGATIVE_INFINITY, ba ? -ba.hiStrict : Number.NEGATIVE_INFINITY);
  let hi = Math.min(ab?.hi ?? Number.POSITIVE_INFINITY, ba ? -ba.lo : Number.POSITIVE_INFINITY);
  let hiStrict = Math.min(ab?.hiStrict ?? Number.POSITIVE_INFINITY, ba ? -ba.loStrict : Number.POSITIVE_INFINITY);
  // breach is the same both ways round; ties go to the first seen, `ab`'s before `ba`'s
  const worst = ab && (!ba || breach(ab.worst) >= breach(ba.worst)) ? ab.worst : flip(ba!.worst);
  if (lo > hi) {
    const allowed: number[] = [];
    if (ab) for (let i = 0; i < ab.los.length; i++) allowed.push(clamp(0, ab.los[i]!, ab.his[i]!));
    if (ba) for (let i = 0; i < ba.los.length; i++) allowed.push(clamp(0, -ba.his[i]!, -ba.los[i]!));
    const d = median(allowed, (ab?.allowingZero ?? 0) + (ba?.allowingZero ?? 0));
    lo = d;
    hi = d;
  }
  if (loStrict > hiStrict) {
    loStrict = lo;
    hiStrict = hi;
  }
  const tol = CAUSALITY_TOLERANCE_MS;
  return { lo: lo - tol, hi: hi + tol, loStrict: Math.max(loStrict, lo), hiStrict: Math.min(hiStrict, hi), worst };
}

const clamp = (v: number, a: number, z: number) => Math.min(Math.max(v, a), z);

/** Most sets of wrong clocks tried per group of linked inputs. */
const MAX_HYPOTHESES = 2000;

/**
 * Estimate per-input clock offsets from causal pairs. Each pair of inputs
 * allows a range of offsets (see `estimatePair`). The explanation sought is
 * the smallest set of inputs whose clocks, once moved, make every pair hold
 * while all the others keep theirs; each moved input takes the offset nearest
 * zero its pairs allow. An input is reported only when some pair involving it
 * cannot hold with equal clocks (a slow hop alone is not evidence of skew).
 * When several sets of the same size explain it equally well (two inputs
 * only, say), nothing tells which clock is wrong: all are named, and the
 * message says so.
 */
export function estimateClocks(pairs: readonly CausalPair[]): ClockEstimate {
  const evidence = new CausalEvidence();
  for (const p of pairs) evidence.add(p);
  return evidence.estimate();
}

/** Causal pairs as they are found, folded per pair of clocks (no list of them is kept); estimated at any point. */
export class CausalEvidence {
  private readonly byPair = new Map<string, Folded>();
  private readonly neighbours = new Map<string, Set<string>>();

  add(p: CausalPair): void {
    const e = p.earlier.source;
    const l = p.later.source;
    if (e === l) return;
    const key = `${e}\u0000${l}`;
    this.byPair.set(key, fold(this.byPair.get(key), boundsOf(p)));
    for (const [a, b] of [
      [e, l],
      [l, e],
    ] as const) {
      if (!this.neighbours.has(a)) this.neighbours.set(a, new Set());
      this.neighbours.get(a)!.add(b);
    }
  }

  /** The estimate from the pairs added so far (see estimateClocks). */
  estimate(): ClockEstimate {
    return estimateFrom(this.byPair, this.neighbours);
  }
}

function estimateFrom(
  byPair: ReadonlyMap<string, Folded>,
  neighbours: ReadonlyMap<string, Set<string>>,
): ClockEstimate {
  // both directions of a pair of inputs, as a range for off(b) − off(a)
  const estimates = new Map<string, PairEstimate>();
  const estimateOf = (a: string, b: string): PairEstimate => {
    const key = `${a}\u0000${b}`;
    let est = estimates.get(key);
    if (!est) {
      est = estimatePair(byPair.get(key), byPair.get(`${b}\u0000${a}`));
      estimates.set(key, est);
    }
    return est;
  };
  const holdsAt = (a: string, b: string, d: number) => {
    const e = estimateOf(a, b);
    return d >= e.lo && d <= e.hi;
  };

  const offsets = new Map<string, number>();
  const skewed = new Map<string, number>();
  const skews: ClockSkew[] = [];
  const seen = new Set<string>();
  for (const first of [...neighbours.keys()].sort()) {
    if (seen.has(first)) continue;
    // the inputs linked to `first`, in name order
    const members: string[] = [];
    const queue = [first];
    seen.add(first);
    while (queue.length > 0) {
      const a = queue.shift()!;
      members.push(a);
      for (const b of neighbours.get(a)!)
        if (!seen.has(b)) {
          seen.add(b);
          queue.push(b);
        }
    }
    members.sort();
    for (const m of members) offsets.set(m, 0);
    const disagreeing = members.filter((s) => [...neighbours.get(s)!].some((g) => !holdsAt(g, s, 0)));
    if (disagreeing.length === 0) continue;

    /** Offsets that make every pair hold when only `moved` are off, or null. */
    const explain = (moved: Set<string>): Map<string, number> | null => {
      for (const s of disagreeing) {
        if (moved.has(s)) continue;
        for (const g of neighbours.get(s)!) if (!moved.has(g) && !holdsAt(g, s, 0)) return null;
      }
      const out = new Map<string, number>();
      for (const s of moved) {
        let lo = Number.NEGATIVE_INFINITY;
        let hi = Number.POSITIVE_INFINITY;
        let loStrict = Number.NEGATIVE_INFINITY;
        let hiStrict = Number.POSITIVE_INFINITY;
        for (const g of neighbours.get(s)!) {
          if (moved.has(g)) continue;
          const e = estimateOf(g, s);
          lo = Math.max(lo, e.lo);
          hi = Math.min(hi, e.hi);
          loStrict = Math.max(loStrict, e.loStrict);
          hiStrict = Math.min(hiStrict, e.hiStrict);
        }
        if (lo > hi || (lo <= 0 && hi >= 0)) return null; // impossible, or not needed
        out.set(s, loStrict <= hiStrict ? clamp(0, Math.max(loStrict, lo), Math.min(hiStrict, hi)) : clamp(0, lo, hi));
      }
      // moved inputs against each other
      for (const a of moved)
        for (const b of neighbours.get(a)!) if (moved.has(b) && !holdsAt(a, b, out.get(b)! - out.get(a)!)) return null;
      return out;
    };

    // A majority keeps its clock: try one moved input, then two, …
    const solutions: Array<Map<string, number>> = [];
    let tried = 0;
    for (
      let k = 1;
      k <= Math.max(1, Math.floor(members.length / 2)) && solutions.length === 0 && tried < MAX_HYPOTHESES;
      k++
    ) {
      for (const set of subsets(disagreeing, k)) {
        if (++tried > MAX_HYPOTHESES) break;
        const found = explain(new Set(set));
        if (found) solutions.push(found);
      }
    }
    const worstOf = (s: string, moved: ReadonlySet<string>) =>
      [...neighbours.get(s)!]
        .filter((g) => !moved.has(g) && !holdsAt(g, s, 0))
        .map((g) => estimateOf(g, s).worst)
        .reduce<Bounds | null>((w, b) => (!w || breach(b) > breach(w) ? b : w), null);
    if (solutions.length === 0) {
      // no small set of clocks explains it: say so, correct nothing
      skews.push(skew('unexplained', disagreeing, null, worstOf(disagreeing[0]!, new Set())!));
      continue;
    }
    const chosen = solutions[0]!;
    for (const [s, off] of chosen) {
      offsets.set(s, off);
      skewed.set(s, off);
    }
    if (solutions.length > 1) {
      const named = [...new Set(solutions.flatMap((m) => [...m.keys()]))].sort();
      const spread = Math.max(...solutions.flatMap((m) => [...m.values()].map(Math.abs)));
      skews.push(skew('ambiguous', named, spread, worstOf(named[0]!, new Set())!));
      continue;
    }
    for (const [s, off] of [...chosen].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
      const worst = worstOf(s, new Set(chosen.keys())) ?? worstOf(s, new Set())!;
      skews.push(skew('offset', [s], off, worst));
    }
  }
  return { offsets, skewed, skews };
}

/** The k-element subsets of `items`, in order. */
function* subsets<T>(items: readonly T[], k: number, from = 0): Generator<T[]> {
  if (k === 0) {
    yield [];
    return;
  }
  for (let i = from; i <= items.length - k; i++)
    for (const rest of subsets(items, k - 1, i + 1)) yield [items[i]!, ...rest];
}

/** The median of `values` and `zeros` more zeros. */
function median(values: number[], zeros: number): number {
  const count = values.length + zeros;
  if (count === 0) return 0;
  const v = [...values].sort((x, y) => x - y);
  // in order: the values below 0, the zeros, then the rest
  let below = 0;
  while (below < v.length && v[below]! < 0) below++;
  const nth = (i: number) => (i < below ? v[i]! : i < below + zeros ? 0 : v[i - zeros]!);
  return count % 2 ? nth((count - 1) / 2) : (nth(count / 2 - 1) + nth(count / 2)) / 2;
}

/** The pair a bound comes from, as evidence: which line is logged how far out of causal order. */
function evidenceOf(b: Bounds): ClockEvidence {
  const p = b.pair;
  const before = boundsOf(p).hi < 0 || !p.until;
  return {
    source: p.later.input ?? p.later.source,
    line: p.later.line,
    otherSource: p.earlier.input ?? p.earlier.source,
    otherLine: before ? p.earlier.line : p.until!.line,
    relation: before ? 'before' : 'after-end',
    gapMs: before ? p.earlier.ms - p.later.ms : p.later.ms - p.until!.ms,
    why: p.why,
  };
}

/** An estimate about `inputs` (the first is the one it is located in), shown by bound `b`. */
function skew(kind: ClockSkew['kind'], inputs: string[], offsetMs: number | null, b: Bounds): ClockSkew {
  const p = b.pair;
  const clock = inputs[0]!;
  const atLater = p.later.source === clock;
  const line = atLater ? p.later.line : boundsOf(p).hi >= 0 && p.until ? p.until.line : p.earlier.line;
  const source = (atLater ? p.later.input : p.earlier.input) ?? clock;
  return { kind, inputs, offsetMs, source, line, evidence: evidenceOf(b) };
}

/** A time on the common clock: the input's reported skew removed. */
export function corrected(skewed: ReadonlyMap<string, number>, source: string, ms: number | null): number | null {
  if (ms === null) return null;
  return ms - (skewed.get(source) ?? 0);
}
