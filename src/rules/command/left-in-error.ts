// command/left-in-error: a command exited 0 and its change to a volume was accepted (an extend,
// a retype, a delete: 2xx on `/volumes/{id}…`; a create: 2xx naming the volume it made), yet the client's next read of that volume that
// shows a settled status shows an error one (`error_extending`, `error_deleting`…). cinder-api
// accepts these and casts the work to cinder-volume, which sets the error status when it fails:
// with the client log alone the read is the only trace of that failure.
import * as z from '../../core/zod.js';
import { defineRule } from '../../engine/types.js';
import { positionalsOf } from '../../core/osc-argv.js';
import type { ReportInput } from '../../engine/types.js';
import type { Command, Exchange } from '../../model/schema.js';
import { IdBits } from '../../rows/id-bits.js';
import { rowsWithAny, type Rows } from '../../rows/rows.js';
import { describeCommand, describeExchange, observedBy } from '../describe.js';
import { observedInTable, plainReads, type PlainChange } from '../plain-reads.js';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The volume ids a call's path names: the segment after `volumes/`. */
const VOLUME_IN_PATH = /\/volumes\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[/?]|$)/;
/**
 * The volume a change is about: the one its path names (extend, retype, delete), else the one
 * a create's answer says it made (`POST …/volumes` names no id; its 202 body holds the new one).
 */
function changedVolume(e: Exchange): string | null {
  const named = VOLUME_IN_PATH.exec(e.path ?? '');
  if (named) return named[1]!;
  return e.method === 'POST' && e.created?.type === 'volume' ? e.created.id : null;
}

/** Statuses an operation settles in; the others (`extending`, `retyping`, `deleting`…) are waited past. */
const SETTLED = /^(available|in-use|error.*)$/;

/** A change the API accepted, waiting for the volume's next settled read. */
/** An accepted change waiting for a read of its volume: what its finding tells of the call, not the exchange. */
interface Accepted {
  command: number;
  call: {
    id: number;
    source: string;
    line: number;
    /** `POST /v3/…/volumes/…/action (HTTP 202, request id req-…)` */
    described: string;
    created: boolean;
  };
}

export const leftInError = defineRule({
  meta: {
    id: 'command/left-in-error',
    defaultSeverity: 'error',
    description: "A command's accepted change to a volume left it in an error status, as the client's next read shows.",
    docs:
      'Fires at the call of a command that exited 0 and changed a volume (POST, PUT, PATCH or DELETE on ' +
      '`/volumes/{id}…` answered 2xx: an extend, a retype, a delete; or made one: a POST answered 2xx whose body is ' +
      'the new volume, with its id) when the first read of that volume by a later ' +
      'command that shows a settled status (`available`, `in-use` or an error; `extending`, `retyping`, `deleting`… ' +
      'are waited past) shows an error status (`error_extending`, `error_deleting`…): cinder-volume (cinder-scheduler, for a create no backend could take) failed the work ' +
      'after cinder-api accepted it. A later accepted change to the same volume starts the wait again. Client-side ' +
      'calls and reads only. Without --debug (a pasted terminal session, a `set -x` script) the same judgement is ' +
      'made of the commands: a `volume create`, `volume set --size|--type` or `volume delete` that printed no error, ' +
      'then the status row of a `volume show` or `volume list` table naming its volume; the finding is at the ' +
      "change's command line.",
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onEnd(analysis) {
        const { commands, exchanges } = analysis.result;
        plainChanges(commands, (finding) => ctx.report(finding));
        const exitedZero = new IdBits();
        let anyExitedZero = false;
        for (const c of commands)
          if (c.exitCode === 0) {
            exitedZero.add(c.id);
            anyExitedZero = true;
          }
        if (!anyExitedZero) return;
        // One pass over the client's calls in log order: changes open a wait on their volume, reads close it.
        const waiting = new Map<string, Accepted>();
        // The findings wait for their commands' names: a second pass names only those.
        const found: Array<{ a: Accepted; rest: string; observed: ReturnType<typeof observedBy> }> = [];
        // Only a call on `/volumes/…` or a read of a volume is decoded (a day of console output has few).
        for (const e of rowsWithAny(exchanges, ['/volumes/', '"type":"volume"'], (x) => x.side === 'client')) {
          const changed = e.method !== null && CHANGES.has(e.method) ? changedVolume(e) : null;
          if (changed) {
            const ok = e.status !== null && e.status >= 200 && e.status < 300;
            if (ok && e.command !== null && exitedZero.has(e.command))
              waiting.set(changed, {
                command: e.command,
                call: {
                  id: e.id,
                  source: e.source,
                  line: e.line,
                  described: `${describeExchange(e)} was accepted (HTTP ${e.status}${e.requestId ? `, request id ${e.requestId}` : ''})`,
                  created: Boolean(e.created),
                },
              });
            continue;
          }
          const r = e.resource;
          if (r?.type !== 'volume' || r.id === null) continue;
          const a = waiting.get(r.id);
          // The command's own reads (before or while it acts) are not the outcome.
          if (!a || e.command === a.command || e.id < a.call.id || !SETTLED.test(r.status)) continue;
          waiting.delete(r.id);
          if (!r.status.startsWith('error')) continue;
          found.push({
            a,
            observed: observedBy(e),
            rest:
              `, but volume ${r.name ?? r.id} read at ${e.source}:${e.line} is '${r.status}': the operation failed after the API answered ` +
              (a.call.created
                ? "(cinder-scheduler's and cinder-volume's logs tell why)"
                : "(cinder-volume's log tells why)"),
          });
        }
        if (found.length === 0) return;
        const wanted = new IdBits();
        for (const { a } of found) wanted.add(a.command);
        const names = new Map<number, string>();
        for (const c of commands) if (wanted.has(c.id)) names.set(c.id, describeCommand(c));
        for (const { a, rest, observed } of found)
          ctx.report({
            source: a.call.source,
            line: a.call.line,
            exchange: a.call.id,
            observed,
            message: `${names.get(a.command)}: ${a.call.described}${rest}`,
          });
      },
    };
  },
});

