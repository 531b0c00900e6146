// Replay one flow instance: align the events against every path of every
// variant, keep the best alignment, and say for each step what happened.
//
// Alignment is a small dynamic programme (steps × events): an event is taken by
// the current step, or the step is finished, or the event is left aside. The
// best alignment matches the most events, then the most with expected statuses,
// then leaves the fewest required steps missing; ties go to the earliest events.
// Between paths the one with fewer events it has no step for wins a tie, then
// the first variant/path as declared. Leftover events that a step of the
// flow recognises become out-of-order (if their step went unmatched) or unexpected.
import { Buffer } from 'node:buffer';
import type { Finding } from '../model/schema.js';
import type { FlowResult, FlowStepResult } from '../model/flow-schema.js';
import {
  compareVersion,
  describeStep,
  expectedStatuses,
  recognizes,
  statusOk,
  stepCaptures,
  type CompiledFlow,
  type CompiledStep,
  type PathStep,
} from './compile.js';
import type { FlowEvent } from './events.js';

export interface InstanceContext {
  command: number | null;
  /** The global request id of a request-scoped instance. */
  requestId: string | null;
  /** Where the instance starts (findings without an event point here). */
  source: string | null;
  line: number | null;
  /** e.g. "command `server add volume` (line 1)". */
  label: string;
}

/** matched and consistent count taken events whose captures agree with the anchor's. */
type Score = [matched: number, ok: number, notMissing: number, consistent: number];

