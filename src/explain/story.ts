// The facts of one problem, read from what the stages computed: what the client
// asked and saw, the failed call that ended first, what followed (rollback, timeouts,
// ERROR lines, silent services, the resource's states), which ids to look up where,
// and which logs were not given.
import type { Analysis } from '../core/analysis.js';
import { KeyIndex } from '../core/key-index.js';
import { timestampMs } from '../core/time.js';
import type { Chain } from '../model/chain-schema.js';
import type { ExplainedCall, Explanation, ExplanationEvent } from '../model/explain-schema.js';
import type { FlowResult, FlowStepResult } from '../model/flow-schema.js';
import type { Exchange, Finding, FindingCause, FindingObserved, ServerFault } from '../model/schema.js';
import type { ServiceError, ServiceEvent } from '../model/service-schema.js';
import { maskText } from '../secrets/mask.js';
import { rowsWith, type Rows } from '../rows/rows.js';
import { pathTemplate } from '../stats/template.js';
import {
  API_SERVICE,
  clientFlowsOf,
  expectedServices,
  failedStep,
  firstMissingOf,
  missingLogsOf,
  serverFlowsOf,
} from './alike.js';
import { LOGGED_ERROR_RULE, type Problem, type RunIndex, type VolumeRead } from './problems.js';
import { attachRolledBack } from '../rules/flow/attach-rolled-back.js';
import { detachLeftInUse } from '../rules/flow/detach-left-in-use.js';
import type { MarkedFailure } from '../flows/failure-steps.js';
import { leftInError } from '../rules/command/left-in-error.js';
import { serverFault } from '../rules/api/server-fault.js';

/** The rule that tells a server's fault: the story tells the fault itself. */
const SERVER_FAULT_RULE = serverFault.meta.id;

/** Error texts are cut here: the paragraph names the error, the log has the rest. */
const ERROR_CHARS = 240;
/** ERROR lines of services told per problem. */
const ERROR_LINES = 3;

export interface StoryFacts extends Omit<Explanation, 'title' | 'text' | 'alike'> {
  /** The first required step that never happened, when no step failed. */
  firstMissing: FlowStepResult | null;
  /** Given the client flow only: the service flow is unknown because its logs were not given. */
  serviceLogsGiven: boolean;
  /**
   * A failed command none of whose calls failed: its last call, when that changed something and
   * was accepted (the client failed on the answer, after the request went through).
   */
  acceptedLast: ExplainedCall | null;
  /** The command's run is whole in the log though no exit status is (a run without --debug). */
  commandEnded: boolean;
  /**
   * An operation the API accepted that the client's own later read shows failed: an attach
   * rolled back (flow/attach-rolled-back), a detach rolled back (flow/detach-left-in-use), a volume
   * left in an error status (command/left-in-error). `rolledBack` names the operation rolled back.
   */
  undone: { rolledBack: 'attach' | 'detach' | null; observed: FindingObserved } | null;
  /**
   * A command that exited 0 whose failed call the client re-sent (keystoneauth's retries): the last
   * re-send, when it was answered without error — the call recovered, the command did not fail there.
   */
  recovered: ExplainedCall | null;
  /**
   * The volume operation a logged error's request was doing, as the service's step markers under
   * its request id name it (nova-compute's `Failed to attach VOLUME at /dev/vdb` with its
   * `[instance: …]`): a pasted traceback's story says which attach or detach failed.
   */
  loggedOperation?: LoggedOperation | null;
  /**
   * The failure step of a flow that the logged error's record (else another record of its request
   * in its log) marks, when no instance of the flow started: which operation failed, and where.
   */
  loggedStep?: MarkedFailure | null;
  /** The server's fault the command's output or its GET of the server showed (api/server-fault). */
  serverFault?: (ServerFault & { server: string | null; source: string; line: number }) | null;
}

export interface LoggedOperation {
  verb: 'attach' | 'detach' | 'swap' | 'extend';
  volume: string | null;
  instance: string | null;
  device: string | null;
  service: string | null;
}

/** Step markers that name a volume operation by their id: `nova.attach.failed`, `cinder.volume.detach-volume`. */
const OPERATION_MARKER = /^(?:nova\.(attach|detach|swap|extend)\.|cinder\.volume\.(attach|detach)-volume$)/;

/** The operation the markers of one request in one log name: its verb, volume, server and device. */
export function operationOfEvents(events: readonly ServiceEvent[]): LoggedOperation | null {
  let op: LoggedOperation | null = null;
  for (const ev of events) {
    const m = ev.marker === null ? null : OPERATION_MARKER.exec(ev.marker);
    if (!m) continue;
    const verb = (m[1] ?? m[2]) as LoggedOperation['verb'];
    op ??= { verb, volume: null, instance: null, device: null, service: ev.service };
    if (op.verb !== verb) continue;
    op.volume ??= ev.volume;
    op.instance ??= ev.instance;
    op.device ??= /(\/dev\/[a-z0-9]+)/.exec(ev.message)?.[1] ?? null;
  }
  return op;
}

/** Where an accepted operation goes on after the API answered, and so where it fails after the client was told it worked. */
const AFTER_ACCEPT: Record<string, string[]> = {
  [attachRolledBack.meta.id]: ['nova-compute', 'cinder-api', 'cinder-volume'],
  // nova-compute detaches after the 202 and, failing, has cinder-api roll the volume back to `in-use`.
  [detachLeftInUse.meta.id]: ['nova-compute', 'cinder-api'],
  // cinder-scheduler places a create, an extend and a retype before cinder-volume does the work.
  [leftInError.meta.id]: ['cinder-api', 'cinder-scheduler', 'cinder-volume'],
};

