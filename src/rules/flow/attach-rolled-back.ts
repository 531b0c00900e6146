// flow/attach-rolled-back: the API accepted an attach (`server add volume` completed, nova
// answered 200), yet the client's own later read of the volume shows it `available`. nova-api
// reserves the volume in cinder before it answers (the attachment, or os-reserve before
// Ocata), so `available` afterwards means the reservation was undone: the attach failed on
// the compute host or in cinder-volume after the client was told it worked. With the client
// log alone this read is the only trace of the failure. (Reference D1 steps 4 and 6: the
// attachment is created, volume `reserved`, before the 200; old style, D2 step 3: os-reserve,
// `attaching`, before it.)
import { bisectRight } from 'd3-array';
import { z } from 'zod';
import { defineRule } from '../../engine/types.js';
import type { FlowResult } from '../../model/flow-schema.js';
import type { Exchange } from '../../model/schema.js';
import { rowsWith, rowsWithAny } from '../../rows/rows.js';
import { describeExchange, observedBy } from '../describe.js';

const ATTACH_FLOW = 'client/server-add-volume';
/** The synchronous answer: nova-api reserved the volume before it. From 2.101 the attach answers 202 and may not have yet. */
const RESERVED_BEFORE_ANSWER = 200;

/** An attach the API accepted, waiting for a settled read of its volume. */
interface AnsweredCall {
  id: number;
  source: string;
  line: number;
  status: number | null;
  described: string;
}

interface Accepted {
  command: number;
  /** The volume as the user named it, and its id once a read shows it. */
  volume: string;
  server: string | null;
  attach: number;
  requestId: string | null;
  /** The next command naming the same volume or server: reads after it say nothing of this attach. */
  until: number;
}

const FAR = Number.MAX_SAFE_INTEGER;

/** The volume and server a client flow names (as typed, and the server's id once looked up). */
function namedBy(f: FlowResult): string[] {
  const c = f.captures ?? {};
  return [c.volume, c.server, c.server_id].filter((v): v is string => v !== undefined);
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
      '2.101 and later) are not judged.',
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onEnd(analysis) {
        const { flows, exchanges } = analysis.result;
        // The accepted attaches, and for each name the commands whose flows name it (in command order).
        const accepted: Accepted[] = [];
        const commandsNaming = new Map<string, number[]>();
        // Only a command's flows name anything here: a spilled row of a service's flow (a day of
        // them in a service log) is passed over undecoded, by the `"command":null` it writes.
        for (const f of rowsWith(flows, '"captures":{"', (row) => row.command !== null, '"command":null')) {
          for (const name of namedBy(f)) {
            const list = commandsNaming.get(name);
            if (list) list.push(f.command!);
            else commandsNaming.set(name, [f.command!]);
          }
          if (f.flow !== ATTACH_FLOW || f.verdict !== 'complete' || f.captures?.volume === undefined) continue;
          const attach = f.steps.find((s) => s.step === 'attach' && s.status === 'matched' && s.exchange !== null);
          if (!attach) continue;
          accepted.push({
            command: f.command!,
            volume: f.captures.volume,
            server: f.captures.server_id ?? f.captures.server ?? null,
            attach: attach.exchange!,
            requestId: attach.requestId,
            until: FAR,
          });
        }
        if (accepted.length === 0) return;
        for (const list of commandsNaming.values()) list.sort((x, y) => x - y);
        // The first command after the attach naming its volume or server (a volume attached and
        // detached all day is named by thousands: looked up, not scanned).
        for (const a of accepted)
          for (const name of [a.volume, a.server]) {
            const list = name === null ? undefined : commandsNaming.get(name);
            const next = list?.[bisectRight(list, a.command)];
            if (next !== undefined && next < a.until) a.until = next;
          }
        // One pass in log order: an attach call's answer opens a wait on its volume (by the name or id
        // the user typed), the volume's reads after it close it.
        const byCall = new Map(accepted.map((a) => [a.attach, a]));
        // What a finding tells of an attach call still waiting for a read (not the whole exchange:
        // a day's attaches are thousands).
        const answered = new Map<number, AnsweredCall>();
        const waiting = new Map<string, Accepted[]>();
        for (const read of rowsWithAny(
          exchanges,
          ['os-volume_attachments', '"type":"volume"'],
          (x) => x.side === 'client',
        )) {
          const opened = byCall.get(read.id);
          if (opened) {
            if (read.status !== RESERVED_BEFORE_ANSWER) continue;
            answered.set(read.id, {
              id: read.id,
              source: read.source,
              line: read.line,
              status: read.status,
              described: describeExchange(read),
            });
            const list = waiting.get(opened.volume);
            if (list) list.push(opened);
            else waiting.set(opened.volume, [opened]);
            continue;
          }
          const r = read.resource;
          if (r?.type !== 'volume' || (r.status !== 'available' && r.status !== 'in-use')) continue;
          for (const key of new Set([r.id, r.name])) {
            const list = key === null ? undefined : waiting.get(key);
            if (!list) continue;
            const still: Accepted[] = [];
            for (const a of list) {
              const after = read.command === null || read.command > a.command;
              if (!after) {
                still.push(a);
                continue;
              }
              // A read after another command on the volume or server tells of that command, not this attach.
              if (read.command !== null && read.command >= a.until) continue;
              if (r.status === 'available') report(a, read, answered.get(a.attach)!);
            }
            if (still.length > 0) waiting.set(key!, still);
            else waiting.delete(key!);
          }
        }
        function report(a: Accepted, read: Exchange, call: AnsweredCall): void {
          ctx.report({
            source: call.source,
            line: call.line,
            exchange: call.id,
            observed: observedBy(read),
            message:
              `${call.described} was accepted (HTTP ${call.status}${a.requestId ? `, request id ${a.requestId}` : ''}), ` +
              `but volume ${a.volume} read at ${read.source}:${read.line} is 'available', not 'in-use': the attach ` +
              'failed after the API answered and was rolled back (nova-compute and cinder-volume logs tell why)',
          });
        }
      },
    };
  },
});
