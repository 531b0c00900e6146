// Flow instances of two runs matched by what they are — flow, variant and the name of
// the command they belong to — never by ids, which differ between any two runs: first the
// instances whose commands were typed alike (`server add volume srv-1 vol-1` in both runs,
// wherever it ran), then the rest in order, the k-th left on one side with the k-th left on
// the other; then, per matched pair, the steps whose status differs.
import type { FlowDiff, StepChange } from '../model/diff-schema.js';
import type { FlowResult, FlowStepResult } from '../model/flow-schema.js';
import type { RunResult } from '../model/schema.js';
import { column } from '../core/columns.js';
import { instanceNames, RunInstances } from './instances.js';

type Status = FlowStepResult['status'];

const OK = new Set<Status>(['matched', 'out-of-order']);
const PRESENT = new Set<Status>(['matched', 'out-of-order', 'failed', 'mismatched', 'unexpected']);
const RANK: Record<Status, number> = {
  failed: 0,
  mismatched: 1,
  unexpected: 2,
  'out-of-order': 3,
  matched: 4,
  missing: 5,
  skipped: 6,
};

/** One status per step name (a repeated step is as bad as its worst occurrence), in first-seen order. */
function stepStatuses(flow: FlowResult): Map<string, FlowStepResult> {
  const out = new Map<string, FlowStepResult>();
  for (const s of flow.steps) {
    const had = out.get(s.step);
    if (!had || RANK[s.status] < RANK[had.status]) out.set(s.step, s);
  }
  return out;
}

function changeOf(base: Status | null, head: Status | null, headNotShown: boolean): StepChange['change'] | null {
  if (base === head) return null;
  // A step the head's log leaves out though its command got past it is unknown there, not lost.
  if (headNotShown) return null;
  const baseOk = base !== null && OK.has(base);
  if (baseOk && head === 'failed') return 'failed';
  // A skipped step is optional: not seeing it is not missing it.
  if (baseOk && (head === null || head === 'missing')) return 'missing';
  if ((base === null || base === 'skipped') && head !== null && PRESENT.has(head)) return 'new';
  if ((base === 'failed' || base === 'missing' || base === 'mismatched') && head !== null && OK.has(head))
    return 'fixed';
  // An optional step seen on one side only, or a step off both routes, is no change.
  if (head === 'skipped' || head === null) return null;
  return 'changed';
}

function stepDiff(base: FlowResult, head: FlowResult): StepChange[] {
  const b = stepStatuses(base);
  const h = stepStatuses(head);
  const excerpt = head.steps.some((s) => s.status === 'missing' && s.notShown === true);
  const names = [...h.keys(), ...[...b.keys()].filter((k) => !h.has(k))];
  const out: StepChange[] = [];
  for (const name of names) {
    const bs = b.get(name) ?? null;
    const hs = h.get(name) ?? null;
    // Two variants of a flow: a step only one of them has is no change. An excerpt (a step not
    // shown in HEAD) that took the other of two alternatives may have made this one where it is cut.
    if (base.variant !== head.variant && (bs === null || hs === null)) continue;
    if (hs === null && excerpt) continue;
    const change = changeOf(bs?.status ?? null, hs?.status ?? null, hs?.status === 'missing' && hs.notShown === true);
    if (change === null) continue;
    const where = hs && PRESENT.has(hs.status) ? hs : (hs ?? bs)!;
    out.push({
      step: name,
      change,
      base: bs?.status ?? null,
      head: hs?.status ?? null,
      message: hs?.message ?? bs?.message ?? null,
      source: where.source,
      line: where.line,
    });
  }
  return out;
}

const VERDICT_RANK = { complete: 0, incomplete: 1, failed: 2 } as const;

/** Its verdict's rank, where incomplete only by steps its log leaves out (`notShown`) is complete: unknown is not worse. */
function verdictRank(f: FlowResult): number {
  const missing = f.steps.filter((s) => s.status === 'missing');
  const onlyNotShown = missing.length > 0 && missing.every((s) => s.notShown === true);
  return f.verdict === 'incomplete' && onlyNotShown ? VERDICT_RANK.complete : VERDICT_RANK[f.verdict];
}

function side(f: FlowResult): FlowDiff['base'] {
  return {
    verdict: f.verdict,
    command: f.command,
    requestId: f.requestId,
    source: f.source ?? null,
    line: f.line ?? null,
  };
}

/** A group an instance is paired within on one pass: two numbers, or null when it takes no part. */
type GroupOf = (side: RunInstances, at: number) => readonly [number, number] | null;

/** The instances of `side` in a pass (not yet paired, in a group), sorted by group then log order. */
function grouped(
  side: RunInstances,
  taken: (at: number) => boolean,
  groupOf: GroupOf,
): { ats: Uint32Array; a: Int32Array; b: Float64Array } {
  const a = column(Int32Array, side.count);
  const b = column(Float64Array, side.count);
  let n = 0;
  const ats = column(Uint32Array, side.count);
  for (let at = 0; at < side.count; at++) {
    if (taken(at)) continue;
    const g = groupOf(side, at);
    if (g === null) continue;
    a[at] = g[0];
    b[at] = g[1];
    ats[n++] = at;
  }
  const list = ats.subarray(0, n).sort((x, y) => a[x]! - a[y]! || b[x]! - b[y]! || x - y);
  return { ats: list, a, b };
}