/** The operation each rule that finds one rolled back names. */
const ROLLED_BACK: Record<string, 'attach' | 'detach'> = {
  [attachRolledBack.meta.id]: 'attach',
  [detachLeftInUse.meta.id]: 'detach',
};

export function cut(text: string, chars = ERROR_CHARS): string {
  const one = maskText(text).replace(/\s+/g, ' ').trim();
  return one.length > chars ? `${one.slice(0, chars - 1)}…` : one;
}

/** ERROR lines after the first error mostly repeat it: their start says enough. */
const ERROR_LINE_CHARS = 140;

function endMs(e: Exchange): number | null {
  if (e.startedAt === null) return null;
  const start = timestampMs(e.startedAt);
  return start === null ? null : start + (e.durationMs ?? e.serverTimeMs ?? 0);
}

function callOf(e: Exchange | undefined, step: FlowStepResult | null): ExplainedCall {
  return {
    service: e?.service ?? step?.observer ?? null,
    method: e?.method ?? null,
    path: e?.path ?? null,
    // A step read from a log line (cinder-volume's "Extend volume failed") has no call: its title names it.
    call:
      step?.call ?? (e ? [e.method, pathTemplate(e.path)].filter(Boolean).join(' ') || null : (step?.title ?? null)),
    status: e?.status ?? null,
    error: e?.error?.message ? cut(e.error.message) : null,
    durationMs: e?.durationMs ?? e?.serverTimeMs ?? null,
    requestId: e?.requestId ?? step?.requestId ?? null,
    globalRequestId: e?.globalRequestId ?? null,
    exchange: e?.id ?? step?.exchange ?? null,
    source: e?.source ?? step?.source ?? null,
    line: e?.line ?? step?.line ?? null,
  };
}

const serverFlows = (p: Problem) => serverFlowsOf(p.flows);
const clientFlows = (p: Problem) => clientFlowsOf(p.flows);

/** The server's fault its command printed, else the one its GET of a server was answered with. */
function serverFaultOfProblem(p: Problem, index: RunIndex): StoryFacts['serverFault'] {
  const c = p.command;
  if (!c) return null;
  const read = c.exchanges.map((id) => index.exchanges.get(id)).find((e) => e?.resource?.fault !== undefined);
  const server = read?.resource?.id ?? null;
  if (c.fault) return { ...c.fault, server, source: c.source };
  const fault = read?.resource?.fault;
  return fault && read ? { ...fault, server, source: read.source, line: read.line } : null;
}

/** The client call that started the service-side operation, else the one that failed. */
function clientCallOf(p: Problem, index: RunIndex): ExplainedCall | null {
  const ids = new Set(serverFlows(p).map((f) => f.requestId));
  // The callee's own ids of the operation's calls: the client's call that got one of them
  // started it, even when an earlier read of the command shares the group's id (cinderclient
  // sends its first GET's request id as the global id of the calls after it).
  const stepIds = new Set(
    serverFlows(p)
      .flatMap((f) => f.steps.map((s) => s.requestId))
      .filter((id) => id !== null),
  );
  const own = (p.command?.exchanges ?? []).map((id) => index.exchanges.get(id)).filter((e) => e !== undefined);
  const started =
    own.find((e) => e.requestId !== null && stepIds.has(e.requestId) && !ids.has(e.requestId)) ??
    own.find((e) => (e.requestId && ids.has(e.requestId)) || (e.globalRequestId && ids.has(e.globalRequestId)));
  const stepOf = (e: Exchange) =>
    clientFlows(p)
      .flatMap((f) => f.steps)
      .find((s) => s.exchange === e.id) ?? null;
  if (started) return callOf(started, stepOf(started));
  for (const f of clientFlows(p)) {
    const failed = f.steps.find((s) => s.status === 'failed' && s.exchange !== null);
    if (failed) return callOf(index.exchanges.get(failed.exchange!), failed);
  }
  const explained = new Set(p.flows.flatMap((f) => f.explains));
  const error = own
    .filter(
      (e, i) => e.status !== null && e.status >= 400 && !explained.has(e.id) && !isNameLookup(e, own.slice(i + 1)),
    )
    .at(-1);
  if (error) return callOf(error, stepOf(error));
  if (p.stray?.exchange != null) {
    const e = index.exchanges.get(p.stray.exchange);
    if (e?.side === 'client') return callOf(e, null);
  }
  return null;
}

/** The last call of a failed command that no failed call explains, when it wrote and was accepted. */
function acceptedLastOf(p: Problem, clientCall: ExplainedCall | null, index: RunIndex): ExplainedCall | null {
  if (clientCall !== null || !p.command || (p.command.exitCode ?? 0) === 0) return null;
  const lastId = p.command.exchanges.at(-1);
  if (lastId === undefined) return null;
  const last = index.exchanges.get(lastId);
  if (!last || last.method === 'GET' || last.method === 'HEAD' || last.status === null || last.status >= 400)
    return null;
  return callOf(last, null);
}

/**
 * A client's lookup of a name as an id: `GET …/servers/srv-1` → 404, then the list filtered by
 * that name (`GET …/servers?name=srv-1`). Every client resolves names this way; the 404 is
 * the expected first half, not why a command failed (a command without a flow of its own).
 */
