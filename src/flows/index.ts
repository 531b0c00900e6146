// The flows stage: load the flow models (grammars/ plus --flows DIRs), cut the
// run into flow instances (one per CLI command for client flows, one per global
// request id for service-side flows), replay each, and write flows[] into the
// RunResult (the flow/* rules report from it).
import type { Analysis, ExchangeDetail } from '../core/analysis.js';
import { sentByOwnProgram } from '../core/user-agent.js';
import type { Command, Exchange, RunResult } from '../model/schema.js';
import { forEachCommand } from '../rows/by-command.js';
import { rowsWith } from '../rows/rows.js';
import { SpillList } from '../rows/spill-list.js';
import type { FlowResult } from '../model/flow-schema.js';
import type { ServiceEvent } from '../model/service-schema.js';
import { ConfigError } from '../core/errors.js';
import { recognizes, type CompiledFlow, type CompiledStep } from './compile.js';
import { claimantOf } from './claim.js';
import {
  eventFields,
  exchangeEvents,
  markerCaptures,
  orderEvents,
  type EventFields,
  type FlowEvent,
} from './events.js';
import { Observer } from './grammar-schema.js';
import { formatDiagnostic, loadFlowSet, type FlowSet } from './load.js';
import { Joins, type PlacedEvent } from './join.js';
import { GroupOrder, KeyedPlaces } from './request-groups.js';
import { NO_REQUEST_ID, RequestIds } from '../core/request-ids.js';
import { replayInstance } from './replay.js';

let builtinCache: FlowSet | null = null;

/** Built-ins are read once per process; user directories each run. */
export function flowSetFor(flowDirs: readonly string[] = []): FlowSet {
  if (flowDirs.length === 0) {
    builtinCache ??= loadFlowSet();
    return builtinCache;
  }
  return loadFlowSet(flowDirs);
}

/** Service-log step markers (result.serviceEvents) as flow events. */
export function markerEvents(result: Pick<RunResult, 'serviceEvents'>): FlowEvent[] {
  return markerEventsOf(result.serviceEvents ?? []);
}

function markerEventsOf(events: Iterable<ServiceEvent>): FlowEvent[] {
  const out: FlowEvent[] = [];
  for (const s of events) {
    const observer = Observer.safeParse(s.service);
    if (!observer.success) continue;
    const t = s.timestamp ? Date.parse(s.timestamp.replace(' ', 'T')) : NaN;
    out.push({
      seq: 0,
      type: 'marker',
      observer: observer.data,
      service: null,
      method: null,
      resource: null,
      segments: null,
      query: new Map(),
      captures: markerCaptures(s),
      action: null,
      status: null,
      kind: null,
      marker: s.marker,
      message: s.message,
      requestId: s.requestId,
      globalRequestId: s.globalRequestId,
      microversion: null,
      exchange: null,
      source: s.source,
      line: s.line,
      atMs: Number.isNaN(t) ? null : t,
      error: null,
    });
  }
  return out;
}

/**
 * Replays flows as a run streams: each command's client flows when the command
 * closes (then its exchanges can be forgotten), and at the end the flows of the
 * client requests outside any command and the service-side flows, one instance per
 * global request id. Results go to `flows` in that order.
 */
export class FlowReplayer {
  private readonly commandFlows: CompiledFlow[];
  private readonly requestFlows: CompiledFlow[];
  /** Client exchanges outside any command (a pasted fragment): one instance at the end, read back then. */
  private readonly loose = new SpillList<Exchange>();
  /**
   * Request ids with an event some request flow's step can take: the groups the replay will
   * build, numbered (a quarter of a million on a day of older nova logs: 16 bytes each, not a string and a Set entry).
   */
  private wanted = new RequestIds();
  private readonly fits: (ev: FlowEvent) => boolean;

  constructor(
    readonly flows: readonly CompiledFlow[],
    readonly flowResults: { push(result: FlowResult): void },
  ) {
    this.commandFlows = flows.filter((f) => f.def.scope === 'command');
    this.requestFlows = flows.filter((f) => f.def.scope === 'request');
    this.fits = stepsFit(this.requestFlows);
  }

