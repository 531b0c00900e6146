// The search of a flow replay: which steps recognise which events (the pair
// table), the best alignment of each linear path against them, and the best
// route among the variants the microversions allow.
//
// Alignment is a small dynamic programme (steps × events): an event is taken by
// the current step, or the step is finished, or the event is left aside. The
// best alignment matches the most events, then the most with expected statuses,
// then leaves the fewest required steps missing; ties go to the earliest events.
// Between paths the one with fewer events it has no step for wins a tie, then
// the first variant/path as declared.
import { Buffer } from 'node:buffer';
import {
  compareVersion,
  pathsFor,
  recognizes,
  statusOk,
  stepCaptures,
  type CompiledFlow,
  type CompiledStep,
  type PathStep,
} from './compile.js';
import type { FlowEvent } from './events.js';
import { MAX_EACH } from './grammar-schema.js';

/** matched and consistent count taken events whose captures agree with the anchor's. */
type Score = [matched: number, ok: number, notMissing: number, consistent: number];

export interface Alignment {
  score: Score;
  taken: number[][];
}

/** Lexicographic "a is better than b" over the four score components. */
function gt(a0: number, a1: number, a2: number, a3: number, b0: number, b1: number, b2: number, b3: number): boolean {
  if (a0 !== b0) return a0 > b0;
  if (a1 !== b1) return a1 > b1;
  if (a2 !== b2) return a2 > b2;
  return a3 > b3;
}

/**
 * What the instance's replay asks about each (step, event) pair, answered once per instance rather than
 * once per path of every variant: cell `j * steps + step.index` holds TAKE (the step recognises event j),
 * plus AGREE (its captures agree with the anchor's) and OK (the status is one the step expects).
 */
export interface PairTable {
  cells: Uint8Array;
  steps: number;
  events: number;
}
export const TAKE = 1;
const AGREE = 2;
const OK = 4;

// The DP's score arrays, grown as needed up to MAX_SCRATCH cells and reused by every alignment
// (align runs to completion, never nested).
const MAX_SCRATCH = 1 << 16;
let scratchSize = 0;
let scratchMatched = new Int32Array(0);
let scratchOk = new Int32Array(0);
let scratchNotMissing = new Int32Array(0);
let scratchConsistent = new Int32Array(0);
let scratchChoice = new Uint8Array(0);
// The pair table's cells, likewise reused by each instance up to MAX_SCRATCH (replayInstance is never nested either).
let scratchCells = new Uint8Array(0);