/** `volume set` options whose change cinder-volume makes after the API answers (a rename or a property is made at once). */
const CAST_OPTIONS = ['--size', '--type'];

/**
 * The volume a run without --debug changed the way cinder-volume finishes: `volume create` (the
 * name or id its table shows, else its name argument), `volume set --size|--type VOLUME` (an
 * extend, a retype), `volume delete VOLUME` (one volume).
 */
function plainChangeOf(c: Command): PlainChange | null {
  const create = positionalsOf(c.argv, ['volume', 'create']);
  if (create !== null) {
    const made = c.shows?.find((s) => s.type === 'volume');
    const name = made?.name ?? create.at(-1) ?? made?.id ?? null;
    return name === null ? null : { volume: name, others: made?.id && made.id !== name ? [made.id] : [] };
  }
  const set = positionalsOf(c.argv, ['volume', 'set']);
  if (set !== null && set.length > 0 && c.argv.some((a) => CAST_OPTIONS.some((o) => a === o || a.startsWith(`${o}=`))))
    return { volume: set.at(-1)!, others: [] };
  const deleted = positionalsOf(c.argv, ['volume', 'delete']);
  return deleted?.length === 1 ? { volume: deleted[0]!, others: [] } : null;
}

/**
 * The same judgement for runs without --debug: a `volume create`, `volume set --size|--type` or
 * `volume delete` that printed no error, then a `volume show` or `volume list` whose table shows
 * the volume in an error status. The finding is at the change's command line.
 */
function plainChanges(commands: Rows<Command>, report: (finding: ReportInput) => void): void {
  plainReads(
    commands,
    plainChangeOf,
    (status) => SETTLED.test(status),
    (change, volume, read, shown) => {
      if (!shown.status.startsWith('error')) return;
      const created = positionalsOf(change.argv, ['volume', 'create']) !== null;
      report({
        source: change.source,
        line: change.line,
        exchange: null,
        observed: observedInTable(read, shown, volume),
        message:
          `${describeCommand(change)} printed no error (run without --debug: the API accepted it), but ` +
          `${describeCommand(read)} at ${read.source}:${shown.line} shows volume ${volume} '${shown.status}': the operation failed after the API answered ` +
          (created ? "(cinder-scheduler's and cinder-volume's logs tell why)" : "(cinder-volume's log tells why)"),
      });
    },
  );
}
