// Flow instances of two runs matched by what they are — flow, variant and the name of
// the command they belong to — never by ids, which differ between any two runs: first the
// instances whose commands were typed alike (`server add volume srv-1 vol-1` in both runs,
// wherever it ran), then the rest in order, the k-th left on one side with the k-th left on
// the other; then, per matched pair, the steps whose status differs.
import type { FlowDiff, StepChange } from '../model/diff-schema.js';
import type { FlowResult, FlowStepResult } from '../model/flow-schema.js';
import type { RunResult } from '../model/schema.js';
import { flowsByCommand } from '../explain/problems.js';

type Status = FlowStepResult['status'];

interface Instance {
  flow: FlowResult;
  command: string | null;
  /** The command line as typed (its options and arguments), for commands. */
  argv: string | null;
  key: string;
  /** Its flow and command without the variant: a client upgraded between the runs, or an excerpt that leaves the telling steps out. */
  kind: string;
  occurrence: number;
}

/** Every flow instance of a run with its command name and its occurrence among its kind. */
export function instancesOf(run: RunResult): Instance[] {
  const { flowsOfCommand, orphanFlows } = flowsByCommand(run);
  const names = new Map(run.commands.map((c) => [c.id, { name: c.name ?? c.argv.join(' '), argv: c.argv }]));
  const listed: Array<{ flow: FlowResult; command: string | null; argv: string | null }> = [];
  for (const [id, flows] of flowsOfCommand)
    for (const flow of flows) {
      const c = names.get(id);
      listed.push({ flow, command: c?.name ?? null, argv: c ? JSON.stringify(c.argv) : null });
    }
  for (const flow of orphanFlows) listed.push({ flow, command: null, argv: null });
  // Log order: a command's flows by its id, orphans where they start.
  const seen = new Map<string, number>();
  return listed.map(({ flow, command, argv }) => {
    const key = JSON.stringify([flow.flow, flow.variant, command]);
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    return { flow, command, argv, key, kind: JSON.stringify([flow.flow, command]), occurrence };
  });
}

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

/** Matched pairs that differ, and the instances of one side only; with how many pairs matched. */
/**
 * Which BASE instance each HEAD instance is: the same kind run by a command typed alike (in
 * log order among those), else the next of its kind neither side has paired yet.
 */
function pairInstances(base: readonly Instance[], head: readonly Instance[]): Map<Instance, Instance> {
  const pairs = new Map<Instance, Instance>();
  const paired = new Set<Instance>();
  const queues = (keyOf: (i: Instance) => string | null) => {
    const out = new Map<string, Instance[]>();
    for (const b of base) {
      const k = keyOf(b);
      if (k === null || paired.has(b)) continue;
      const q = out.get(k);
      if (q) q.push(b);
      else out.set(k, [b]);
    }
    return out;
  };
  const pairBy = (keyOf: (i: Instance) => string | null) => {
    const waiting = queues(keyOf);
    for (const h of head) {
      const k = keyOf(h);
      if (k === null || pairs.has(h)) continue;
      const b = waiting.get(k)?.shift();
      if (!b) continue;
      pairs.set(h, b);
      paired.add(b);
    }
  };
  pairBy((i) => (i.argv === null ? null : `${i.key}\u0000${i.argv}`));
  pairBy((i) => i.key);
  // Another variant only for a command typed alike: the same command line run by an upgraded
  // client, or cut so the lookups that tell the variants apart are out of sight.
  pairBy((i) => (i.argv === null ? null : `${i.kind}\u0000${i.argv}`));
  return pairs;
}

export function diffFlows(baseRun: RunResult, headRun: RunResult): { flows: FlowDiff[]; matched: number } {
  const base = instancesOf(baseRun);
  const head = instancesOf(headRun);
  const pairs = pairInstances(base, head);
  const used = new Set<Instance>();
  const flows: FlowDiff[] = [];
  let matched = 0;
  for (const h of head) {
    const b = pairs.get(h);
    const common = { flow: h.flow.flow, variant: h.flow.variant, command: h.command, occurrence: h.occurrence };
    if (!b) {
      flows.push({
        ...common,
        match: 'head-only',
        base: null,
        head: side(h.flow),
        firstDivergence: null,
        steps: [],
        worse: verdictRank(h.flow) > VERDICT_RANK.complete,
      });
      continue;
    }
    used.add(b);
    matched++;
    const steps = stepDiff(b.flow, h.flow);
    const worse =
      verdictRank(h.flow) > verdictRank(b.flow) || steps.some((s) => s.change === 'failed' || s.change === 'missing');
    if (steps.length === 0 && h.flow.verdict === b.flow.verdict) continue;
    flows.push({
      ...common,
      match: 'matched',
      base: side(b.flow),
      head: side(h.flow),
      firstDivergence: steps.find((s) => s.change !== 'fixed') ?? steps[0] ?? null,
      steps,
      worse,
    });
  }
  for (const b of base) {
    if (used.has(b)) continue;
    flows.push({
      flow: b.flow.flow,
      variant: b.flow.variant,
      command: b.command,
      occurrence: b.occurrence,
      match: 'base-only',
      base: side(b.flow),
      head: null,
      firstDivergence: null,
      steps: [],
      // Not run in HEAD: another workload, not a failure of HEAD.
      worse: false,
    });
  }
  return { flows, matched };
}