/** Best alignment of one linear path against the table's events. */
function align(path: PathStep[], table: PairTable): Alignment {
  const n = path.length;
  const m = table.events;
  const { cells, steps } = table;
  // Cell (i * (m + 1) + j) * 2 + t: best score from step i, event j, with t = step i already has an event.
  // The four score components live in typed arrays: this table is filled for every path of every variant.
  const size = (n + 1) * (m + 1) * 2;
  if (size > scratchSize && size <= MAX_SCRATCH) {
    scratchSize = Math.min(Math.max(size, scratchSize * 2), MAX_SCRATCH);
    scratchMatched = new Int32Array(scratchSize);
    scratchOk = new Int32Array(scratchSize);
    scratchNotMissing = new Int32Array(scratchSize);
    scratchConsistent = new Int32Array(scratchSize);
    scratchChoice = new Uint8Array(scratchSize);
  }
  // A table too large to keep between instances (a long fragment outside any command) is this call's own.
  const own = size > scratchSize;
  const sMatched = own ? new Int32Array(size) : scratchMatched;
  const sOk = own ? new Int32Array(size) : scratchOk;
  const sNotMissing = own ? new Int32Array(size) : scratchNotMissing;
  const sConsistent = own ? new Int32Array(size) : scratchConsistent;
  const choice = own ? new Uint8Array(size) : scratchChoice;
  // Iterative bottom-up fill (no recursion depth limits on long logs); row i = n is all zero,
  // every cell of the rows above is written before it is read.
  const last = n * (m + 1) * 2;
  sMatched.fill(0, last, size);
  sOk.fill(0, last, size);
  sNotMissing.fill(0, last, size);
  sConsistent.fill(0, last, size);
  for (let i = n - 1; i >= 0; i--) {
    const ps = path[i]!;
    const col = ps.step.index;
    const many = ps.many;
    const required = ps.min === 1;
    for (let j = m; j >= 0; j--) {
      const cell = j < m ? cells[j * steps + col]! : 0;
      const takeable = (cell & TAKE) !== 0;
      // An event naming another volume/server than the anchor fills the step but does not count as a
      // match: a later step it fits (GET /volumes/{new_volume}) gets it first, else it shows as mismatched.
      const agree = (cell & AGREE) !== 0 ? 1 : 0;
      const ok = (cell & OK) !== 0 ? 1 : 0;
      // t = 1 (the step already has an event) is reachable only for a repeating step: a single one moves on when it takes.
      for (let t = many ? 1 : 0; t >= 0; t--) {
        const idx = (i * (m + 1) + j) * 2 + t;
        let b0 = 0;
        let b1 = 0;
        let b2 = 0;
        let b3 = 0;
        let pick = 0;
        if (takeable) {
          const next = many ? (i * (m + 1) + j + 1) * 2 + 1 : ((i + 1) * (m + 1) + j + 1) * 2;
          b0 = sMatched[next]! + agree;
          b1 = sOk[next]! + ok;
          b2 = sNotMissing[next]!;
          b3 = sConsistent[next]! + agree;
          pick = 1;
        }
        {
          const rest = ((i + 1) * (m + 1) + j) * 2;
          const missing = t === 0 && required ? 1 : 0;
          const c0 = sMatched[rest]!;
          const c1 = sOk[rest]!;
          const c2 = sNotMissing[rest]! - missing;
          const c3 = sConsistent[rest]!;
          if (pick === 0 || gt(c0, c1, c2, c3, b0, b1, b2, b3)) {
            b0 = c0;
            b1 = c1;
            b2 = c2;
            b3 = c3;
            pick = 2;
          }
        }
        if (j < m) {
          const rest = (i * (m + 1) + j + 1) * 2 + t;
          const c0 = sMatched[rest]!;
          const c1 = sOk[rest]!;
          const c2 = sNotMissing[rest]!;
          const c3 = sConsistent[rest]!;
          if (gt(c0, c1, c2, c3, b0, b1, b2, b3)) {
            b0 = c0;
            b1 = c1;
            b2 = c2;
            b3 = c3;
            pick = 3;
          }
        }
        sMatched[idx] = b0;
        sOk[idx] = b1;
        sNotMissing[idx] = b2;
        sConsistent[idx] = b3;
        choice[idx] = pick;
      }
    }
  }
  const taken: number[][] = path.map(() => []);
  let i = 0;
  let j = 0;
  let t = 0;
  while (i < n) {
    const pick = choice[(i * (m + 1) + j) * 2 + t];
    if (pick === 1) {
      taken[i]!.push(j);
      if (path[i]!.many) {
        j++;
        t = 1;
      } else {
        i++;
        j++;
        t = 0;
      }
    } else if (pick === 2) {
      i++;
      t = 0;
    } else {
      j++;
    }
  }
  return { score: [sMatched[0]!, sOk[0]!, sNotMissing[0]!, sConsistent[0]!], taken };
}

// Between paths: most matched events, then most with expected statuses, then fewest events the
// path has no step for at all (they would be unexpected), then fewest missing steps; then declaration order.
export type Rank = [matched: number, ok: number, notForeign: number, notMissing: number, consistent: number];
export interface Ranked {
  al: Alignment;
  rank: Rank;
}