function isNameLookup(e: Exchange, later: readonly Exchange[]): boolean {
  if (e.status !== 404 || e.method !== 'GET' || e.path === null) return false;
  const path = e.path.split('?')[0]!;
  const cut = path.lastIndexOf('/');
  if (cut <= 0) return false;
  const name = path.slice(cut + 1);
  const collection = path.slice(0, cut);
  return later.some(
    (x) =>
      x.method === 'GET' &&
      x.status !== null &&
      x.status < 400 &&
      x.path !== null &&
      x.path.split('?')[0]!.replace(/\/detail$/, '') === collection &&
      new URLSearchParams(x.path.split('?')[1] ?? '').get('name') === decodeURIComponent(name),
  );
}

/** The last re-send of the failed call in a command that exited 0, when that answer was no error. */
function recoveredOf(p: Problem, firstError: Explanation['firstError'], index: RunIndex): ExplainedCall | null {
  if (firstError?.exchange == null || p.command?.exitCode !== 0) return null;
  let at = firstError.exchange;
  let last: Exchange | undefined;
  // A command's calls are in log order: each re-send follows the attempt it repeats.
  for (const id of p.command.exchanges) {
    const x = index.exchanges.get(id);
    if (x?.kind === 'resend' && x.resendOf === at) {
      last = x;
      at = x.id;
    }
  }
  return last !== undefined && last.status !== null && last.status < 400 ? callOf(last, null) : null;
}

/** The failed call that ended first: the service side's when service logs were given (the callee fails before its caller). */
function firstErrorOf(p: Problem, index: RunIndex): Explanation['firstError'] {
  const fromFlows = (flows: FlowResult[]) =>
    flows.flatMap((f, fi) =>
      f.steps.map((s, si) => ({ f, s, order: fi * 1000 + si })).filter(({ s }) => failedStep(s)),
    );
  let candidates = fromFlows(serverFlows(p));
  if (candidates.length === 0) candidates = fromFlows(clientFlows(p));
  if (candidates.length > 0) {
    const ends = candidates.map((c) => (c.s.exchange === null ? null : endOf(index.exchanges.get(c.s.exchange))));
    let best = 0;
    candidates.forEach((c, i) => {
      const a = ends[i]!;
      const b = ends[best]!;
      if (a !== null && b !== null ? a < b : c.order < candidates[best]!.order) best = i;
    });
    const { f, s } = candidates[best]!;
    const e = s.exchange === null ? undefined : index.exchanges.get(s.exchange);
    return { ...callOf(e, s), globalRequestId: e?.globalRequestId ?? f.requestId, step: s.step, flow: f.flow };
  }
  // No flow names it: the stray finding's call, the ERROR record it is about, or the client's error.
  const logged = loggedErrorOf(p, index);
  if (logged)
    return {
      ...callOf(undefined, null),
      service: logged.service,
      error: cut(logged.exception ?? logged.message),
      requestId: logged.requestId,
      globalRequestId: logged.globalRequestId,
      source: logged.source,
      line: logged.line,
      step: null,
      flow: null,
    };
  const id = p.stray?.exchange ?? null;
  const e = id === null ? undefined : index.exchanges.get(id);
  if (e) return { ...callOf(e, null), step: null, flow: null };
  // A finding of the command itself (its error line, no call): the command's error tells it.
  if (p.stray && p.stray.source !== null && p.command === null)
    return {
      ...callOf(undefined, null),
      error: cut(p.stray.message),
      source: p.stray.source,
      line: p.stray.line,
      step: null,
      flow: null,
    };
  return null;
}

/**
 * The call a problem's ERROR record quoted the answer of, when the callee's log is not given
 * (else its server exchange tells the problem): the status and the callee's request id.
 */
function loggedCallOf(p: Problem, index: RunIndex): Pick<StoryFacts, 'loggedCall'> {
  if (p.stray?.ruleId !== LOGGED_ERROR_RULE) return {};
  const rc = index.recordCalls.get(`${p.stray.source}:${p.stray.line}`);
  if (!rc || rc.callee !== null) return {};
  return {
    loggedCall: {
      status: rc.call.status,
      requestId: rc.call.requestId,
      exchange: rc.call.id,
      service: rc.call.service,
    },
  };
}

/** What the logged error's request was doing, from the step markers of its request id in its own log. */
function loggedOperationOf(logged: ServiceError | null, events: readonly ServiceEvent[]): LoggedOperation | null {
  if (logged === null || logged.requestId === null) return null;
  const op = operationOfEvents(events.filter((e) => e.source === logged.source && e.requestId === logged.requestId));
  // What the request's other records name (the analysis read them all) where its markers name none.
  if (op && op.verb === methodVerb(logged.method)) {
    op.volume ??= logged.volume ?? null;
    op.instance ??= logged.instance ?? null;
  }
  return op;
}

/**
 * The flow failure step the logged error's own record marks, else the first another record of its
 * request in its log marks: one request of one service is one operation.
 */
function loggedStepOf(
  logged: ServiceError | null,
  events: readonly ServiceEvent[],
  failures: RunIndex['failures'],
): MarkedFailure | null {
  if (logged === null) return null;
  const mine = events.filter(
    (e) =>
      e.source === logged.source &&
      (e.line === logged.line || (logged.requestId !== null && e.requestId === logged.requestId)),
  );
  const own = mine.find((e) => e.line === logged.line);
  for (const e of own ? [own, ...mine] : mine) {
    const step = failures.get(e.marker);
    if (step) return step;
  }
  return null;
}

/**
 * The logged error's own event when its record names no request id (`ERROR cinder.volume.manager [-] …`):
 * no id finds it, its place in its log does. Its request id stays null.
 */