  /**
   * Client flows: one instance per command whose name a flow is triggered by. A command the log
   * shows neither the START nor the `command:` line of (the tail of a run, carried by its END)
   * has no name: the flows whose anchor call it makes, as for calls outside any command.
   */
  command(cmd: Command, exchanges: readonly Exchange[]): void {
    // argparse refused its command line: the command never ran, so none of its steps was to come.
    if (cmd.usageError === true) return;
    const events = orderEvents(exchangeEvents(exchanges.filter((e) => e.side === 'client')));
    const startUnseen = cmd.name === null && cmd.argv.length === 0;
    const matching = startUnseen
      ? this.anchoredFlows(events)
      : this.commandFlows.filter((f) => cmd.name !== null && f.def.trigger?.command?.includes(cmd.name));
    if (matching.length === 0) return;
    const label = startUnseen
      ? `the command at ${cmd.source}:${cmd.line} (its start is not in the log)`
      : `command \`${cmd.name}\` at ${cmd.source}:${cmd.line}`;
    // Its arguments unknown (no START in the log): none can be said to give or not give an id.
    const argv = cmd.argv.length > 0 ? cmd.argv : null;
    const exitedOk = cmd.exitCode === 0 ? { argv } : undefined;
    // No exit status in the log (its END cut, or never printed): the steps it shows it got to all the same.
    const endUnseen = cmd.exitCode === null ? { argv } : undefined;
    for (const flow of matching)
      this.push(
        replayInstance(flow, events, {
          command: cmd.id,
          requestId: null,
          source: cmd.source,
          line: cmd.line,
          label,
          ...(startUnseen ? { startUnseen } : {}),
          ...(exitedOk ? { exitedOk } : {}),
          ...(endUnseen ? { endUnseen } : {}),
        }),
      );
  }

  /** The client flows whose anchor call (e.g. the POST os-volume_attachments) these events make. */
  private anchoredFlows(events: readonly FlowEvent[]): CompiledFlow[] {
    return this.commandFlows.filter(
      (flow) => flow.anchors.length > 0 && events.some((e) => flow.anchors.some((a) => recognizes(a, e, true))),
    );
  }

  /**
   * An exchange outside any command: client ones are replayed together at the end, server ones by
   * request. A call a user's own program sent (its User-Agent names no OpenStack client) is no
   * client flow's: those model the CLIs' calls, and another program's would read as broken ones.
   */
  outside(exchange: Exchange, detail?: ExchangeDetail | null, ownProgram = false): void {
    if (
      exchange.side === 'client' &&
      exchange.command === null &&
      this.commandFlows.length > 0 &&
      !ownProgram &&
      !sentByOwnProgram(detail?.requestHeaders)
    )
      this.loose.push(exchange);
    if (exchange.side === 'server' && this.requestFlows.length > 0) {
      const key = exchange.globalRequestId ?? exchange.requestId;
      if (key && !this.isWanted(key) && exchangeEvents([exchange]).some(this.fits)) this.wanted.intern(key);
    }
  }

  /** The end of the run: every exchange was handed to `command` or `outside`; the step events are final. */
  finish(run: Pick<RunResult, 'serviceEvents' | 'exchanges'> & Partial<Pick<RunResult, 'inputs'>>): void {
    // Client exchanges outside any command (a pasted fragment, a client that prints no command
    // markers): the flow whose anchor call they contain, e.g. the POST os-volume_attachments.
    // A service's own calls (cinder-volume asking nova to swap) are steps of its request's flow.
    const ofServices = new Set(
      (run.inputs ?? []).filter((i) => i.service != null && i.service !== 'client').map((i) => i.name),
    );
    const loose = [...this.loose].filter((e) => !ofServices.has(e.source));
    this.loose.dispose();
    if (loose.length > 0) {
      const events = orderEvents(exchangeEvents(loose));
      for (const flow of this.anchoredFlows(events))
        this.push(
          replayInstance(flow, events, {
            command: null,
            requestId: null,
            source: loose[0]!.source,
            line: loose[0]!.line,
            label: 'the requests outside any command',
            startUnseen: true,
          }),
        );
    }
    if (this.requestFlows.length > 0) this.replayRequests(run);
    // The run's end: the request keys (tens of thousands in a long run) are done with, while the
    // replayer itself may be kept to the end of the pipeline.
    this.wanted = new RequestIds();
  }

  private isWanted(key: string | null): key is string {
    return !!key && this.wanted.find(key) !== NO_REQUEST_ID;
  }

