// flow/attach-rolled-back: the API accepted an attach (`server add volume` completed, nova
// answered 200), yet the client's own later read of the volume shows it `available`. nova-api
// reserves the volume in cinder before it answers (the attachment, or os-reserve before
// Ocata), so `available` afterwards means the reservation was undone: the attach failed on
// the compute host or in cinder-volume after the client was told it worked. With the client
// log alone this read is the only trace of the failure. (Reference D1 steps 4 and 6: the
// attachment is created, volume `reserved`, before the 200; old style, D2 step 3: os-reserve,
// `attaching`, before it.)
import { bisectRight } from 'd3-array';
import * as z from '../../core/zod.js';
import { defineRule } from '../../engine/types.js';
import type { FlowResult } from '../../model/flow-schema.js';
import { acceptedCallsOf, type AcceptedVolumeCall } from '../../core/accepted-calls.js';
import type { Analysis } from '../../core/analysis.js';
import type { Command, Exchange, FindingObserved } from '../../model/schema.js';
import { STEP_MESSAGES } from '../../flows/replay.js';
import { positionalsOf } from '../../core/osc-argv.js';
import type { ReportInput } from '../../engine/types.js';
import { rowsWith, rowsWithAny, type Rows } from '../../rows/rows.js';
import { describeCommand, describeExchange, observedBy } from '../describe.js';
import { observedInTable, plainReads, type PlainChange } from '../plain-reads.js';

const ATTACH_FLOW = 'client/server-add-volume';
/** The synchronous answer: nova-api reserved the volume before it. From 2.101 the attach answers 202 and may not have yet. */
const RESERVED_BEFORE_ANSWER = 200;
/** The exchanges the rule reads: attach calls and volume reads. */
const MARKERS = ['os-volume_attachments', '"type":"volume"'];

/**
 * The accepted attaches, a column each (a day's are tens of thousands: numbers and the volume's
 * name, not an object each): the i-th in flow order is at index i.
 */
interface Accepted {
  command: number[];
  /** The volume as the user named it (a read names it by that or by its id). */
  volume: string[];
  attach: number[];
}

/** An accepted attach whose first settled read after it shows `available`: a finding unless a command cut in. */
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

/** The attaches of completed `server add volume` flows the API accepted, in flow order. */
function* attachesOf(analysis: Analysis): Generator<AcceptedVolumeCall> {
  for (const a of acceptedCallsOf(analysis.acceptedCalls, analysis.result.flows))
    if (a.flow === ATTACH_FLOW && a.verdict === 'complete' && a.command !== null && a.captures.volume !== undefined)
      yield a;
}

/** The accepted attach whose call an exchange is (-1 for none): attach ids sorted, found by binary search. */
function callsOf(accepted: Accepted): (exchange: number) => number {
  const { attach } = accepted;
  // Of two attaches with one call, the later (as a map by call would keep).
  const order = Uint32Array.from(attach.keys()).sort((x, y) => attach[x]! - attach[y]! || x - y);
  const ids = Float64Array.from(order, (i) => attach[i]!);
  return (exchange) => {
    const at = bisectRight(ids, exchange) - 1;
    return at >= 0 && ids[at] === exchange ? order[at]! : -1;
  };
}