interface Alignment {
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
interface PairTable {
  cells: Uint8Array;
  steps: number;
  events: number;
}
const TAKE = 1;
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
type Rank = [matched: number, ok: number, notForeign: number, notMissing: number, consistent: number];
interface Ranked {
  al: Alignment;
  rank: Rank;
}

// An alignment depends on nothing but the pair table, and the commands of a log repeat the same few shapes:
// per flow, the ranked alignments of its paths by table content (never modified once made).
const rankedCache = new WeakMap<CompiledFlow, Map<string, readonly Ranked[]>>();
const MAX_CACHED_TABLES = 256;
const MAX_CACHED_CELLS = 4096;

/** The alignment of every path of every variant, in declaration order, with its rank. */
function alignAll(flow: CompiledFlow, table: PairTable): readonly Ranked[] {
  const size = table.events * table.steps;
  // One character per cell (the steps are fixed per flow, so the length gives the event count).
  const key =
    size <= MAX_CACHED_CELLS ? Buffer.from(table.cells.buffer, table.cells.byteOffset, size).toString('latin1') : null;
  let cache = rankedCache.get(flow);
  if (key !== null) {
    const hit = cache?.get(key);
    if (hit) return hit;
  }
  const out: Ranked[] = [];
  for (const variant of flow.variants) {
    for (const path of variant.paths) {
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

interface GuardViolation {
  /** e.g. "compute microversion >= 2.20". */
  needs: string;
  /** The call that carried the highest microversion seen. */
  ev: FlowEvent;
}

/** The first of the variant's version guards the microversions seen in the instance break, or null. */
function guardViolation(variant: CompiledFlow['variants'][number], events: FlowEvent[]): GuardViolation | null {
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

/** Which service's log explains an event (for "look up … in …"). */
function logOf(ev: FlowEvent): string {
  if (ev.observer !== 'client') return `${ev.observer} log`;
  switch (ev.service) {
    case 'compute':
      return 'nova-api log';
    case 'volume':
      return 'cinder-api log';
    case 'identity':
      return 'keystone log';
    case 'image':
      return 'glance-api log';
    case 'network':
      return 'neutron-server log';
    default:
      return `${ev.service ?? 'service'} log`;
  }
}

function where(ev: FlowEvent): string {
  return `${ev.source ?? 'input'}:${ev.line ?? '?'}`;
}

function seenText(ev: FlowEvent): string {
  if (ev.type === 'marker') return `"${ev.message ?? ev.marker ?? ''}" at ${where(ev)}`;
  const status = ev.status === null ? 'no response' : `HTTP ${ev.status}`;
  const path =
    ev.resource === null ? '' : `/${ev.resource}${ev.query.size ? `?${[...ev.query.keys()].join('&')}` : ''}`;
  return `${ev.method ?? '?'} ${path} → ${status} at ${where(ev)}${ev.requestId ? ` (request id ${ev.requestId})` : ''}`;
}

export interface ReplayOutcome {
  result: FlowResult;
  findings: Finding[];
}

/** Replay one instance; null when no event of the flow is present. */
export function replayInstance(flow: CompiledFlow, events: FlowEvent[], ctx: InstanceContext): ReplayOutcome | null {
  // Which steps recognise which events, asked once per (step, event) here: the alignments below, one per
  // path of every variant, and the verdicts after them only read the table.
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
  const takes = (step: CompiledStep, j: number): boolean => (table.cells[j * nSteps + step.index]! & TAKE) !== 0;

  const higher = (a: Rank, b: Rank) => {
    for (let i = 0; i < a.length; i++) if (a[i]! !== b[i]!) return a[i]! > b[i]!;
    return false;
  };
  type Candidate = { variant: CompiledFlow['variants'][number]; path: PathStep[]; al: Alignment; rank: Rank };
  // The best route among the variants the microversions allow, and the best of all: when
  // a guard is what set them apart, the operator is told (the guard decided the verdict).
  let best: Candidate | null = null;
  let bestAny: Candidate | null = null;
  const ranked = alignAll(flow, table);
  let x = 0;
  for (const variant of flow.variants) {
    const allowed = guardViolation(variant, relevant) === null;
    for (const path of variant.paths) {
      const { al, rank: r } = ranked[x++]!;
      if (bestAny === null || higher(r, bestAny.rank)) bestAny = { variant, path, al, rank: r };
      if (allowed && (best === null || higher(r, best.rank))) best = { variant, path, al, rank: r };
    }
  }
  if (bestAny === null) return null;
  let guard: { text: string; ev: FlowEvent } | null = null;
  const seenVersion = (v: GuardViolation) => `the calls used ${v.ev.service} ${v.ev.microversion} (${seenText(v.ev)})`;
  if (best === null) {
    // No variant applies: replay the best fit anyway rather than drop the instance, and say why.
    best = bestAny;
    const v = guardViolation(best.variant, relevant)!;
    guard = {
      ev: v.ev,
      text:
        `No variant of ${flow.def.id} applies: ${best.variant.def.id} needs ${v.needs}, but ${seenVersion(v)}.` +
        " Replayed as that variant regardless; check the client's --os-*-api-version and the service release.",
    };
  } else if (bestAny.variant !== best.variant) {
    const v = guardViolation(bestAny.variant, relevant)!;
    guard = {
      ev: v.ev,
      text:
        `The calls fit the ${bestAny.variant.def.id} variant best, but it applies only at ${v.needs} and ${seenVersion(v)};` +
        ` replayed as ${best.variant.def.id}. Below that microversion the service refuses this operation (or takes another route).`,
    };
  }
  const { variant, path, al } = best;

  const used = new Set<number>();
  for (const list of al.taken) for (const j of list) used.add(j);
  // ev: the event the step result stands for (null for missing/skipped), for the capture check.
  const steps: Array<FlowStepResult & { seq: number; ev: FlowEvent | null; cs: CompiledStep }> = [];
  const lookup = ctx.requestId ? `global request id ${ctx.requestId}` : null;

  const stepEventSeq = (k: number): number | null => {
    const list = al.taken[k]!;
    return list.length > 0 ? relevant[list[list.length - 1]!]!.seq : null;
  };
  /** The last matched step before event position `seq` (for "came after"). */
  const matchedBefore = (seq: number): { k: number; step: CompiledStep } | null => {
    let found: { k: number; step: CompiledStep; at: number } | null = null;
    path.forEach((ps, k) => {
      for (const j of al.taken[k]!) {
        const at = relevant[j]!.seq;
        if (at < seq && (found === null || at > found.at)) found = { k, step: ps.step, at };
      }
    });
    return found;
  };
  const transitionsUpTo = (k: number): string | null => {
    for (let x = k - 1; x >= 0; x--) {
      const tr = path[x]!.step.def.transition;
      if (tr && al.taken[x]!.length > 0)
        return `${tr.resource} last moved to \`${tr.to}\` by ${path[x]!.step.def.step}`;
    }
    return null;
  };

  path.forEach((ps, k) => {
    const def = ps.step.def;
    const list = al.taken[k]!;
    for (const j of list) {
      const ev = relevant[j]!;
      const ok = statusOk(def, ev);
      const expected = expectedStatuses(def, ev);
      steps.push({
        ev,
        cs: ps.step,
        seq: ev.seq,
        step: def.step,
        status: ok ? 'matched' : 'failed',
        exchange: ev.exchange,
        line: ev.line,
        source: ev.source,
        observer: def.observer,
        after: null,
        requestId: ev.requestId,
        message: ok
          ? null
          : def.rollback
            ? `Rollback: ${def.title} (${seenText(ev)}) — the ${flow.def.title} failed before this call undid it.` +
              ` Look up ${lookup ?? ev.requestId ?? 'the request'} in the nova-compute and cinder-volume logs for the first error.`
            : `${def.title} failed: ${seenText(ev)}, expected ${expected ? `HTTP ${expected.join('/')}` : 'a success status'}` +
              `${ev.error ? ` — "${ev.error}"` : ''}. Look up ${ev.requestId ?? lookup ?? 'the request'} in the ${logOf(ev)}.`,
      });
    }
    if (list.length > 0) return;
    // Unmatched step: was it there, only in the wrong place?
    const strayIdx = relevant.findIndex((_, j) => !used.has(j) && takes(ps.step, j));
    if (strayIdx >= 0) {
      used.add(strayIdx);
      const ev = relevant[strayIdx]!;
      const prev = matchedBefore(ev.seq);
      const nextExpected = path.slice(k + 1).find((_, x) => al.taken[k + 1 + x]!.length > 0);
      steps.push({
        ev,
        cs: ps.step,
        seq: ev.seq,
        step: def.step,
        status: 'out-of-order',
        exchange: ev.exchange,
        line: ev.line,
        source: ev.source,
        observer: def.observer,
        after: prev?.step.def.step ?? null,
        requestId: ev.requestId,
        message:
          `${def.title} (${seenText(ev)}) came ${prev ? `after ${prev.step.def.step}` : 'too late'}` +
          `${nextExpected ? `; the ${variant.def.id} flow expects it before ${nextExpected.step.def.step}` : ''}.` +
          ` Check the ${logOf(ev)} around ${ev.requestId ?? lookup ?? where(ev)} for a retry or a race.`,
      });
      return;
    }
    const prevK = [...Array(k).keys()].reverse().find((x) => al.taken[x]!.length > 0);
    const seqHere = prevK === undefined ? -1 : stepEventSeq(prevK)!;
    if (ps.min === 0) {
      steps.push({
        ev: null,
        cs: ps.step,
        seq: seqHere + 0.5,
        step: def.step,
        status: 'skipped',
        exchange: null,
        line: null,
        source: null,
        observer: def.observer,
        after: null,
        requestId: null,
        message: null,
      });
      return;
    }
    const prevEv = prevK === undefined ? null : relevant[al.taken[prevK]!.at(-1)!]!;
    const state = transitionsUpTo(k);
    const tr = def.transition;
    steps.push({
      ev: null,
      cs: ps.step,
      seq: seqHere + 0.5,
      step: def.step,
      status: 'missing',
      exchange: null,
      line: null,
      source: null,
      observer: def.observer,
      after: prevK === undefined ? null : path[prevK]!.step.def.step,
      requestId: null,
      message:
        `${def.title} never appeared: expected ${describeStep(def)}` +
        `${prevEv ? ` after ${path[prevK!]!.step.def.step} (${seenText(prevEv)})` : ''}.` +
        `${tr ? ` Without it the ${tr.resource} does not reach \`${tr.to}\`${state ? ` (${state})` : ''}.` : state ? ` The ${state}.` : ''}` +
        (def.observer === 'client'
          ? ` The client never sent it: see the error or traceback of ${ctx.label} in the client log.`
          : ` Look for ${lookup ?? (prevEv?.requestId ? `request id ${prevEv.requestId}` : ctx.label)} in the ${def.observer} log (was it given to ostrace?).`),
    });
  });

  // Whatever the flow recognises but the chosen path has no room for.
  relevant.forEach((ev, j) => {
    if (used.has(j)) return;
    const known = path.find((ps) => takes(ps.step, j))?.step ?? allSteps.find((s) => takes(s, j))!;
    steps.push({
      ev,
      cs: known,
      seq: ev.seq,
      step: known.def.step,
      status: 'unexpected',
      exchange: ev.exchange,
      line: ev.line,
      source: ev.source,
      observer: known.def.observer,
      after: matchedBefore(ev.seq)?.step.def.step ?? null,
      requestId: ev.requestId,
      message:
        `Unexpected ${known.def.title.toLowerCase()} (${seenText(ev)}): the ${variant.def.id} variant of ${flow.def.id} has no room for it here.` +
        ` Look up ${ev.requestId ?? lookup ?? where(ev)} in the ${logOf(ev)}: a duplicate, a retry, or a different flow interleaved.`,
    });
  });

  steps.sort((a, b) => a.seq - b.seq);
  const captures = checkCaptures(steps, flow, lookup);
  const verdict: FlowResult['verdict'] = steps.some((s) => s.status === 'failed')
    ? 'failed'
    : steps.some((s) => s.status === 'missing' || s.status === 'mismatched')
      ? 'incomplete'
      : 'complete';
  const explains = steps
    .filter((s) => s.ev !== null && s.ev.exchange !== null && (s.status === 'matched' || s.status === 'out-of-order'))
    .filter((s) => statusOk(s.cs.def, s.ev!))
    .map((s) => s.exchange!)
    .sort((a, b) => a - b);

  const result: FlowResult = {
    flow: flow.def.id,
    variant: variant.def.id,
    command: ctx.command,
    verdict,
    family: flow.family,
    requestId: ctx.requestId,
    explains,
    steps: steps.map(({ seq: _seq, ev: _ev, cs: _cs, ...s }) => s),
    captures: Object.fromEntries(captures),
    guard: guard?.text ?? null,
  };
  const findings: Finding[] = result.steps
    .filter((s) => s.status !== 'matched' && s.status !== 'skipped')
    .map((s) => ({
      ruleId: stepRuleId(s.status),
      severity: s.status === 'failed' || s.status === 'missing' || s.status === 'mismatched' ? 'error' : 'warning',
      message: `${flow.def.id} [${s.step}]: ${s.message ?? ''}`,
      source: s.source ?? ctx.source,
      line: s.line ?? ctx.line,
      exchange: s.exchange,
    }));
  if (guard) {
    findings.push({
      ruleId: 'flow/version-guard',
      severity: 'warning',
      message: `${flow.def.id}: ${guard.text}`,
      source: guard.ev.source ?? ctx.source,
      line: guard.ev.line ?? ctx.line,
      exchange: guard.ev.exchange,
    });
  }
  return { result, findings };
}

/** The finding rule id of a step status (null for matched/skipped). */
export function stepRuleId(status: FlowStepResult['status']): string {
  switch (status) {
    case 'failed':
      return 'flow/failed-step';
    case 'missing':
      return 'flow/missing-step';
    case 'mismatched':
      return 'flow/capture-mismatch';
    default:
      return `flow/${status}`;
  }
}

type CheckedStep = FlowStepResult & { ev: FlowEvent | null; cs: CompiledStep };

/**
 * One instance is about one server, one volume, one attachment: the first step (in
 * event order) that names a capture binds it; a later step naming another value
 * is `mismatched` (e.g. a PUT /attachments/{id} for an attachment other than the
 * one nova-compute said it was updating). Returns the bindings.
 */
function checkCaptures(steps: CheckedStep[], flow: CompiledFlow, lookup: string | null): Map<string, string> {
  const bound = new Map<string, { value: string; step: string; ev: FlowEvent }>();
  for (const s of steps) {
    if (s.ev === null || (s.status !== 'matched' && s.status !== 'failed' && s.status !== 'out-of-order')) continue;
    const caps = stepCaptures(s.cs, s.ev);
    const clash = [...caps].find(([name, value]) => bound.has(name) && bound.get(name)!.value !== value);
    if (clash) {
      const [name, value] = clash;
      const first = bound.get(name)!;
      s.status = 'mismatched';
      s.after = first.step;
      s.message =
        `${s.cs.def.title} (${seenText(s.ev)}) is for ${name} ${value}, but this ${flow.def.title} is about ${name} ${first.value}` +
        ` (named by ${first.step}: ${seenText(first.ev)}). The step for ${name} ${first.value} never appeared;` +
        ` look up ${s.ev.requestId ?? lookup ?? where(s.ev)} in the ${logOf(s.ev)}: two operations interleaved under one request id, or a retry on another resource.`;
      continue;
    }
    for (const [name, value] of caps) if (!bound.has(name)) bound.set(name, { value, step: s.step, ev: s.ev });
  }
  return new Map([...bound].map(([name, b]) => [name, b.value]));
}
