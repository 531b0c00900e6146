// The rules that judge an accepted volume operation by the client's own later read of the volume
// (flow/attach-rolled-back, flow/detach-left-in-use) read a --debug run here: the accepting call's
// answer opens a wait on its volume, the first read of it showing a settled status closes it, and
// a read showing the status that undoes the operation is a finding unless a command naming the
// volume or server ran in between (that read tells of the other command).
import { bisectRight } from 'd3-array';
import type { FlowResult } from '../model/flow-schema.js';
import { acceptedCallsOf, type AcceptedVolumeCall } from '../core/accepted-calls.js';
import type { Analysis } from '../core/analysis.js';
import type { Command, Exchange, FindingObserved } from '../model/schema.js';
import { STEP_MESSAGES } from '../flows/replay.js';
import type { ReportInput } from '../engine/types.js';
import { rowsWith, rowsWithAny, type Rows } from '../rows/rows.js';
import { describeCommand, describeExchange, observedBy } from './describe.js';
import { observedInTable, plainReads, type PlainChange } from './plain-reads.js';
import { positionalsOf } from '../core/osc-argv.js';

/** The exchanges read here: volume attachment calls and volume reads. */
const MARKERS = ['os-volume_attachments', '"type":"volume"'];

/** An operation judged by a later read: its client flow, the answer that accepts it, and what undoes it. */
export interface AcceptedKind {
  flow: string;
  accepted: number;
  /** The statuses a read is judged on (the transient ones, `detaching`, `attaching`, are waited past). */
  settled: readonly string[];
  undone: string;
  message: (call: string, answer: string, volume: string, read: string) => string;
  /** The command words of its `openstack` command, before the server and volume. */
  words: readonly string[];
  /** The finding's message without --debug: `read` is the reading command and where its table shows the status. */
  plainMessage: (command: string, read: string, volume: string) => string;
  /**
   * Without --debug, the words of the command that attaches (a detach's): a detach from a volume
   * an earlier attach in the session put on another server too is not judged (it stays `in-use`).
   */
  followsAttaches?: readonly string[];
  /** Which accepted operations are judged, asked once per run (absent: all). */
  judged?: (analysis: Analysis) => (call: AcceptedVolumeCall) => boolean;
}

/** The completed flows of `flow` the API accepted, in flow order. */
function* acceptedOf(
  analysis: Analysis,
  flow: string,
  judged: (call: AcceptedVolumeCall) => boolean,
): Generator<AcceptedVolumeCall> {
  for (const a of acceptedCallsOf(analysis.acceptedCalls, analysis.result.flows))
    if (
      a.flow === flow &&
      a.verdict === 'complete' &&
      a.command !== null &&
      a.captures.volume !== undefined &&
      judged(a)
    )
      yield a;
}

/**
 * The accepted calls, a column each (a day's are tens of thousands: numbers and the volume's
 * name, not an object each): the i-th in flow order is at index i.
 */
interface Accepted {
  command: number[];
  /** The volume as the user named it (a read names it by that or by its id). */
  volume: string[];
  call: number[];
}

/** An accepted call whose first settled read after it shows the status that undoes it: a finding unless a command cut in. */
interface Candidate {
  accepted: number;
  /** The read's command; null (a read outside any command) is never cut. */
  command: number | null;
  observed: FindingObserved;
  read: string;
}

/** The volume and server a client flow names (as typed, and the server's id once looked up). */
function namedBy(f: FlowResult): string[] {
  const c = f.captures ?? {};
  return [c.volume, c.server, c.server_id].filter((v): v is string => v !== undefined);
}

/** Client flows with captures, in the order they were written. */
function commandFlows(flows: Rows<FlowResult>): Iterable<FlowResult> {
  // Only a command's flows name anything here: a spilled row of a service's flow (a day of
  // them in a service log) is passed over undecoded, by the `"command":null` it writes. No
  // step's message is read here: a spilled row is decoded without them.
  return rowsWith(flows, '"captures":{"', (row) => row.command !== null, '"command":null', STEP_MESSAGES);
}