/**
 * The attaches waiting for a read of their volume, a list per volume name kept in typed arrays
 * (tens of thousands may wait to the end: a map entry per name and two numbers per attach).
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

export const attachRolledBack = defineRule({
  meta: {
    id: 'flow/attach-rolled-back',
    defaultSeverity: 'error',
    description: "An attach the API accepted, whose volume the client later read as 'available': it was rolled back.",
    docs:
      'nova-api reserves a volume in cinder before it answers an attach (HTTP 200), so a later read of that volume ' +
      'showing `available` means the attach failed after the API accepted it (on the compute host or in ' +
      'cinder-volume) and was rolled back. Fires at the attach call of a completed `server add volume` when the ' +
      'first read of the volume after it that shows a settled status (`available` or `in-use`; `reserved` and ' +
      '`attaching` are waited past) shows `available`, unless another command naming the same volume or server ran ' +
      'in between. Client-side reads only (`volume show`, `volume list --name`); attaches answered 202 (compute ' +
      '2.101 and later) are not judged. Without --debug (a pasted terminal session, a `set -x` script) the same ' +
      'judgement is made of the commands: a `server add volume` that printed no error, then the status row of a ' +
      '`volume show` or `volume list` table naming its volume; the finding is at the attach command.',
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onEnd(analysis) {
        plainAttaches(analysis.result.commands, (finding) => ctx.report(finding));
        const { flows, exchanges } = analysis.result;
        const accepted: Accepted = { command: [], volume: [], attach: [] };
        for (const a of attachesOf(analysis)) {
          accepted.command.push(a.command!);
          accepted.volume.push(a.captures.volume!);
          accepted.attach.push(a.call.exchange);
        }
        if (accepted.command.length === 0) return;
        const { command, volume } = accepted;
        // One pass in log order: an attach call's answer opens a wait on its volume (by the name or id
        // the user typed), the volume's first settled read after it closes it. Whether a command naming
        // the volume or server ran in between is asked after, of the few reads showing `available`.
        const callOf = callsOf(accepted);
        const waits = new Waits(command.length);
        const candidates: Candidate[] = [];
        for (const read of rowsWithAny(exchanges, MARKERS, (x) => x.side === 'client')) {
          const opened = callOf(read.id);
          if (opened >= 0) {
            if (read.status === RESERVED_BEFORE_ANSWER) waits.add(volume[opened]!, opened);
            continue;
          }
          const r = read.resource;
          if (r?.type !== 'volume' || (r.status !== 'available' && r.status !== 'in-use')) continue;
          for (const key of new Set([r.id, r.name])) {
            if (key === null) continue;
            waits.settle(key, (a) => {
              if (read.command !== null && read.command <= command[a]!) return true;
              if (r.status === 'available')
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
        if (candidates.length > 0) report(candidates);

        /**
         * The findings: the candidates no command on the volume or server cut off from their attach.
         * What a finding tells of its attach (its server, request id and call) is read again for
         * these few: kept for every attach, it was a day's worth of text.
         */
        function report(candidates: readonly Candidate[]): void {
          const servers = new Map<number, string | null>();
          const requestIds = new Map<number, string | null>();
          const which = new Set(candidates.map((c) => c.accepted));
          let i = 0;
          for (const a of attachesOf(analysis)) {
            if (which.has(i)) {
              servers.set(i, a.captures.server_id ?? a.captures.server ?? null);
              requestIds.set(i, a.call.requestId);
            }
            i++;
          }
          const next = nextCommands(candidates, servers);
          // A read after another command on the volume or server tells of that command, not this attach.
          const found = candidates.filter((c) => c.command === null || c.command < next(c.accepted));
          const ids = new Set(found.map((c) => accepted.attach[c.accepted]));
          const calls = new Map<number, Exchange>();
          for (const call of rowsWithAny(exchanges, MARKERS, (x) => x.side === 'client' && ids.has(x.id)))
            if (call.status === RESERVED_BEFORE_ANSWER) calls.set(call.id, call);
          for (const { accepted: a, observed, read } of found) {
            const call = calls.get(accepted.attach[a]!)!;
            const requestId = requestIds.get(a);
            ctx.report({
              source: call.source,
              line: call.line,
              exchange: call.id,
              observed,
              message:
                `${describeExchange(call)} was accepted (HTTP ${call.status}${requestId ? `, request id ${requestId}` : ''}), ` +
                `but volume ${volume[a]} read at ${read} is 'available', not 'in-use': the attach ` +
                'failed after the API answered and was rolled back (nova-compute and cinder-volume logs tell why)',
            });
          }
        }

        /**
         * For the candidates read inside a command, the first command after each attach naming its
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
            for (const f of commandFlows(flows))
              for (const name of namedBy(f)) commandsNaming.get(name)?.push(f.command!);
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
      },
    };
  },
});

const ATTACH_WORDS = ['server', 'add', 'volume'];

/**
 * The same judgement for runs without --debug: a `server add volume` that printed no error (osc
 * prints the API's refusal and exits 1), then a `volume show` or `volume list` whose table shows
 * the volume `available`. No call is logged: the finding is at the attach's command line.
 */
function plainAttaches(commands: Rows<Command>, report: (finding: ReportInput) => void): void {
  const attachOf = (c: Command): PlainChange | null => {
    const [server, volume] = positionalsOf(c.argv, ATTACH_WORDS) ?? [];
    return server !== undefined && volume !== undefined ? { volume, others: [server] } : null;
  };
  const settled = (status: string) => status === 'available' || status === 'in-use';
  plainReads(commands, attachOf, settled, (attach, volume, read, shown) => {
    if (shown.status !== 'available') return;
    report({
      source: attach.source,
      line: attach.line,
      exchange: null,
      observed: observedInTable(read, shown, volume),
      message:
        `${describeCommand(attach)} printed no error (run without --debug: the API accepted it), but ` +
        `${describeCommand(read)} at ${read.source}:${shown.line} shows volume ${volume} 'available', not 'in-use': ` +
        'the attach failed after the API answered and was rolled back (nova-compute and cinder-volume logs tell why)',
    });
  });
}