function unidentifiedEventsOf(logged: ServiceError | null, analysis: Analysis): ServiceEvent[] {
  if (logged === null || logged.requestId !== null) return [];
  return lookupOf(analysis)
    .unidentifiedByLine.get(lineKey(logged.source, logged.line))
    .map((place) => analysis.result.serviceEvents.at(place)!)
    .filter((e) => e.requestId === null && e.source === logged.source && e.line === logged.line);
}

function lineKey(source: string, line: number): string {
  return `${source}\u0000${line}`;
}

/** `nova.compute.manager.attach_volume` → `attach`: the verb of the operation a traceback went through, else null. */
function methodVerb(method: string | undefined): string | null {
  return /\.(attach|detach|swap|extend)_volume$/.exec(method ?? '')?.[1] ?? null;
}

/** The service's ERROR record a problem of its own is about (no call or flow tells it). */
function loggedErrorOf(p: Problem, index: RunIndex): ServiceError | null {
  if (p.stray?.ruleId !== LOGGED_ERROR_RULE) return null;
  return index.loggedErrors.get(`${p.stray.source}:${p.stray.line}`) ?? null;
}

function endOf(e: Exchange | undefined): number | null {
  return e ? endMs(e) : null;
}

/** Every id the problem is known by: request ids of its steps and calls, the global ids of its flows. */
function idsOf(p: Problem, calls: Array<ExplainedCall | null>): Set<string> {
  const ids = new Set<string>();
  for (const f of p.flows) {
    if (f.requestId) ids.add(f.requestId);
    for (const s of f.steps) if (s.requestId) ids.add(s.requestId);
  }
  for (const c of calls) {
    if (c?.requestId) ids.add(c.requestId);
    if (c?.globalRequestId) ids.add(c.globalRequestId);
  }
  return ids;
}

function stepCall(s: FlowStepResult): string {
  return s.call ? `${s.call} on ${s.observer}` : `a ${s.observer} log line`;
}

/** Input names by service label, and the labels given. */
function logsByService(analysis: Analysis): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const input of analysis.result.inputs) {
    const label = input.service ?? null;
    if (label === null) continue;
    const list = out.get(label) ?? [];
    list.push(input.name);
    out.set(label, list);
  }
  return out;
}

/** The services of every chain that holds one of these exchanges, and the inputs its nodes come from. */
function chainsOf(byExchange: KeyIndex, exchanges: ReadonlySet<number>): number[] {
  const out = new Set<number>();
  for (const id of exchanges) for (const c of byExchange.get(id)) out.add(c);
  return [...out].sort((a, b) => a - b);
}

/** Chain `id`: the chains stage numbers them in order from 1, so it is read alone (a spilled row) at its place. */
function chainById(chains: Rows<Chain>, id: number): Chain {
  const at = chains.at(id - 1);
  return at?.id === id ? at : chains.find((c) => c.id === id)!;
}

/**
 * What every story of a run looks up, indexed once (a bad run has thousands of problems). The
 * indexes by chain and event hold 8 bytes an entry (KeyIndex): as Maps of lists they were the
 * stage's memory, ~90 MB on 1 GB of older nova logs. A request id's lookup may name another
 * id's rows (a shared hash): each is checked where it is read.
 */
interface RunLookup {
  /** Chain ids by the exchanges in them (a long run's chains live on disk: a story reads its own few). */
  chainsByExchange: KeyIndex;
  /** Chains rooted at a request id (no client call of them was given). */
  chainsByRoot: KeyIndex;

  /** The places of the events in result.serviceEvents (merged time order) by their request ids: the events may be on disk. */
  eventsById: KeyIndex;
  /** The places of the events no request id is logged with (a `[-]` context), by source and line: an ERROR record's own. */
  unidentifiedByLine: KeyIndex;
  /** ERROR records by their request ids (local and global). */
  errorsById: Map<string, ServiceError[]>;
  logs: Map<string, string[]>;
  /** The run's command/left-in-error findings with their command's name, read when a story first asks. */
  leftInError?: Array<{ finding: Finding; command: string | null }>;
}

const lookups = new WeakMap<Analysis, RunLookup>();

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function lookupOf(analysis: Analysis): RunLookup {
  const had = lookups.get(analysis);
  if (had) return had;
  const { result } = analysis;
  const chainsByExchange = new KeyIndex();
  const chainsByRoot = new KeyIndex();
  for (const c of result.chains) {
    if (typeof c.root === 'string') chainsByRoot.add(c.root, c.id);
    const ids = new Set<number>();
    for (const l of c.links) for (const n of [l.from, l.to]) if (n[0] === 'x') ids.add(Number(n.slice(1)));
    for (const id of ids) chainsByExchange.add(id, c.id);
  }
  const eventsById = new KeyIndex();
  const unidentifiedByLine = new KeyIndex();
  let place = 0;
  for (const ev of result.serviceEvents) {
    if (ev.requestId !== null) eventsById.add(ev.requestId, place);
    else unidentifiedByLine.add(lineKey(ev.source, ev.line), place);
    if (ev.globalRequestId !== null && ev.globalRequestId !== ev.requestId) eventsById.add(ev.globalRequestId, place);
    place++;
  }
  const errorsById = new Map<string, ServiceError[]>();
  for (const e of result.serviceErrors ?? [])
    for (const id of new Set([e.requestId, e.globalRequestId])) if (id !== null) pushTo(errorsById, id, e);
  const made: RunLookup = {
    chainsByExchange,
    chainsByRoot,
    eventsById,
    unidentifiedByLine,
    errorsById,
    logs: logsByService(analysis),
  };
  lookups.set(analysis, made);
  return made;
}