// An alignment depends on nothing but the pair table, and the commands of a log repeat the same few shapes:
// per flow, the ranked alignments of its paths by table content (never modified once made).
const rankedCache = new WeakMap<CompiledFlow, Map<string, readonly Ranked[]>>();
const MAX_CACHED_TABLES = 256;
const MAX_CACHED_CELLS = 4096;

/** The alignment of every path of every variant, in declaration order, with its rank. */
function alignAll(flow: CompiledFlow, table: PairTable, copies: number): readonly Ranked[] {
  const size = table.events * table.steps;
  // One character per cell (the steps are fixed per flow, so the length gives the event count).
  const key =
    size <= MAX_CACHED_CELLS
      ? String.fromCharCode(copies) + Buffer.from(table.cells.buffer, table.cells.byteOffset, size).toString('latin1')
      : null;
  let cache = rankedCache.get(flow);
  if (key !== null) {
    const hit = cache?.get(key);
    if (hit) return hit;
  }
  const out: Ranked[] = [];
  for (const variant of flow.variants) {
    for (const path of pathsFor(variant, copies)) {
      const al = align(path, table);
      let foreign = 0;
      for (let j = 0; j < table.events; j++) {
        if (!path.some((ps) => (table.cells[j * table.steps + ps.step.index]! & TAKE) !== 0)) foreign++;
      }
      out.push({ al, rank: [al.score[0], al.score[1], -foreign, al.score[2], al.score[3]] });
    }
  }
  if (key !== null) {
    if (!cache) {
      cache = new Map();
      rankedCache.set(flow, cache);
    }
    if (cache.size >= MAX_CACHED_TABLES) cache.clear();
    cache.set(key, out);
  }
  return out;
}

/** Does the event, as this step names it, agree with what the anchor named? */
function agrees(step: CompiledStep, ev: FlowEvent, hint: ReadonlyMap<string, string>): boolean {
  if (hint.size === 0) return true;
  for (const [name, value] of stepCaptures(step, ev)) if (hint.has(name) && hint.get(name) !== value) return false;
  return true;
}

/** What the first anchor event of the instance names: the swap's PUT names the server and the old volume. */
function anchorCaptures(flow: CompiledFlow, events: FlowEvent[], table: PairTable): Map<string, string> {
  for (let j = 0; j < events.length; j++) {
    const ev = events[j]!;
    // Strict recognition (the action known) is the table's recognition and more: ask it only there.
    const a = flow.anchors.find(
      (s) => (table.cells[j * table.steps + s.index]! & TAKE) !== 0 && recognizes(s, ev, true),
    );
    if (a) return stepCaptures(a, ev);
  }
  return new Map();
}

export interface GuardViolation {
  /** e.g. "compute microversion >= 2.20". */
  needs: string;
  /** The call that carried the highest microversion seen. */
  ev: FlowEvent;
}

/** The first of the variant's version guards the microversions seen in the instance break, or null. */
export function guardViolation(variant: CompiledFlow['variants'][number], events: FlowEvent[]): GuardViolation | null {
  for (const g of variant.def.when ?? []) {
    const service = g.service;
    const seen = events.filter((e) => e.service === service && e.microversion !== null);
    if (seen.length === 0) continue;
    const top = seen.reduce((a, b) => (compareVersion(a.microversion!, b.microversion!) >= 0 ? a : b));
    const range = [g.min !== undefined ? `>= ${g.min}` : '', g.max !== undefined ? `<= ${g.max}` : '']
      .filter(Boolean)
      .join(' and ');
    if (
      (g.min !== undefined && compareVersion(top.microversion!, g.min) < 0) ||
      (g.max !== undefined && compareVersion(top.microversion!, g.max) > 0)
    ) {
      return { needs: `${service} microversion ${range}`, ev: top };
    }
  }
  return null;
}