/** The accepted operation whose call an exchange is (-1 for none): call ids sorted, found by binary search. */
function callsOf(accepted: Accepted): (exchange: number) => number {
  const { call } = accepted;
  // Of two operations with one call, the later (as a map by call would keep).
  const order = Uint32Array.from(call.keys()).sort((x, y) => call[x]! - call[y]! || x - y);
  const ids = Float64Array.from(order, (i) => call[i]!);
  return (exchange) => {
    const at = bisectRight(ids, exchange) - 1;
    return at >= 0 && ids[at] === exchange ? order[at]! : -1;
  };
}

/**
 * The operations waiting for a read of their volume, a list per volume name kept in typed arrays
 * (tens of thousands may wait to the end: a map entry per name and two numbers per operation).
 */
class Waits {
  private readonly first = new Map<string, number>();
  private readonly next: Int32Array;
  /** The last of a list, at its first. */
  private readonly last: Int32Array;
  private readonly opened: Uint8Array;

  constructor(size: number) {
    this.next = new Int32Array(size);
    this.last = new Int32Array(size);
    this.opened = new Uint8Array(size);
  }

  add(name: string, i: number): void {
    // A call is answered once (exchange ids are unique): a second answer would loop the list.
    if (this.opened[i]) return;
    this.opened[i] = 1;
    this.next[i] = -1;
    const first = this.first.get(name);
    if (first === undefined) {
      this.first.set(name, i);
      this.last[i] = i;
    } else {
      this.next[this.last[first]!] = i;
      this.last[first] = i;
    }
  }

  /** Goes through the list of `name` in order: those `keep` answers true for stay waiting. */
  settle(name: string, keep: (i: number) => boolean): void {
    const first = this.first.get(name);
    if (first === undefined) return;
    let head = -1;
    let tail = -1;
    for (let i = first; i !== -1;) {
      const next = this.next[i]!;
      if (keep(i)) {
        if (head === -1) head = i;
        else this.next[tail] = i;
        tail = i;
      }
      i = next;
    }
    if (head === -1) {
      this.first.delete(name);
      return;
    }
    this.next[tail] = -1;
    this.first.set(name, head);
    this.last[head] = tail;
  }
}

