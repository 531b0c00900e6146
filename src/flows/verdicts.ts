// The verdicts of a flow replay: given the chosen route (variant, path and its
// alignment), what happened to each step — matched, failed, out-of-order,
// missing, skipped, unexpected, mismatched — and the instance's verdict.
// Leftover events that a step of the flow recognises become out-of-order (if
// their step went unmatched) or unexpected.
import type { FlowResult, FlowStepResult, ResourceState } from '../model/flow-schema.js';
import type { Recognised, Route } from './align.js';
import {
  captureNames,
  expectedStatuses,
  statusOk,
  stepCaptures,
  type CompiledFlow,
  type CompiledStep,
} from './compile.js';
import type { FlowEvent } from './events.js';
import { MAX_EACH, type Step } from './grammar-schema.js';
import {
  failedText,
  mismatchText,
  missingText,
  notShownText,
  outOfOrderText,
  unexpectedText,
  type NotShown,
} from './messages.js';

/** A step result with what it stands for: its event (null for missing/skipped) and step, and its place in event order. */
export type CheckedStep = FlowStepResult & {
  seq: number;
  ev: FlowEvent | null;
  cs: CompiledStep;
  copy: number;
  group: number;
};

/** A capture's name in the instance: a later volume of an `each` group binds its own (`attachment#2`); the server is one. */
export function scopedName(name: string, copy: number): string {
  return copy === 1 || name === 'server' ? name : `${name}#${copy}`;
}

/** What the messages name the instance by. */
export interface InstanceNames {
  /** e.g. "global request id req-…", for request-scoped instances. */
  lookup: string | null;
  /** e.g. "command `server add volume` at client.log:1". */
  label: string;
  /**
   * The instance's start is not in the log: client calls outside any command (a paste that
   * begins mid-run). Steps before its first matched one may have happened before the log did.
   */
  startUnseen?: boolean;
  /**
   * The instance's command exited 0: it got past every step before the last one the log shows.
   * A client step the log leaves out there is not shown, not missing (`notShownOf`). Its argv is
   * null when the log does not show its command line (its START cut).
   */
  exitedOk?: { argv: readonly string[] | null };
  /**
   * The instance's command has no exit status in the log (its END cut, or never printed), with
   * these arguments (null: not in the log). A client step before the first step of it the log
   * shows was got past all the same, whatever the exit: the client went on to that step. A step
   * between two shown ones only when a later step names the id it looks up, which the command line
   * does not give: the client had it from that lookup, however it ended. In a log cut only at its
   * end that cannot be (osc logs every call it makes): such a step is gone from the middle of the
   * log (a grep, a paste of "the relevant part"). Without that, the step is missing: the client
   * went on without it.
   */
  endUnseen?: { argv: readonly string[] | null };
  /** Path positions the log does not settle (`unsettledAfterFailure`): left out of the steps. */
  unsettled?: ReadonlySet<number>;
}