/**
 * Which BASE instance each HEAD instance is (by place, -1: none): the same kind run by a command
 * typed alike (in log order among those), else the next of its kind neither side has paired yet.
 * Each pass pairs, group by group, the k-th HEAD instance of a group with its k-th BASE one; a
 * group by command line is one by its hash, the lines themselves compared when paired.
 */
function pairInstances(base: RunInstances, head: RunInstances): Int32Array {
  const pairs = column(Int32Array, head.count).fill(-1);
  const paired = column(Uint8Array, base.count);
  const pairBy = (groupOf: GroupOf, byArgv: boolean) => {
    const b = grouped(base, (at) => paired[at] === 1, groupOf);
    const h = grouped(head, (at) => pairs[at]! >= 0, groupOf);
    const same = (x: number, y: number) => h.a[x] === b.a[y] && h.b[x] === b.b[y];
    let i = 0;
    let j = 0;
    while (i < h.ats.length && j < b.ats.length) {
      const x = h.ats[i]!;
      const y = b.ats[j]!;
      const order = h.a[x]! - b.a[y]! || h.b[x]! - b.b[y]!;
      if (order < 0) i++;
      else if (order > 0) j++;
      else {
        let iEnd = i;
        while (iEnd < h.ats.length && same(h.ats[iEnd]!, y)) iEnd++;
        let jEnd = j;
        while (jEnd < b.ats.length && same(x, b.ats[jEnd]!)) jEnd++;
        // The first BASE instance of the group not yet paired (whose command line is the same).
        let first = j;
        for (; i < iEnd; i++) {
          const at = h.ats[i]!;
          const argv = byArgv ? head.argv(at) : null;
          for (let k = first; k < jEnd; k++) {
            const other = b.ats[k]!;
            if (paired[other] === 1 || (byArgv && base.argv(other) !== argv)) continue;
            pairs[at] = other;
            paired[other] = 1;
            break;
          }
          while (first < jEnd && paired[b.ats[first]!] === 1) first++;
        }
        j = jEnd;
      }
    }
  };
  const withArgv =
    (ids: (side: RunInstances) => Int32Array): GroupOf =>
    (side, at) => {
      const hash = side.argvHash(at);
      return hash === null ? null : [ids(side)[at]!, hash];
    };
  pairBy(
    withArgv((s) => s.keys),
    true,
  );
  pairBy((side, at) => [side.keys[at]!, 0], false);
  // Another variant only for a command typed alike: the same command line run by an upgraded
  // client, or cut so the lookups that tell the variants apart are out of sight.
  pairBy(
    withArgv((s) => s.kinds),
    true,
  );
  return pairs;
}

/**
 * Matched pairs that differ, and the instances of one side only; with how many pairs matched.
 * `heldInMemory`: the flow results and command lines the instances held as objects (past `budget`
 * characters they are parked in files).
 */
export function diffFlows(
  baseRun: RunResult,
  headRun: RunResult,
  budget?: number,
): { flows: FlowDiff[]; matched: number; heldInMemory: { flows: number; commandLines: number } } {
  const names = instanceNames();
  const base = new RunInstances(baseRun, names, budget);
  const head = new RunInstances(headRun, names, budget);
  const heldInMemory = {
    flows: base.heldInMemory.flows + head.heldInMemory.flows,
    commandLines: base.heldInMemory.commandLines + head.heldInMemory.commandLines,
  };
  const pairs = pairInstances(base, head);
  const used = column(Uint8Array, base.count);
  const flows: FlowDiff[] = [];
  let matched = 0;
  for (let at = 0; at < head.count; at++) {
    const hf = head.flow(at);
    const command = head.command(at);
    const common = { flow: hf.flow, variant: hf.variant, command, occurrence: head.occurrences[at]! };
    const b = pairs[at]!;
    if (b < 0) {
      flows.push({
        ...common,
        match: 'head-only',
        base: null,
        head: side(hf),
        firstDivergence: null,
        steps: [],
        worse: verdictRank(hf) > VERDICT_RANK.complete,
      });
      continue;
    }
    used[b] = 1;
    matched++;
    const bf = base.flow(b);
    const steps = stepDiff(bf, hf);
    const worse =
      verdictRank(hf) > verdictRank(bf) || steps.some((s) => s.change === 'failed' || s.change === 'missing');
    if (steps.length === 0 && hf.verdict === bf.verdict) continue;
    flows.push({
      ...common,
      match: 'matched',
      base: side(bf),
      head: side(hf),
      firstDivergence: steps.find((s) => s.change !== 'fixed') ?? steps[0] ?? null,
      steps,
      worse,
    });
  }
  for (let at = 0; at < base.count; at++) {
    if (used[at] === 1) continue;
    const bf = base.flow(at);
    flows.push({
      flow: bf.flow,
      variant: bf.variant,
      command: base.command(at),
      occurrence: base.occurrences[at]!,
      match: 'base-only',
      base: side(bf),
      head: null,
      firstDivergence: null,
      steps: [],
      // Not run in HEAD: another workload, not a failure of HEAD.
      worse: false,
    });
  }
  base.dispose();
  head.dispose();
  return { flows, matched, heldInMemory };
}