  // Service-side flows: one instance per global request id (nova's req id, which
  // cinder logs as the global id and nova-compute logs as its own).
  private replayRequests(run: Pick<RunResult, 'serviceEvents' | 'exchanges'>): void {
    // Only a request id with an event some request flow's step can take can be claimed
    // (claim.ts names a group by such events): the others (GET /servers/detail, the bulk of
    // a busy API's log) are never held as events, so memory follows the volume operations.
    const wanted = this.wanted;
    for (const s of run.serviceEvents ?? []) {
      const key = s.globalRequestId ?? s.requestId;
      if (key && !this.isWanted(key) && markerEventsOf([s]).some(this.fits)) wanted.intern(key);
    }
    // Step lines by their place in the run's list (which may be on disk): read again at their group's turn.
    const events = run.serviceEvents ?? [];
    const markers = new KeyedPlaces();
    const joins = new Joins(this.requestFlows);
    let place = 0;
    for (const s of events) {
      const key = s.globalRequestId ?? s.requestId;
      if (this.isWanted(key) && Observer.safeParse(s.service).success) {
        markers.push(wanted.find(key), place);
        if (joins.active) for (const ev of markerEventsOf([s])) joins.line(key, ev, place);
      }
      place++;
    }
    // The run's exchanges may live on disk: only the server-side rows are decoded, once, and
    // of those the fields their events are made of wait on disk too, by place, for their group's turn.
    const fields = new SpillList<EventFields>({ indexed: true });
    const calls = new KeyedPlaces();
    let resent = false;
    const one = shared();
    for (const e of serverRowsOf(run.exchanges, (key) => this.isWanted(key))) {
      const key = e.globalRequestId ?? e.requestId;
      if (!this.isWanted(key)) continue;
      const f = eventFields(e, one);
      resent ||= f.kind === 'resend';
      calls.push(wanted.find(key), fields.length);
      fields.push(f);
      // A call under the request id of a line that may join another's instance can start an operation of its own.
      if (joins.wantsCallsOf(key)) for (const ev of exchangeEvents([f])) joins.call(key, ev);
    }
    // Groups in the order their keys first come: the exchanges' keys, then those of step lines alone.
    const order = new GroupOrder(wanted.size);
    order.add(calls);
    order.add(markers);
    calls.group(order);
    markers.group(order);
    // A resend's final status is looked up across all exchanges: then the calls' events are built
    // at once; else a group's events are built only at its turn (one request's in memory at a time).
    let built: Map<string, FlowEvent[]> | null = null;
    if (resent) {
      built = new Map();
      for (const ev of exchangeEvents([...fields])) pushTo(built, (ev.globalRequestId ?? ev.requestId)!, ev);
    }
    const linesAt = (places: readonly number[]): PlacedEvent[] =>
      places.flatMap((p) => markerEventsOf([events.at(p)!]).map((ev) => ({ ev, place: p })));
    const group = { joins, linesAt };
    for (let r = 0; r < order.length; r++) {
      const key = wanted.text(order.key(r));
      const groupCalls = built ? (built.get(key) ?? []) : exchangeEvents(calls.placesOf(r).map((at) => fields.at(at)!));
      this.replayGroup(key, groupCalls, markers.placesOf(r), group);
    }
    calls.release();
    markers.release();
    fields.dispose();
  }

  /**
   * One request key's group: its calls and the step lines at `places`. The flow that claims it may
   * take lines logged under another request id (join.ts): then it is replayed with them, in place.
   */
  private replayGroup(
    key: string,
    calls: FlowEvent[],
    places: readonly number[],
    group: { joins: Joins; linesAt: (places: readonly number[]) => PlacedEvent[] },
  ): void {
    // A line an instance of another request id took (join.ts) is that instance's, no longer this id's.
    const own = places.filter((p) => !group.joins.taken(p));
    const lines = group.linesAt(own);
    let events = orderEvents([...calls, ...lines.map((l) => l.ev)]);
    const chosen = claimantOf(this.requestFlows, key, events);
    if (!chosen) return;
    const { flow, first } = chosen;
    const joined = group.joins.take(flow, key, lines);
    if (joined.length > 0) {
      const all = [...own, ...joined].sort((a, b) => a - b);
      events = orderEvents([...calls, ...group.linesAt(all).map((l) => l.ev)]);
    }
    this.push(
      replayInstance(flow, events, {
        command: null,
        requestId: key,
        source: first.source,
        line: first.line,
        label: `request ${key}`,
      }),
    );
  }

  private push(result: FlowResult | null): void {
    if (result) this.flowResults.push(result);
  }
}

const REQUEST_ID = '"requestId":';
const GLOBAL_REQUEST_ID = '"globalRequestId":';

/**
 * The server-side exchanges, of which a spilled row is decoded only when its request key
 * (global request id, else request id) is wanted or cannot be read from its text: the key is
 * read there only when the row names each id once (a nested one could come first) and holds
 * it unescaped. The bulk of a busy API's calls (GET /servers/detail) are passed over.
 */