/** The service-side inputs a chain's nodes come from, in order of appearance. */
function chainSources(chains: readonly Chain[], sourceOfExchange: (id: number) => string | null): string[] {
  const out = new Set<string>();
  for (const c of chains)
    for (const l of c.links)
      for (const n of [l.from, l.to]) {
        if (n.startsWith('line:')) {
          const rest = n.slice('line:'.length);
          out.add(rest.slice(0, rest.lastIndexOf(':')));
        } else if (n[0] === 'x') {
          const src = sourceOfExchange(Number(n.slice(1)));
          if (src !== null) out.add(src);
        }
      }
  return [...out];
}

/** Inputs holding lines linked by request id from exchange `id` in a chain (the callee's own log lines). */
function linkedSources(chains: readonly Chain[], id: number): string[] {
  const out: string[] = [];
  for (const c of chains)
    for (const l of c.links)
      if (l.from === `x${id}` && l.kind === 'request-id' && l.to.startsWith('line:')) {
        const rest = l.to.slice('line:'.length);
        out.push(rest.slice(0, rest.lastIndexOf(':')));
      }
  return out;
}

/** The run's lookups are built once for all its stories: let them go when the last story is made. */
export function forgetStoryLookups(analysis: Analysis): void {
  const lookup = lookups.get(analysis);
  for (const index of lookup ? [lookup.chainsByExchange, lookup.chainsByRoot, lookup.eventsById] : []) index.clear();
  lookups.delete(analysis);
}

/** The facts that make operations alike (explain/index.ts), read without making the whole story. */
export type AlikeFacts = Pick<StoryFacts, 'firstError' | 'missingLogs' | 'firstMissing'>;

export function alikeFactsOf(p: Problem, analysis: Analysis, index: RunIndex): AlikeFacts {
  const clientCall = clientCallOf(p, index);
  return {
    firstError: firstErrorOf(p, index),
    missingLogs: [...missingLogsOf(p.flows, clientCall?.service, lookupOf(analysis).logs)],
    firstMissing: firstMissingOf(p.flows),
  };
}

/**
 * A failed step read from a log line under another request id than its operation's: the global
 * id is the one that line carries, not the operation's (Kilo's cinder-volume line under an admin
 * context id joins its create by the volume it names, not by a global id: bug 1511406).
 */
function lineGlobalOf(e: Explanation['firstError'], analysis: Analysis): Explanation['firstError'] {
  if (e === null || e.exchange !== null || e.requestId === null || e.globalRequestId === e.requestId) return e;
  for (const place of lookupOf(analysis).eventsById.get(e.requestId)) {
    const ev = analysis.result.serviceEvents.at(place)!;
    if (ev.requestId === e.requestId && ev.source === e.source && ev.line === e.line)
      return { ...e, globalRequestId: ev.globalRequestId };
  }
  return e;
}

