// What a log cannot confirm: an attach or detach the API accepted goes on asynchronously
// (nova-compute and cinder do the work after the answer), so with the client log alone and no
// later read of the volume, "no problem found" says nothing of its outcome. The verdict names
// these operations and how to see their outcome, rather than letting silence read as success.
import type { Analysis } from '../core/analysis.js';
import type { Unconfirmed } from '../model/explain-schema.js';
import type { FlowResult } from '../model/flow-schema.js';
import { rowsWith, rowsWithAny } from '../rows/rows.js';

/** The client flows of asynchronous volume operations, and the step whose answer accepts them. */
const ASYNC: Record<string, { operation: Unconfirmed['operation']; step: string }> = {
  'client/server-add-volume': { operation: 'attach', step: 'attach' },
  'client/server-remove-volume': { operation: 'detach', step: 'detach' },
};
/** Statuses that tell how an operation on the volume ended. */
const SETTLED = /^(available|in-use|error.*)$/;

/**
 * The accepted attaches and detaches of commands that exited 0 and that no problem already
 * tells, when no service log was given, with no later client read of their volume showing a
 * settled status. In log order.
 */
export function unconfirmedOf(analysis: Analysis, told: ReadonlySet<number>): Unconfirmed[] {
  const { result } = analysis;
  if (result.inputs.some((i) => i.service != null && i.service !== 'client')) return [];
  const pending: Array<Unconfirmed & { commandId: number; callId: number }> = [];
  for (const f of rowsWith(result.flows, '"flow":"client/server-', (row) => row.flow in ASYNC)) {
    const accepted = acceptedStep(f);
    if (f.command === null || f.verdict !== 'complete' || told.has(f.command) || !accepted) continue;
    const volume = f.captures?.volume;
    if (volume === undefined) continue;
    pending.push({
      operation: ASYNC[f.flow]!.operation,
      volume,
      server: f.captures?.server ?? null,
      command: { name: null, argv: [], source: f.source ?? null, line: f.line ?? null },
      call: { status: null, requestId: accepted.requestId, source: accepted.source, line: accepted.line },
      commandId: f.command,
      callId: accepted.exchange!,
    });
  }
  if (pending.length === 0) return [];
  // Per volume (by the name or id the command used), its operations in log order; a read of the
  // volume by a later command confirms those before it.
  const byVolume = new Map<string, { ops: typeof pending; next: number }>();
  for (const p of pending) {
    const v = byVolume.get(p.volume);
    if (v) v.ops.push(p);
    else byVolume.set(p.volume, { ops: [p], next: 0 });
  }
  const confirmed = new Set<(typeof pending)[number]>();
  const calls = new Map(pending.map((p) => [p.callId, p]));
  for (const e of rowsWithAny(
    result.exchanges,
    ['os-volume_attachments', '"type":"volume"'],
    (x) => x.side === 'client',
  )) {
    const call = calls.get(e.id);
    if (call) call.call.status = e.status;
    const r = e.resource;
    if (r?.type !== 'volume' || !SETTLED.test(r.status)) continue;
    for (const key of new Set([r.id, r.name])) {
      const v = key === null ? undefined : byVolume.get(key);
      while (v && v.next < v.ops.length && v.ops[v.next]!.callId < e.id && v.ops[v.next]!.commandId !== e.command)
        confirmed.add(v.ops[v.next++]!);
    }
  }
  const commands = new Map<number, { name: string | null; argv: string[] }>();
  const wanted = new Set(pending.map((p) => p.commandId));
  for (const c of result.commands) if (wanted.has(c.id)) commands.set(c.id, { name: c.name, argv: c.argv });
  return pending
    .filter((p) => !confirmed.has(p))
    .map(({ commandId, callId: _call, ...u }) => ({
      ...u,
      command: { ...u.command, ...(commands.get(commandId) ?? { name: null, argv: [] }) },
    }));
}

/** The step whose 2xx answer accepted the operation, when it matched a call. */
function acceptedStep(f: FlowResult): FlowResult['steps'][number] | null {
  const step = ASYNC[f.flow]?.step;
  return f.steps.find((s) => s.step === step && s.status === 'matched' && s.exchange !== null) ?? null;
}