function* serverRowsOf(exchanges: RunResult['exchanges'], wanted: (key: string) => boolean): Generator<Exchange> {
  if (!exchanges.jsonRowsWithAny) {
    yield* rowsWith(exchanges, '"side":"server"', (x) => x.side === 'server');
    return;
  }
  for (const line of exchanges.jsonRowsWithAny(['"side":"server"'])) {
    const key = requestKeyOf(line);
    if (key === null || (key !== undefined && !wanted(key))) continue;
    const e = JSON.parse(line) as Exchange;
    if (e.side === 'server') yield e;
  }
}

/** A spilled exchange row's global request id, else its request id; undefined when its text cannot tell. */
function requestKeyOf(line: string): string | null | undefined {
  const g = line.indexOf(GLOBAL_REQUEST_ID);
  const r = line.indexOf(REQUEST_ID);
  if (g < 0 || r < 0 || line.includes(GLOBAL_REQUEST_ID, g + 1) || line.includes(REQUEST_ID, r + 1)) return undefined;
  const global = idAt(line, g + GLOBAL_REQUEST_ID.length);
  return global === null ? idAt(line, r + REQUEST_ID.length) : global;
}

/** The JSON string or null at `at`; undefined for anything else or a string with an escape. */
function idAt(line: string, at: number): string | null | undefined {
  if (line.startsWith('null', at)) return null;
  if (line.charCodeAt(at) !== 0x22) return undefined;
  const end = line.indexOf('"', at + 1);
  if (end < 0) return undefined;
  const id = line.slice(at + 1, end);
  return id.includes('\\') ? undefined : id;
}

/** One copy of each string that recurs across a run's rows (input names, services, methods). */
function shared(): <T extends string | null>(s: T) => T {
  const copies = new Map<string, string>();
  return <T extends string | null>(s: T): T => {
    if (s === null) return s;
    const had = copies.get(s);
    if (had !== undefined) return had as T;
    copies.set(s, s);
    return s;
  };
}

function pushTo<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

/** Whether some step of these flows can take an event (by observer first: most steps are another service's). */
function stepsFit(flows: readonly CompiledFlow[]): (ev: FlowEvent) => boolean {
  const byObserver = new Map<string, CompiledStep[]>();
  for (const flow of flows)
    for (const step of flow.allSteps) {
      const list = byObserver.get(step.def.observer);
      if (list) list.push(step);
      else byObserver.set(step.def.observer, [step]);
    }
  return (ev) => (byObserver.get(ev.observer) ?? []).some((step) => recognizes(step, ev));
}

/** Replay every flow over a finished run's exchanges and service events (tests, `flows --check`). */
export function replayRun(
  flows: readonly CompiledFlow[],
  result: Pick<RunResult, 'exchanges' | 'commands' | 'serviceEvents'> & Partial<Pick<RunResult, 'inputs'>>,
  ownProgramCalls?: ReadonlySet<number>,
): { flows: FlowResult[] } {
  const out: FlowResult[] = [];
  const replayer = new FlowReplayer(flows, out);
  forEachCommand(result, (command, exchanges) => {
    if (command) {
      // In the order the command lists them (a hand-made run may reorder its list).
      const at = new Map(command.exchanges.map((id, i) => [id, i]));
      replayer.command(
        command,
        exchanges.filter((e) => at.has(e.id)).sort((a, b) => at.get(a.id)! - at.get(b.id)!),
      );
    } else for (const e of exchanges) replayer.outside(e, null, ownProgramCalls?.has(e.id));
  });
  replayer.finish(result);
  return { flows: out };
}

/** The flows of the run (built-ins plus --flows DIRs); an invalid user flow file stops the run (exit 2) with its diagnostics. */
export function loadRunFlows(flowDirs: readonly string[] = []): readonly CompiledFlow[] {
  const set = flowSetFor(flowDirs);
  if (set.diagnostics.length > 0) {
    throw new ConfigError(`invalid flow file(s):\n${set.diagnostics.map(formatDiagnostic).join('\n')}`);
  }
  return set.flows;
}

/** The pipeline stage for a finished analysis (not streamed): replays every command now. */
export function replayFlows(analysis: Analysis, flowDirs: readonly string[] = []): void {
  analysis.result.flows = replayRun(loadRunFlows(flowDirs), analysis.result, analysis.ownProgramCalls).flows;
}