export function storyOf(p: Problem, analysis: Analysis, index: RunIndex): StoryFacts {
  const clientCall = clientCallOf(p, index);
  const undoneBy = p.findings.find((f) => f.observed !== undefined && AFTER_ACCEPT[f.ruleId] !== undefined);
  const after = undoneBy ? AFTER_ACCEPT[undoneBy.ruleId]! : [];
  const found = lineGlobalOf(firstErrorOf(p, index), analysis);
  // An accepted call is no error: without a service's failed step, what failed came after it.
  const firstError = undoneBy && (found?.status ?? 0) < 400 && found?.step === null ? null : found;
  const ids = idsOf(p, [clientCall, firstError]);
  const lookup = lookupOf(analysis);
  const logs = lookup.logs;
  const serviceLogsGiven = [...logs.keys()].some((s) => s !== 'client');
  const followed: ExplanationEvent[] = [];

  // Timeouts and ERROR lines of the services, for this operation's ids.
  // In merged time order, each once.
  const events = [...new Set([...ids].flatMap((id) => lookup.eventsById.get(id)))]
    .sort((a, b) => a - b)
    .map((place) => analysis.result.serviceEvents.at(place)!)
    .filter(
      (e) =>
        (e.requestId !== null && ids.has(e.requestId)) || (e.globalRequestId !== null && ids.has(e.globalRequestId)),
    );
  const logged = loggedErrorOf(p, index);
  const loggedStep = loggedStepOf(logged, [...events, ...unidentifiedEventsOf(logged, analysis)], index.failures);
  for (const ev of events.filter((e) => e.marker === 'rpc.messaging-timeout'))
    followed.push({
      kind: 'timeout',
      text: `${ev.service} gave up waiting for an RPC reply (MessagingTimeout)`,
      source: ev.source,
      line: ev.line,
    });
  // ERROR records of the operation's ids (step markers at ERROR level are among them), each
  // once, but not the record a logged error's story starts from (a step's story names only its title).
  const told = new Set<string>(p.stray?.ruleId === LOGGED_ERROR_RULE ? [`${p.stray.source}:${p.stray.line}`] : []);
  const errorLines = [
    ...events.filter((e) => e.level === 'ERROR' && e.marker !== 'rpc.messaging-timeout'),
    ...new Set([...ids].flatMap((id) => lookup.errorsById.get(id) ?? [])),
  ].sort((a, b) => orderOf(a, index) - orderOf(b, index));
  // One per service, the first: a service logs one failure several ways (nova-compute's
  // cinder wrapper, its compute manager, the RPC server), and the failed call's own log has
  // its error already (cinder-api's ERROR line of the 500 it answered).
  const services = new Set<string>();
  for (const ev of errorLines) {
    const at = `${ev.source}:${ev.line}`;
    const service = ev.service ?? ev.source;
    if (told.has(at) || services.has(service) || services.size === ERROR_LINES) continue;
    const ownErrorLine =
      firstError?.exchange != null && firstError.source === ev.source && ev.requestId === firstError.requestId;
    if (ownErrorLine) continue;
    told.add(at);
    services.add(service);
    followed.push({
      kind: 'error-log',
      text: `${ev.service ?? 'a service'} logged ${ev.level ?? 'ERROR'}: ${cut(ev.message, ERROR_LINE_CHARS)}`,
      source: ev.source,
      line: ev.line,
    });
  }

  // Rollback steps, and retries the client made.
  for (const f of p.flows)
    for (const s of f.steps.filter((x) => x.rollback === true && (x.status === 'failed' || x.status === 'matched')))
      followed.push({
        kind: 'rollback',
        text: `rolled back: ${s.title ?? s.step} (${s.call ?? s.step} → ${statusOfStep(s, index)}${s.requestId ? `, request id ${s.requestId}` : ''})`,
        source: s.source,
        line: s.line,
      });
  const resends = (p.command?.exchanges ?? []).map((id) => index.exchanges.get(id)).filter((e) => e?.kind === 'resend');
  if (resends.length > 0)
    followed.push({
      kind: 'retry',
      text: `the client re-sent ${resends.length} request${resends.length === 1 ? '' : 's'}`,
      source: resends[0]!.source,
      line: resends[0]!.line,
    });

  // Required steps that never happened after the first error (without one, the story starts with the first of them).
  // A step only a log not given would show is not seen, not "never reached" (cinder-api's POST of a
  // create that failed in cinder-volume, read from cinder-volume's log alone: it did reach it).
  const missing = serverFlows(p)
    .concat(serverFlows(p).length > 0 ? [] : clientFlows(p))
    .flatMap((f) => f.steps.filter((s) => s.status === 'missing' && s.notShown !== true && logs.has(s.observer)));
  if (firstError !== null && missing.length > 0)
    followed.push({
      kind: 'missing',
      text: `never reached: ${missing[0]!.title ?? missing[0]!.step} (${stepCall(missing[0]!)})${missing.length > 1 ? ` and ${missing.length - 1} later step${missing.length === 2 ? '' : 's'}` : ''}`,
      source: null,
      line: null,
    });

  // Services that should have taken part but have no line of it: silent when their log was given.
  const stepExchanges = new Set(p.flows.flatMap((f) => f.steps.map((s) => s.exchange)).filter((x) => x !== null));
  if (clientCall?.exchange != null) stepExchanges.add(clientCall.exchange);
  const root = logged ? (logged.globalRequestId ?? logged.requestId ?? '') : null;
  const chainIds = root !== null ? lookup.chainsByRoot.get(root) : chainsOf(lookup.chainsByExchange, stepExchanges);
  const chains = chainIds
    .map((id) => chainById(analysis.result.chains, id))
    .filter((c) => root === null || c.root === root);
  const heard = new Set<string>(chains.flatMap((c) => c.services));
  for (const f of p.flows)
    for (const s of f.steps) if (s.status !== 'missing' && s.status !== 'skipped') heard.add(s.observer);
  const expected = expectedServices(p.flows);
  const silent = expected.filter((s) => s !== 'client' && !heard.has(s) && logs.has(s));
  const missingLogs = missingLogsOf(p.flows, clientCall?.service, logs);
  for (const service of after) if (!logs.has(service)) missingLogs.add(service);
  // A failure step no instance of its flow took: the logs whose request would have started one.
  for (const service of loggedStep?.startedBy ?? []) if (!logs.has(service)) missingLogs.add(service);
  // A call refused at the API (4xx) never reached the services behind it: their silence says nothing.
  const refused = firstError?.status != null && firstError.status >= 400 && firstError.status < 500;
  if (silent.length > 0 && ids.size > 0 && !refused)
    followed.push({
      kind: 'silent',
      text: `no line of ${silent.join(' or ')} carries this operation's request ids, though ${silent.length === 1 ? 'its log was' : 'their logs were'} given`,
      source: null,
      line: null,
    });
  followed.push(...lateServices(analysis, chains, firstError, index));

  // Findings of other rules about this operation (a known bug, a cause found elsewhere).
  const atFirstError = (f: { source: string | null; line: number | null }) =>
    firstError !== null && f.source === firstError.source && f.line === firstError.line;
  for (const f of p.findings)
    // The flow, HTTP and command rules say what the story already tells; so does a slow call at the first error.
    // An ERROR record's finding is told as its error-log line above.
    if (
      !/^(flow|http|command|service)\//.test(f.ruleId) &&
      f.ruleId !== SERVER_FAULT_RULE &&
      !(f.ruleId.startsWith('perf/') && atFirstError(f))
    )
      followed.push({ kind: 'finding', text: `${f.ruleId}: ${cut(f.message)}`, source: f.source, line: f.line });

  // The resource the operation was about, and the states the client saw it in.
  const resource = resourceOf(p, index);

  const firstMissing = firstMissingOf(p.flows);

  // A call refused for its resource's state: the earlier operation that left it there (a rule
  // found it in the service logs), else an earlier command the client's own read showed failed.
  const cause =
    p.findings.find((f) => f.cause !== undefined)?.cause ??
    ((firstError ?? clientCall) ? leftBefore(p, firstError ?? clientCall!, analysis) : null);

  return {
    severity:
      p.flows.some((f) => f.verdict === 'failed') ||
      (p.command?.exitCode ?? 0) !== 0 ||
      (p.stray && (p.stray.ruleId !== LOGGED_ERROR_RULE || p.stray.severity === 'error'))
        ? 'error'
        : 'warning',
    loggedError: loggedErrorOf(p, index),
    loggedOperation: loggedOperationOf(loggedErrorOf(p, index), events),
    loggedStep,
    ...loggedCallOf(p, index),
    command: p.command
      ? {
          id: p.command.id,
          name: p.command.name,
          argv: p.command.argv,
          exitCode: p.command.exitCode,
          error: p.command.error ? cut(p.command.error) : null,
          ...(p.command.usageError ? { usageError: true as const } : {}),
          source: p.command.source,
          line: p.command.line,
        }
      : null,
    clientCall,
    commandEnded: p.command?.complete === true,
    undone: undoneBy ? { rolledBack: ROLLED_BACK[undoneBy.ruleId] ?? null, observed: undoneBy.observed! } : null,
    acceptedLast: acceptedLastOf(p, clientCall, index),
    firstError,
    recovered: recoveredOf(p, firstError, index),
    cause,
    followed: followed.sort((a, b) => orderOf(a, index) - orderOf(b, index)),
    resource,
    grep: grepOf(p, firstError, clientCall, chains, logs, index, after, (id) => {
      return index.serverSources.get(id) ?? null;
    }),
    missingLogs: [...missingLogs],
    flows: p.flows.map((f) => ({
      flow: f.flow,
      variant: f.variant,
      verdict: f.verdict,
      command: f.command,
      requestId: f.requestId,
    })),
    findings: p.findings.map((f) => ({ ruleId: f.ruleId, source: f.source, line: f.line })),
    firstMissing,
    serviceLogsGiven,
    serverFault: serverFaultOfProblem(p, index),
  };
}