/** Reports each accepted operation of `kind` whose first settled read after it shows `kind.undone`. */
export function acceptedThenRead(analysis: Analysis, kind: AcceptedKind, report: (finding: ReportInput) => void): void {
  const judged = kind.judged?.(analysis) ?? (() => true);
  const { flows, exchanges } = analysis.result;
  const accepted: Accepted = { command: [], volume: [], call: [] };
  for (const a of acceptedOf(analysis, kind.flow, judged)) {
    accepted.command.push(a.command!);
    accepted.volume.push(a.captures.volume!);
    accepted.call.push(a.call.exchange);
  }
  if (accepted.command.length === 0) return;
  const { command, volume } = accepted;
  // One pass in log order: an accepted call's answer opens a wait on its volume (by the name or id
  // the user typed), the volume's first settled read after it closes it. Whether a command naming
  // the volume or server ran in between is asked after, of the few reads showing `available`.
  const callOf = callsOf(accepted);
  const waits = new Waits(command.length);
  const candidates: Candidate[] = [];
  for (const read of rowsWithAny(exchanges, MARKERS, (x) => x.side === 'client')) {
    const opened = callOf(read.id);
    if (opened >= 0) {
      if (read.status === kind.accepted) waits.add(volume[opened]!, opened);
      continue;
    }
    const r = read.resource;
    if (r?.type !== 'volume' || !kind.settled.includes(r.status)) continue;
    for (const key of new Set([r.id, r.name])) {
      if (key === null) continue;
      waits.settle(key, (a) => {
        if (read.command !== null && read.command <= command[a]!) return true;
        if (r.status === kind.undone)
          candidates.push({
            accepted: a,
            command: read.command,
            observed: observedBy(read),
            read: `${read.source}:${read.line}`,
          });
        return false;
      });
    }
  }
  if (candidates.length > 0) reportFound(candidates);

  /**
   * The findings: the candidates no command on the volume or server cut off from their operation.
   * What a finding tells of its operation (its server, request id and call) is read again for
   * these few: kept for every operation, it was a day's worth of text.
   */
  function reportFound(candidates: readonly Candidate[]): void {
    const servers = new Map<number, string | null>();
    const requestIds = new Map<number, string | null>();
    const which = new Set(candidates.map((c) => c.accepted));
    let i = 0;
    for (const a of acceptedOf(analysis, kind.flow, judged)) {
      if (which.has(i)) {
        servers.set(i, a.captures.server_id ?? a.captures.server ?? null);
        requestIds.set(i, a.call.requestId);
      }
      i++;
    }
    const next = nextCommands(candidates, servers);
    // A read after another command on the volume or server tells of that command, not this operation.
    const found = candidates.filter((c) => c.command === null || c.command < next(c.accepted));
    const ids = new Set(found.map((c) => accepted.call[c.accepted]));
    const calls = new Map<number, Exchange>();
    for (const call of rowsWithAny(exchanges, MARKERS, (x) => x.side === 'client' && ids.has(x.id)))
      if (call.status === kind.accepted) calls.set(call.id, call);
    for (const { accepted: a, observed, read } of found) {
      const call = calls.get(accepted.call[a]!)!;
      const requestId = requestIds.get(a);
      report({
        source: call.source,
        line: call.line,
        exchange: call.id,
        observed,
        message: kind.message(
          describeExchange(call),
          `HTTP ${call.status}${requestId ? `, request id ${requestId}` : ''}`,
          volume[a]!,
          read,
        ),
      });
    }
  }

  /**
   * For the candidates read inside a command, the first command after each operation naming its
   * volume or server (a volume attached and detached all day is named by thousands: looked up,
   * not scanned). The others are never cut.
   */
  function nextCommands(
    candidates: readonly Candidate[],
    servers: ReadonlyMap<number, string | null>,
  ): (a: number) => number {
    const commandsNaming = new Map<string, number[]>();
    for (const c of candidates)
      if (c.command !== null)
        for (const name of [volume[c.accepted]!, servers.get(c.accepted)])
          if (name != null) commandsNaming.set(name, []);
    if (commandsNaming.size > 0)
      for (const f of commandFlows(flows)) for (const name of namedBy(f)) commandsNaming.get(name)?.push(f.command!);
    for (const list of commandsNaming.values()) list.sort((x, y) => x - y);
    return (a) => {
      let until = Number.POSITIVE_INFINITY;
      for (const name of [volume[a]!, servers.get(a)]) {
        const list = name == null ? undefined : commandsNaming.get(name);
        const next = list?.[bisectRight(list, command[a]!)];
        if (next !== undefined && next < until) until = next;
      }
      return until;
    };
  }
}

/**
 * The same judgement for runs without --debug: the command that printed no error (osc prints the
 * API's refusal and exits 1), then a `volume show` or `volume list` whose table shows the volume
 * `kind.undone`. No call is logged: the finding is at the command's line.
 */
export function plainAcceptedThenRead(
  commands: Rows<Command>,
  kind: AcceptedKind,
  report: (finding: ReportInput) => void,
): void {
  // The servers each volume was attached to by a command that printed no error (a map entry per volume).
  const attachedTo = new Map<string, Set<string>>();
  const changeOf = (c: Command): PlainChange | null => {
    if (kind.followsAttaches) {
      const [server, volume] = positionalsOf(c.argv, kind.followsAttaches) ?? [];
      if (server !== undefined && volume !== undefined) {
        attachedTo.set(volume, (attachedTo.get(volume) ?? new Set()).add(server));
        return null;
      }
    }
    const [server, volume] = positionalsOf(c.argv, kind.words) ?? [];
    if (server === undefined || volume === undefined) return null;
    const others = attachedTo.get(volume);
    others?.delete(server);
    return others && others.size > 0 ? null : { volume, others: [server] };
  };
  plainReads(
    commands,
    changeOf,
    (status) => kind.settled.includes(status),
    (change, volume, read, shown) => {
      if (shown.status !== kind.undone) return;
      report({
        source: change.source,
        line: change.line,
        exchange: null,
        observed: observedInTable(read, shown, volume),
        message: kind.plainMessage(
          describeCommand(change),
          `${describeCommand(read)} at ${read.source}:${shown.line}`,
          volume,
        ),
      });
    },
  );
}