/**
 * Whether the clients that sent the instance's calls (their User-Agents) are those the variant's
 * `sentBy` names: python-novaclient's calls are not an openstacksdk-era osc's, whichever variant
 * the calls the log shows fit best (an excerpt may leave out the lookups that tell them apart).
 */
function sentByFits(variant: CompiledFlow['variants'][number], events: readonly FlowEvent[]): boolean {
  return (variant.def.sentBy ?? []).every(
    (g) => !events.some((e) => e.service === g.service && e.client != null && !g.clients.includes(e.client)),
  );
}

/** The events some step of the flow recognises, with the table of what each step makes of each. */
export interface Recognised {
  relevant: FlowEvent[];
  table: PairTable;
  /** How many volumes the instance's events name to the steps of its `each` groups (1 without groups). */
  copies: number;
  /** Does `step` recognise event `j` of `relevant`? */
  takes(step: CompiledStep, j: number): boolean;
}

/**
 * Which steps recognise which events, asked once per (step, event) here: the alignments, one per
 * path of every variant, and the verdicts after them only read the table. Null when no event is the flow's.
 */
export function recognise(flow: CompiledFlow, events: readonly FlowEvent[]): Recognised | null {
  const allSteps = flow.allSteps;
  const nSteps = allSteps.length;
  const relevant: FlowEvent[] = [];
  const recognised: number[] = [];
  for (const e of events) {
    let any = false;
    for (let k = 0; k < nSteps; k++) {
      if (recognizes(allSteps[k]!, e)) {
        if (!any) {
          any = true;
          relevant.push(e);
        }
        recognised.push(relevant.length - 1, k);
      }
    }
  }
  if (relevant.length === 0) return null;
  const size = relevant.length * nSteps;
  if (scratchCells.length < size && size <= MAX_SCRATCH)
    scratchCells = new Uint8Array(Math.min(Math.max(size, scratchCells.length * 2), MAX_SCRATCH));
  const table: PairTable = {
    cells: size <= scratchCells.length ? scratchCells : new Uint8Array(size),
    steps: nSteps,
    events: relevant.length,
  };
  table.cells.fill(0, 0, size);
  for (let x = 0; x < recognised.length; x += 2) table.cells[recognised[x]! * nSteps + recognised[x + 1]!] = TAKE;
  const hint = anchorCaptures(flow, relevant, table);
  for (let x = 0; x < recognised.length; x += 2) {
    const j = recognised[x]!;
    const k = recognised[x + 1]!;
    const step = allSteps[k]!;
    const ev = relevant[j]!;
    table.cells[j * nSteps + k] = TAKE | (agrees(step, ev, hint) ? AGREE : 0) | (statusOk(step.def, ev) ? OK : 0);
  }
  return {
    relevant,
    table,
    copies: volumesNamed(flow, relevant, recognised),
    takes: (step, j) => (table.cells[j * nSteps + step.index]! & TAKE) !== 0,
  };
}

/**
 * How many volumes the events of an `each` group name: the most distinct values any one
 * capture takes among them (two attachments deleted by a shelve: two volumes). A single
 * volume's calls out of order stay one volume.
 */
function volumesNamed(flow: CompiledFlow, relevant: readonly FlowEvent[], recognised: readonly number[]): number {
  if (flow.eachSteps.length === 0) return 1;
  const inEach = new Set(flow.eachSteps.map((s) => s.index));
  const values = new Map<string, Set<string>>();
  for (let x = 0; x < recognised.length; x += 2) {
    const k = recognised[x + 1]!;
    if (!inEach.has(k)) continue;
    for (const [name, value] of stepCaptures(flow.allSteps[k]!, relevant[recognised[x]!]!)) {
      if (name === 'server') continue;
      let set = values.get(name);
      if (!set) values.set(name, (set = new Set()));
      set.add(value);
    }
  }
  let most = 1;
  for (const set of values.values()) most = Math.max(most, set.size);
  return Math.min(most, MAX_EACH);
}