/** How a service refuses a call for the resource's status: 400 (cinder's InvalidVolume), 409 (nova's conflict). */
const STATE_REFUSALS = new Set([400, 409]);

/**
 * A refused call's volume that an earlier command left in an error status, as the client read it
 * (command/left-in-error): that command is the cause, told like a flow's. The volume is the one
 * the problem's flows name, by id or name; the read that showed the error came before the call.
 */
function leftBefore(p: Problem, refused: ExplainedCall, analysis: Analysis): FindingCause | null {
  if (refused.status === null || !STATE_REFUSALS.has(refused.status) || refused.exchange === null) return null;
  const names = new Set(p.flows.flatMap((f) => [f.captures?.volume_id, f.captures?.volume]).filter((v) => v));
  if (names.size === 0) return null;
  let found: { finding: Finding; command: string | null } | undefined;
  for (const left of leftInErrorOf(analysis)) {
    const o = left.finding.observed!;
    // A read no call made (a plain run's table) cannot be placed among the calls.
    if (o.exchange === null || o.exchange >= refused.exchange) continue;
    if (names.has(o.resourceId) || (o.name !== null && names.has(o.name))) found = left;
  }
  if (!found) return null;
  const o = found.finding.observed!;
  return {
    flow: found.command ?? 'a command',
    step: 'accepted',
    source: found.finding.source,
    line: found.finding.line,
    requestId: null,
    globalRequestId: null,
    resource: o.resource,
    resourceId: o.resourceId,
    state: o.state,
  };
}

/**
 * The run's command/left-in-error findings, in the run's order, each with the name of the first
 * command holding its call: read once for every story (a refused call's story asks, and a bad run
 * has thousands; the findings and commands may be on disk), not a pass over both per story.
 */
function leftInErrorOf(analysis: Analysis): Array<{ finding: Finding; command: string | null }> {
  const lookup = lookupOf(analysis);
  if (lookup.leftInError) return lookup.leftInError;
  const id = leftInError.meta.id;
  const findings = [...rowsWith(analysis.result.findings, `"ruleId":"${id}"`, (f) => f.ruleId === id && !!f.observed)];
  const calls = new Set(findings.flatMap((f) => (f.exchange === null ? [] : [f.exchange])));
  const commandOf = new Map<number, string | null>();
  if (calls.size > 0)
    for (const c of analysis.result.commands)
      for (const x of c.exchanges) if (calls.has(x) && !commandOf.has(x)) commandOf.set(x, c.name);
  lookup.leftInError = findings.map((finding) => ({
    finding,
    command: finding.exchange === null ? null : (commandOf.get(finding.exchange) ?? null),
  }));
  return lookup.leftInError;
}

/** A call this slow that failed is a timeout: the caller gave up waiting. */
const TIMEOUT_MS = 10_000;

/**
 * After a timeout, a service whose first line of the operation comes only after the
 * failed call had ended: it picked the request up late (it was down, or its queue
 * was), so the caller had given up. Read from the chain's line nodes and their spans.
 */
function lateServices(
  analysis: Analysis,
  chains: readonly Chain[],
  firstError: Explanation['firstError'],
  index: RunIndex,
): ExplanationEvent[] {
  const e = firstError?.exchange == null ? undefined : index.exchanges.get(firstError.exchange);
  if (!e || e.status === null || e.status < 500 || (e.durationMs ?? 0) < TIMEOUT_MS) return [];
  const ended = endMs(e);
  if (ended === null) return [];
  const out: ExplanationEvent[] = [];
  for (const c of chains) {
    const starts = analysis.service?.chainSpanStarts?.at(c.id - 1) ?? [];
    for (const [k, [node, service]] of Object.entries(c.lineServices ?? {}).entries()) {
      const rest = node.slice('line:'.length);
      const source = rest.slice(0, rest.lastIndexOf(':'));
      const line = Number(rest.slice(rest.lastIndexOf(':') + 1));
      const firstMs = starts[k] ?? null;
      if (firstMs === null || firstMs <= ended) continue;
      out.push({
        kind: 'late',
        text: `${service} logged this request first ${((firstMs - ended) / 1000).toFixed(1)} s after ${e.service ?? 'the caller'} had answered ${e.status}: it picked the call up late (was it down?)`,
        source,
        line,
      });
    }
  }
  return out;
}

