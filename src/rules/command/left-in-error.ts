// command/left-in-error: a command exited 0 and its change to a volume was accepted (an extend,
// a retype, a delete: 2xx on `/volumes/{id}…`), yet the client's next read of that volume that
// shows a settled status shows an error one (`error_extending`, `error_deleting`…). cinder-api
// accepts these and casts the work to cinder-volume, which sets the error status when it fails:
// with the client log alone the read is the only trace of that failure.
import { z } from 'zod';
import { defineRule } from '../../engine/types.js';
import type { Exchange } from '../../model/schema.js';
import { rowsWithAny } from '../../rows/rows.js';
import { describeCommand, describeExchange, observedBy } from '../describe.js';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The volume ids a call's path names: the segment after `volumes/`. */
const VOLUME_IN_PATH = /\/volumes\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[/?]|$)/;
/** Statuses an operation settles in; the others (`extending`, `retyping`, `deleting`…) are waited past. */
const SETTLED = /^(available|in-use|error.*)$/;

/** A change the API accepted, waiting for the volume's next settled read. */
interface Accepted {
  command: number;
  call: Exchange;
}

export const leftInError = defineRule({
  meta: {
    id: 'command/left-in-error',
    defaultSeverity: 'error',
    description: "A command's accepted change to a volume left it in an error status, as the client's next read shows.",
    docs:
      'Fires at the call of a command that exited 0 and changed a volume (POST, PUT, PATCH or DELETE on ' +
      '`/volumes/{id}…` answered 2xx: an extend, a retype, a delete) when the first read of that volume by a later ' +
      'command that shows a settled status (`available`, `in-use` or an error; `extending`, `retyping`, `deleting`… ' +
      'are waited past) shows an error status (`error_extending`, `error_deleting`…): cinder-volume failed the work ' +
      'after cinder-api accepted it. A later accepted change to the same volume starts the wait again. Client-side ' +
      'calls and reads only.',
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onEnd(analysis) {
        const { commands, exchanges } = analysis.result;
        const exitedZero = new Set<number>();
        const names = new Map<number, string>();
        for (const c of commands)
          if (c.exitCode === 0) {
            exitedZero.add(c.id);
            names.set(c.id, describeCommand(c));
          }
        if (exitedZero.size === 0) return;
        // One pass over the client's calls in log order: changes open a wait on their volume, reads close it.
        const waiting = new Map<string, Accepted>();
        // Only a call on `/volumes/…` or a read of a volume is decoded (a day of console output has few).
        for (const e of rowsWithAny(exchanges, ['/volumes/', '"type":"volume"'], (x) => x.side === 'client')) {
          const changed = e.method !== null && CHANGES.has(e.method) ? VOLUME_IN_PATH.exec(e.path ?? '') : null;
          if (changed) {
            const ok = e.status !== null && e.status >= 200 && e.status < 300;
            if (ok && e.command !== null && exitedZero.has(e.command))
              waiting.set(changed[1]!, { command: e.command, call: e });
            continue;
          }
          const r = e.resource;
          if (r?.type !== 'volume' || r.id === null) continue;
          const a = waiting.get(r.id);
          // The command's own reads (before or while it acts) are not the outcome.
          if (!a || e.command === a.command || e.id < a.call.id || !SETTLED.test(r.status)) continue;
          waiting.delete(r.id);
          if (!r.status.startsWith('error')) continue;
          ctx.report({
            source: a.call.source,
            line: a.call.line,
            exchange: a.call.id,
            observed: observedBy(e),
            message:
              `${names.get(a.command)}: ${describeExchange(a.call)} was accepted (HTTP ${a.call.status}` +
              `${a.call.requestId ? `, request id ${a.call.requestId}` : ''}), but volume ${r.name ?? r.id} read at ` +
              `${e.source}:${e.line} is '${r.status}': the operation failed after the API answered ` +
              "(cinder-volume's log tells why)",
          });
        }
      },
    };
  },
});