export interface Route {
  variant: CompiledFlow['variants'][number];
  path: PathStep[];
  al: Alignment;
  rank: Rank;
}

/**
 * The best route among the variants the microversions allow (`best`, null when none
 * is allowed), and the best of all (`bestAny`): when they differ, a guard decided the verdict.
 */
export function bestRoutes(
  flow: CompiledFlow,
  found: Recognised,
): { best: Route | null; bestAny: Route | null; ties: Route[] } {
  const higher = (a: Rank, b: Rank) => {
    for (let i = 0; i < a.length; i++) if (a[i]! !== b[i]!) return a[i]! > b[i]!;
    return false;
  };
  let best: Route | null = null;
  let bestAny: Route | null = null;
  const ranked = alignAll(flow, found.table, found.copies);
  // The variants the calls' clients rule out are not candidates at all (unless they rule out every one).
  const byClient = flow.variants.map((v) => sentByFits(v, found.relevant));
  const clientsTell = byClient.some(Boolean);
  const allowedRoutes: Route[] = [];
  let x = 0;
  for (const [v, variant] of flow.variants.entries()) {
    const allowed = guardViolation(variant, found.relevant) === null;
    const candidate = byClient[v]! || !clientsTell;
    for (const path of pathsFor(variant, found.copies)) {
      const { al, rank: r } = ranked[x++]!;
      if (!candidate) continue;
      const route = { variant, path, al, rank: r };
      if (bestAny === null || higher(r, bestAny.rank)) bestAny = route;
      if (!allowed) continue;
      allowedRoutes.push(route);
      if (best === null || higher(r, best.rank)) best = route;
    }
  }
  const ties = best === null ? [] : allowedRoutes.filter((r) => r !== best && !higher(best.rank, r.rank));
  return { best, bestAny, ties };
}

/**
 * The path positions of `route` the log does not settle: its steps after the last event it takes,
 * when that event failed the run and another route as good (`ties`) takes the same events as the
 * same steps but goes on otherwise. Which way the run went after the failure is not in the log (a
 * cinder-volume log cut right after taskflow's `transitioned into state 'FAILURE'`: rescheduled, or
 * set to error?), so those steps are neither matched, skipped nor missing: the replay leaves them out.
 */
export function unsettledAfterFailure(route: Route, ties: readonly Route[], found: Recognised): Set<number> {
  const out = new Set<number>();
  const last = lastTaken(route);
  if (last < 0) return out;
  const failedAt = route.path[last]!.step.def;
  if (statusOk(failedAt, found.relevant[route.al.taken[last]!.at(-1)!]!)) return out;
  const takenAs = stepOfEvent(route);
  const alike = ties.filter((t) => {
    const other = stepOfEvent(t);
    return other.size === takenAs.size && [...takenAs].every(([j, id]) => other.get(j) === id);
  });
  if (alike.length === 0) return out;
  // A step every alike route has after its failure is where the run goes whichever way it went.
  const stepsAfter = (r: Route) =>
    new Set(r.path.slice(lastTaken(r) + 1).map((ps) => `${ps.step.def.step}\u0000${ps.step.def.observer}`));
  const shared = alike.map(stepsAfter);
  route.path.forEach((ps, k) => {
    if (k <= last) return;
    const key = `${ps.step.def.step}\u0000${ps.step.def.observer}`;
    if (!shared.every((set) => set.has(key))) out.add(k);
  });
  return out;
}

/** The last path position of a route that takes an event (-1: none). */
function lastTaken(route: Route): number {
  for (let k = route.al.taken.length - 1; k >= 0; k--) if (route.al.taken[k]!.length > 0) return k;
  return -1;
}

/** Which step (by id) takes each event the route takes. */
function stepOfEvent(route: Route): Map<number, string> {
  const out = new Map<number, string>();
  route.al.taken.forEach((list, k) => {
    for (const j of list) out.set(j, route.path[k]!.step.def.step);
  });
  return out;
}
