// What a log cannot confirm: an attach, a detach, a volume create, extend or retype the API
// accepted goes on asynchronously (nova-compute, cinder-scheduler and cinder-volume do the work
// after the answer), so with the client log alone and no
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
/** Volume actions cinder-api accepts and cinder-volume carries out after the answer. */
const ACTIONS: Record<string, Unconfirmed['operation']> = { 'os-extend': 'extend', 'os-retype': 'retype' };
const VOLUME_ACTION = /\/volumes\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/action$/;
/** Statuses that tell how an operation on the volume ended. */
const SETTLED = /^(available|in-use|error.*)$/;

/**
 * The accepted attaches, detaches and volume creates, extends and retypes of commands that exited 0 and that no
 * problem already tells, when no service log was given, with no later client read of their
 * volume showing a settled status. In log order.
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
  // Per volume (by the name or id the command used), its operations in log order; a read of the
  // volume by a later command confirms those before it.
  const byVolume = new Map<string, { ops: typeof pending; next: number }>();
  const add = (key: string, p: (typeof pending)[number]) => {
    const v = byVolume.get(key);
    if (v) v.ops.push(p);
    else byVolume.set(key, { ops: [p], next: 0 });
  };
  for (const p of pending) add(p.volume, p);
  const exitedZero = new Set<number>();
  for (const c of result.commands) if (c.exitCode === 0 && !told.has(c.id)) exitedZero.add(c.id);
  const confirmed = new Set<(typeof pending)[number]>();
  const calls = new Map(pending.map((p) => [p.callId, p]));
  // The names reads gave volume ids so far: an extend's path names only the id.
  const names = new Map<string, string>();
  for (const e of rowsWithAny(
    result.exchanges,
    ['os-volume_attachments', '"type":"volume"', ...Object.keys(ACTIONS)],
    (x) => x.side === 'client',
  )) {
    const call = calls.get(e.id);
    if (call) call.call.status = e.status;
    // An accepted call of a command that exited 0, on the volume known by `id` (and `name`).
    const accept = (operation: Unconfirmed['operation'], id: string, name: string | null) => {
      const p = {
        operation,
        volume: name ?? id,
        server: null,
        command: { name: null, argv: [], source: null, line: null },
        call: { status: e.status, requestId: e.requestId, source: e.source, line: e.line },
        commandId: e.command!,
        callId: e.id,
      };
      pending.push(p);
      for (const key of new Set([id, name])) if (key !== null) add(key, p);
    };
    const byZero = e.command !== null && exitedZero.has(e.command);
    const acted = e.action ? ACTIONS[e.action] : undefined;
    const id = acted ? VOLUME_ACTION.exec(e.path ?? '')?.[1] : undefined;
    const ok = e.status !== null && e.status >= 200 && e.status < 300;
    if (acted && id && ok && e.method === 'POST' && byZero) {
      accept(acted, id, names.get(id) ?? null);
      continue;
    }
    // A create names its volume only in its answer (exchanges[].created): by its name and its id.
    const made = e.created;
    if (made?.type === 'volume' && made.id !== null && byZero) {
      accept('create', made.id, made.name);
      continue;
    }
    const r = e.resource;
    if (r?.type === 'volume' && r.id !== null && r.name) names.set(r.id, r.name);
    if (r?.type !== 'volume' || !SETTLED.test(r.status)) continue;
    for (const key of new Set([r.id, r.name])) {
      const v = key === null ? undefined : byVolume.get(key);
      while (v && v.next < v.ops.length && v.ops[v.next]!.callId < e.id && v.ops[v.next]!.commandId !== e.command)
        confirmed.add(v.ops[v.next++]!);
    }
  }
  if (pending.length === 0) return [];
  const commands = new Map<number, { name: string | null; argv: string[]; source: string; line: number }>();
  const wanted = new Set(pending.map((p) => p.commandId));
  for (const c of result.commands)
    if (wanted.has(c.id)) commands.set(c.id, { name: c.name, argv: c.argv, source: c.source, line: c.line });
  return pending
    .filter((p) => !confirmed.has(p))
    .sort((a, b) => a.callId - b.callId)
    .map(({ commandId, callId: _call, ...u }) => {
      const c = commands.get(commandId);
      return {
        ...u,
        command: {
          name: c?.name ?? null,
          argv: c?.argv ?? [],
          source: u.command.source ?? c?.source ?? null,
          line: u.command.line ?? c?.line ?? null,
        },
      };
    });
}

/** The step whose 2xx answer accepted the operation, when it matched a call. */
function acceptedStep(f: FlowResult): FlowResult['steps'][number] | null {
  const step = ASYNC[f.flow]?.step;
  return f.steps.find((s) => s.step === step && s.status === 'matched' && s.exchange !== null) ?? null;
}
