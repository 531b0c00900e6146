// What a log cannot confirm: an attach, a detach, a volume create, extend or retype the API
// accepted goes on asynchronously (nova-compute, cinder-scheduler and cinder-volume do the work
// after the answer), so with the client log alone and no
// later read of the volume, "no problem found" says nothing of its outcome. The verdict names
// these operations and how to see their outcome, rather than letting silence read as success.
import { acceptedCallsOf } from '../core/accepted-calls.js';
import type { Analysis } from '../core/analysis.js';
import type { Unconfirmed } from '../model/explain-schema.js';
import type { Command } from '../model/schema.js';
import { IdBits } from '../rows/id-bits.js';
import { defaultBudget, JsonStore } from '../rows/json-store.js';
import { rowsWithAny, type Rows } from '../rows/rows.js';
import { SpillList } from '../rows/spill-list.js';

/** The operation of each client flow whose accepted call `acceptedCallsOf` gives (core/accepted-calls.ts). */
const OPERATIONS: Record<string, Unconfirmed['operation']> = {
  'client/server-add-volume': 'attach',
  'client/server-remove-volume': 'detach',
};
/** Volume actions cinder-api accepts and cinder-volume carries out after the answer. */
const ACTIONS: Record<string, Unconfirmed['operation']> = { 'os-extend': 'extend', 'os-retype': 'retype' };
const VOLUME_ACTION = /\/volumes\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/action$/;
/** The command of calls outside any command (a paste without its command line): none a read can share. */
const NO_COMMAND = -1;
/** Statuses that tell how an operation on the volume ended. */
const SETTLED = /^(available|in-use|error.*)$/;

/** What is kept of an accepted operation until the end shows whether a read confirmed it. */
interface PendingRow {
  operation: Unconfirmed['operation'];
  volume: string;
  server: string | null;
  command: { source: string | null; line: number | null };
  call: { requestId: string | null; source: string | null; line: number | null };
}

/**
 * The accepted operations seen so far, and which a later read confirmed. A CI log can accept
 * thousands, and any later read may confirm one, so each waits on disk past a budget (its row
 * read back once at the end) with only its call, command, status and volume keys in memory.
 */
class Pending {
  private readonly rows = new JsonStore<PendingRow>(() => 256, Math.min(defaultBudget(), 1 << 20));
  readonly callIds: number[] = [];
  readonly commandIds: number[] = [];
  /** The accepting call's status (-1: not known yet). */
  readonly statuses: number[] = [];
  readonly confirmed = new IdBits();
  /** Per volume (by the name or id the command used), its operations in log order. */
  private readonly byVolume = new Map<string, { ops: number[]; next: number }>();

  get size(): number {
    return this.callIds.length;
  }

  add(row: PendingRow, callId: number, commandId: number, status: number | null, keys: Iterable<string>): number {
    const i = this.callIds.length;
    this.rows.set(i, row);
    this.callIds.push(callId);
    this.commandIds.push(commandId);
    this.statuses.push(status ?? -1);
    for (const key of keys) {
      const v = this.byVolume.get(key);
      if (!v) {
        this.byVolume.set(key, { ops: [i], next: 0 });
        continue;
      }
      // In call order: the flows' operations come first, then the calls' (a create, an extend) in log order.
      let at = v.ops.length;
      while (at > v.next && this.callIds[v.ops[at - 1]!]! > callId) at--;
      v.ops.splice(at, 0, i);
    }
    return i;
  }

  /** A read of the volume known by `key` in call `callId` of command `commandId` settles the operations before it. */
  confirm(key: string, callId: number, commandId: number | null): void {
    const v = this.byVolume.get(key);
    while (v && v.next < v.ops.length) {
      const i = v.ops[v.next]!;
      if (this.callIds[i]! >= callId || this.commandIds[i] === commandId) break;
      this.confirmed.add(i);
      v.next++;
    }
  }