function statusOfStep(s: FlowStepResult, index: RunIndex): string {
  const status = s.exchange === null ? null : (index.exchanges.get(s.exchange)?.status ?? null);
  return status === null ? 'seen' : `HTTP ${status}`;
}

/** Events in input order, then line; those without a place last. */
function orderOf(ev: Pick<ExplanationEvent, 'source' | 'line'>, index: RunIndex): number {
  if (ev.source === null) return Number.MAX_SAFE_INTEGER;
  return (index.inputOrder.get(ev.source) ?? 1e6) * 1e7 + (ev.line ?? 0);
}

function resourceOf(p: Problem, index: RunIndex): Explanation['resource'] {
  const captures = p.flows.map((f) => f.captures ?? {});
  const volume = captures.map((c) => c.volume).find((v) => v !== undefined && /^[0-9a-f-]{36}$/.test(v));
  // A client flow captures the name the user typed; the reads say which volume had it.
  const name = volume ? undefined : captures.map((c) => c.volume).find((v) => v !== undefined);
  const reads = (volume ? index.volumeReads.get(volume) : index.volumeReads.get(`name:${name}`)) ?? [];
  if (reads.length === 0) return null;
  const own = p.command?.exchanges ?? [];
  const whenOf = (e: VolumeRead) =>
    own.length === 0 ? null : e.id < own[0]! ? 'before' : e.id > own.at(-1)! ? 'after' : 'during';
  const states: NonNullable<Explanation['resource']>['states'] = [];
  for (const e of reads) {
    const when = whenOf(e);
    const last = states.at(-1);
    if (last?.status !== e.resource!.status || last.when !== when)
      states.push({ status: e.resource!.status, when, exchange: e.id, source: e.source, line: e.line });
  }
  // Before the command only its last read counts: the state the operation started from.
  const before = states.filter((s) => s.when === 'before');
  const kept = [...before.slice(-1), ...states.filter((s) => s.when !== 'before')];
  const last = reads.at(-1)!.resource!;
  return { type: 'volume', id: last.id ?? volume ?? name!, name: last.name, states: kept };
}

function grepOf(
  p: Problem,
  firstError: Explanation['firstError'],
  clientCall: ExplainedCall | null,
  chains: Chain[],
  logs: Map<string, string[]>,
  index: RunIndex,
  /** The services an accepted call went on to after the API answered (an operation undone later). */
  after: readonly string[],
  sourceOfExchange: (id: number) => string | null,
): Explanation['grep'] {
  const out: Explanation['grep'] = [];
  const seen = new Set<string>();
  const push = (id: string | null, files: string[], why: string) => {
    if (id === null || seen.has(id)) return;
    seen.add(id);
    out.push({ id, logs: [...new Set(files)], why });
  };
  const logged = loggedErrorOf(p, index);
  if (logged) {
    // Its own log was read already: the other logs whose lines its request's chain holds.
    const others = chainSources(chains, sourceOfExchange).filter((s) => s !== logged.source);
    const id = logged.globalRequestId ?? logged.requestId;
    if (others.length > 0)
      push(
        id,
        others,
        logged.globalRequestId ? 'the global request id of the ERROR record' : 'the request id of the ERROR record',
      );
    // The service it called answered under its own id: that service's log (not given) tells why.
    const call = loggedCallOf(p, index).loggedCall;
    if (call?.requestId)
      push(
        call.requestId,
        [call.service ? `the ${call.service} log` : 'the log of the service it called'],
        'the request id the called service answered with',
      );
    return out;
  }
  if (firstError?.requestId) {
    const files = [
      ...(firstError.source &&
      firstError.exchange !== null &&
      index.exchanges.get(firstError.exchange)?.side === 'server'
        ? [firstError.source]
        : []),
      ...(firstError.exchange !== null ? linkedSources(chains, firstError.exchange) : []),
    ];
    const api = firstError.service ? (API_SERVICE[firstError.service] ?? firstError.service) : null;
    if (files.length === 0 && api) files.push(...(logs.get(api) ?? [`the ${api} log`]));
    push(firstError.requestId, files, `the request id of the failed call (${firstError.service ?? 'its service'})`);
  }
  // The global id: the logs whose lines the chains of the operation hold, else those of its services.
  const global = serverFlows(p)[0]?.requestId ?? clientCall?.requestId ?? null;
  if (global) {
    const files = chainSources(chains, sourceOfExchange);
    if (files.length === 0) {
      const services = [...new Set(serverFlows(p).flatMap((f) => f.steps.map((s) => s.observer)))];
      files.push(...services.filter((s) => s !== 'client').flatMap((s) => logs.get(s) ?? []));
    }
    if (files.length === 0 && clientCall?.service) {
      const api = API_SERVICE[clientCall.service];
      if (api) files.push(...(logs.get(api) ?? [`the ${api} log`]));
      // nova-compute logs the attach under nova-api's request id, cinder under it as the global id;
      // cinder-volume logs cinder-api's request id as its own.
      files.push(...after.flatMap((s) => logs.get(s) ?? [`the ${s} log`]));
    }
    push(global, files, 'the global request id: every service log of the operation');
  }
  return out;
}