/** Every step of the chosen route with its status, then the events it has no room for; in event order, captures checked. */
export function stepResults(flow: CompiledFlow, route: Route, found: Recognised, names: InstanceNames): CheckedStep[] {
  const { variant, path, al } = route;
  const { relevant, takes } = found;
  const { lookup, label } = names;
  const used = new Set<number>();
  for (const list of al.taken) for (const j of list) used.add(j);
  const steps: CheckedStep[] = [];

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
  /** The events of the steps after path position `k` the log shows, in path order. */
  const shownAfter = (k: number): Array<{ step: CompiledStep; ev: FlowEvent }> =>
    path.slice(k + 1).flatMap((ps, x) => al.taken[k + 1 + x]!.map((j) => ({ step: ps.step, ev: relevant[j]! })));
  /**
   * Why a client step of a command that exited 0 (or whose end is not shown) the log does not show was done all the same:
   * it comes before the first step of the command the log shows (the log starts after it, or
   * leaves it out), or a later step names the id it looks up, which the command line does not
   * give (the client had it from the lookup). Null when neither: then it is missing.
   */
  const notShownOf = (
    k: number,
    leading: boolean,
    argv: readonly string[] | null,
    exited0: boolean,
  ): NotShown | null => {
    const cs = path[k]!.step;
    if (cs.def.observer !== 'client') return null;
    const later = shownAfter(k);
    if (later.length === 0) return null;
    if (leading) return { first: { step: later[0]!.step.def.step, ev: later[0]!.ev }, named: null, exited0 };
    // Its command line unknown (not in the log) says nothing of which ids it gave.
    if (argv === null) return null;
    const names = new Set(cs.templates.flatMap(captureNames));
    for (const { step, ev } of later)
      for (const [name, value] of stepCaptures(step, ev))
        if (names.has(name) && !argv.includes(value))
          return { first: null, named: { step: step.def.step, ev, name, value }, exited0 };
    return null;
  };
  const transitionsUpTo = (k: number): string | null => {
    for (let x = k - 1; x >= 0; x--) {
      const def = path[x]!.step.def;
      const tr = def.transition;
      const taken = al.taken[x]!;
      // A call answered with an error moved nothing (the 400 of a refused os-begin_detaching).
      if (tr && taken.length > 0 && madeTransition(def, relevant[taken[taken.length - 1]!]!))
        return `${tr.resource} last moved to \`${tr.to}\` by ${path[x]!.step.def.step}`;
    }
    return null;
  };

  path.forEach((ps, k) => {
    if (names.unsettled?.has(k) === true) return;
    const def = ps.step.def;
    const list = al.taken[k]!;
    const { copy, group } = ps;
    for (const j of list) {
      const ev = relevant[j]!;
      const ok = statusOk(def, ev);
      steps.push({
        ev,
        cs: ps.step,
        copy,
        group,
        seq: ev.seq,
        step: def.step,
        status: ok ? 'matched' : 'failed',
        exchange: ev.exchange,
        line: ev.line,
        source: ev.source,
        observer: def.observer,
        ...stepFacts(def),
        after: null,
        requestId: ev.requestId,
        message: ok ? null : failedText(def, ev, flow.def.title, expectedStatuses(def, ev), lookup),
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
        copy,
        group,
        seq: ev.seq,
        step: def.step,
        status: 'out-of-order',
        exchange: ev.exchange,
        line: ev.line,
        source: ev.source,
        observer: def.observer,
        ...stepFacts(def),
        after: prev?.step.def.step ?? null,
        requestId: ev.requestId,
        message: outOfOrderText(
          def,
          ev,
          prev?.step.def.step ?? null,
          nextExpected?.step.def.step ?? null,
          variant.def.id,
          lookup,
        ),
      });
      return;
    }
    const prevK = [...Array(k).keys()].reverse().find((x) => al.taken[x]!.length > 0);
    const seqHere = prevK === undefined ? -1 : stepEventSeq(prevK)!;
    const prev =
      prevK === undefined ? null : { step: path[prevK]!.step.def.step, ev: relevant[al.taken[prevK]!.at(-1)!]! };
    // Before the first step seen of an instance whose start is not in the log: unknown, not missing.
    const beforeLog = names.startUnseen === true && prevK === undefined && al.taken.some((t) => t.length > 0);
    const required = ps.min !== 0 && !beforeLog;
    const unshown = !required
      ? null
      : names.exitedOk
        ? notShownOf(k, prevK === undefined, names.exitedOk.argv, true)
        : names.endUnseen
          ? notShownOf(k, prevK === undefined, names.endUnseen.argv, false)
          : null;
    steps.push({
      ev: null,
      cs: ps.step,
      copy,
      group,
      seq: seqHere + 0.5,
      step: def.step,
      status: required ? 'missing' : 'skipped',
      exchange: null,
      line: null,
      source: null,
      observer: def.observer,
      ...stepFacts(def),
      after: required ? (prev?.step ?? null) : null,
      requestId: null,
      message: unshown
        ? notShownText(def, prev, unshown, label)
        : required
          ? missingText(def, prev, transitionsUpTo(k), lookup, label)
          : null,
      ...(unshown ? { notShown: true } : {}),
    });
  });

  // Whatever the flow recognises but the chosen path has no room for.
  relevant.forEach((ev, j) => {
    if (used.has(j)) return;
    const known = path.find((ps) => takes(ps.step, j))?.step ?? flow.allSteps.find((s) => takes(s, j))!;
    steps.push({
      ev,
      cs: known,
      copy: 1,
      group: 0,
      seq: ev.seq,
      step: known.def.step,
      status: 'unexpected',
      exchange: ev.exchange,
      line: ev.line,
      source: ev.source,
      observer: known.def.observer,
      ...stepFacts(known.def),
      after: matchedBefore(ev.seq)?.step.def.step ?? null,
      requestId: ev.requestId,
      message: unexpectedText(known.def, ev, variant.def.id, flow.def.id, lookup),
    });
  });

  steps.sort((a, b) => a.seq - b.seq);
  return steps;
}

/** Each step's facts, made once: every instance of a flow reads them (tens of thousands a day). */
const factsOf = new WeakMap<Step, Pick<FlowStepResult, 'title' | 'call' | 'rollback'>>();

/** What the step is, from its flow file: its title, the call it expects, whether it is a rollback. */
function stepFacts(def: Step): Pick<FlowStepResult, 'title' | 'call' | 'rollback'> {
  let facts = factsOf.get(def);
  if (!facts) factsOf.set(def, (facts = factsFrom(def)));
  return facts;
}

function factsFrom(def: Step): Pick<FlowStepResult, 'title' | 'call' | 'rollback'> {
  const m = def.match;
  const path = m.path === undefined ? null : Array.isArray(m.path) ? m.path.join(' or ') : m.path;
  const call =
    m.marker !== undefined || m.message !== undefined || (m.method === undefined && path === null)
      ? null
      : [m.method, path, m.action ? `{"${m.action}": …}` : ''].filter(Boolean).join(' ');
  return { title: def.title, call, rollback: def.rollback === true };
}

/**
 * One instance is about one server, one volume, one attachment: the first step (in
 * event order) that names a capture binds it; a later step naming another value
 * is `mismatched` (e.g. a PUT /attachments/{id} for an attachment other than the
 * one nova-compute said it was updating). Returns the bindings.
 */