  /** The unconfirmed ones in call order, each with its command's name and argv. */
  unconfirmed(commands: Iterable<Command>): Rows<Unconfirmed> {
    const order = this.callIds.map((_, i) => i).filter((i) => !this.confirmed.has(i));
    order.sort((a, b) => this.callIds[a]! - this.callIds[b]! || a - b);
    const wanted = new IdBits();
    for (const i of order) if (this.commandIds[i]! !== NO_COMMAND) wanted.add(this.commandIds[i]!);
    const byCommand = new JsonStore<Pick<Command, 'name' | 'argv' | 'source' | 'line'>>(
      (c) => 64 + c.argv.length * 16,
      Math.min(defaultBudget(), 1 << 20),
    );
    for (const c of commands)
      if (wanted.has(c.id)) byCommand.set(c.id, { name: c.name, argv: c.argv, source: c.source, line: c.line });
    const out = new SpillList<Unconfirmed>();
    for (const i of order) {
      const row = this.rows.get(i)!;
      const c = this.commandIds[i] === NO_COMMAND ? undefined : byCommand.get(this.commandIds[i]!);
      const status = this.statuses[i]!;
      out.push({
        operation: row.operation,
        volume: row.volume,
        server: row.server,
        command: {
          name: c?.name ?? null,
          argv: c?.argv ?? [],
          source: row.command.source ?? c?.source ?? null,
          line: row.command.line ?? c?.line ?? null,
        },
        call: { status: status < 0 ? null : status, ...row.call },
      });
    }
    byCommand.dispose();
    this.rows.dispose();
    return out;
  }
}

/**
 * The accepted attaches, detaches and volume creates, extends and retypes of commands that exited 0 and that no
 * problem already tells, when no service log was given, with no later client read of their
 * volume showing a settled status. In log order. An attach or detach counts too when the log
 * leaves out steps its command got past (an excerpt), or leaves out the command itself (calls
 * outside any command): its call was accepted all the same.
 */
export function unconfirmedOf(analysis: Analysis, told: ReadonlySet<number>): Rows<Unconfirmed> {
  const { result } = analysis;
  if (result.inputs.some((i) => i.service != null && i.service !== 'client')) return [];
  const pending = new Pending();
  // The flows' accepted calls, by call id: their status is read from the call itself below.
  const calls = new Map<number, number>();
  // Only steps' statuses and calls are read here: a spilled row is decoded without its steps' messages.
  // Only the attaches' and detaches' rows are decoded, not every client/server-* flow's.
  for (const f of acceptedCallsOf(analysis.acceptedCalls, result.flows)) {
    if (!f.shownWhole || (f.command !== null && told.has(f.command))) continue;
    // The name the command line gave, else the id the call named (an excerpt without the lookups).
    const volume = f.captures.volume ?? f.captures.volume_id;
    if (volume === undefined) continue;
    const { call } = f;
    const row: PendingRow = {
      operation: OPERATIONS[f.flow]!,
      volume,
      server: f.captures.server ?? f.captures.server_id ?? null,
      // Calls outside any command have no command to place (null): the call is where to look.
      command: f.command === null ? { source: null, line: null } : { source: f.source, line: f.line },
      call: { requestId: call.requestId, source: call.source, line: call.line },
    };
    const keys = new Set([volume, ...(f.captures.volume_id ? [f.captures.volume_id] : [])]);
    calls.set(call.exchange, pending.add(row, call.exchange, f.command ?? NO_COMMAND, null, keys));
  }
  const exitedZero = new IdBits();
  for (const c of result.commands) if (c.exitCode === 0 && !told.has(c.id)) exitedZero.add(c.id);
  // The names reads gave volume ids so far: an extend's path names only the id.
  const names = new Map<string, string>();
  for (const e of rowsWithAny(
    result.exchanges,
    ['os-volume_attachments', '"type":"volume"', ...Object.keys(ACTIONS)],
    (x) => x.side === 'client',
  )) {
    const call = calls.get(e.id);
    if (call !== undefined) pending.statuses[call] = e.status ?? -1;
    // An accepted call of a command that exited 0, on the volume known by `id` (and `name`).
    const accept = (operation: Unconfirmed['operation'], id: string, name: string | null) => {
      const row: PendingRow = {
        operation,
        volume: name ?? id,
        server: null,
        command: { source: null, line: null },
        call: { requestId: e.requestId, source: e.source, line: e.line },
      };
      pending.add(row, e.id, e.command!, e.status, new Set([id, ...(name === null ? [] : [name])]));
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
    for (const key of new Set([r.id, r.name])) if (key !== null) pending.confirm(key, e.id, e.command);
  }
  if (pending.size === 0) return [];
  const out = pending.unconfirmed(result.commands);
  return out.length === 0 ? [] : out;
}