export function checkCaptures(steps: CheckedStep[], flow: CompiledFlow, lookup: string | null): Map<string, string> {
  const bound = new Map<string, { value: string; step: string; ev: FlowEvent }>();
  // The copies of `each` groups are matched to volumes by what they name, not by their order:
  // a rebuild detaches a data volume before the root and attaches the root first.
  const volumeOf = new Map<string, number>();
  const copyOf = (s: CheckedStep, caps: ReadonlyMap<string, string>): number => {
    if (s.group === 0) return s.copy;
    const key = `${s.group}.${s.copy}`;
    let copy = volumeOf.get(key);
    if (copy !== undefined) return copy;
    const named = [...caps].filter(([name]) => name !== 'server');
    if (named.length === 0) return s.copy;
    const fits = (k: number) =>
      named.every(([name, value]) => (bound.get(scopedName(name, k))?.value ?? value) === value);
    const same = (k: number) => named.some(([name, value]) => bound.get(scopedName(name, k))?.value === value);
    const copies = [s.copy, ...Array.from({ length: MAX_EACH }, (_, i) => i + 1).filter((k) => k !== s.copy)];
    copy = copies.find((k) => same(k) && fits(k)) ?? copies.find((k) => fits(k)) ?? s.copy;
    volumeOf.set(key, copy);
    return copy;
  };
  for (const s of steps) {
    if (s.ev === null || (s.status !== 'matched' && s.status !== 'failed' && s.status !== 'out-of-order')) continue;
    const own = stepCaptures(s.cs, s.ev);
    s.copy = copyOf(s, own);
    const caps = new Map([...own].map(([name, value]) => [scopedName(name, s.copy), value]));
    const clash = [...caps].find(([name, value]) => bound.has(name) && bound.get(name)!.value !== value);
    if (clash) {
      const [name, value] = clash;
      const first = bound.get(name)!;
      s.status = 'mismatched';
      s.after = first.step;
      s.message = mismatchText(s.cs.def, s.ev, name, value, flow.def.title, first, lookup);
      continue;
    }
    for (const [name, value] of caps) if (!bound.has(name)) bound.set(name, { value, step: s.step, ev: s.ev });
  }
  return new Map([...bound].map(([name, b]) => [name, b.value]));
}

/** failed when a step failed; incomplete when one is missing or for another resource; else complete. */
export function verdictOf(steps: readonly FlowStepResult[]): FlowResult['verdict'] {
  return steps.some((s) => s.status === 'failed')
    ? 'failed'
    : steps.some((s) => s.status === 'missing' || s.status === 'mismatched')
      ? 'incomplete'
      : 'complete';
}

/** The exchanges the flow expects with the status they got (matched or out of order), in id order. */
export function explainsOf(steps: readonly CheckedStep[]): number[] {
  return steps
    .filter((s) => s.ev !== null && s.ev.exchange !== null && (s.status === 'matched' || s.status === 'out-of-order'))
    .filter((s) => statusOk(s.cs.def, s.ev!))
    .map((s) => s.exchange!)
    .sort((a, b) => a - b);
}

/** The rule id that reports a step status (null for matched/skipped): the flow/* rules and the flow files' sample expectations use it. */
export function stepRuleId(status: FlowStepResult['status']): string | null {
  switch (status) {
    case 'matched':
    case 'skipped':
      return null;
    case 'failed':
      return 'flow/failed-step';
    case 'missing':
      return 'flow/missing-step';
    case 'mismatched':
      return 'flow/capture-mismatch';
    case 'unexpected':
      return 'flow/unexpected-step';
    case 'out-of-order':
      return 'flow/out-of-order';
  }
}

/**
 * Did this step's event make the step's status change? A call answered as expected
 * did; so did a rollback or failure line (it happens as described, although it means
 * the operation failed); a call answered with an error did not.
 */
function madeTransition(def: CheckedStep['cs']['def'], ev: FlowEvent): boolean {
  return def.rollback === true || def.failure === true || statusOk(def, ev);
}

/**
 * The status the instance left its resource in: the transition of its last step (in
 * event order) that happened — a call answered as expected, or a rollback or failure
 * line, which happen as described although they mean the operation failed. A call
 * answered with an error changed nothing. Null when no such step or no resource id.
 */
export function leftState(steps: readonly CheckedStep[], captures: ReadonlyMap<string, string>): ResourceState | null {
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!;
    const tr = s.cs.def.transition;
    if (!tr || s.ev === null) continue;
    if (s.status !== 'matched' && s.status !== 'failed' && s.status !== 'out-of-order') continue;
    if (!madeTransition(s.cs.def, s.ev)) continue;
    const id = captures.get(scopedName(tr.capture ?? tr.resource, s.copy));
    if (id === undefined) return null;
    return {
      resource: tr.resource,
      id,
      state: tr.to,
      step: s.step,
      source: s.source,
      line: s.line,
      requestId: s.requestId,
      atMs: s.ev.atMs,
    };
  }
  return null;
}
