// api/instance-action-error: nova's own record of a server's actions (`openstack server event
// list` / `show`, os-instance-actions) says an action ended in Error. It is nova's account of a
// failure that happened after the API answered (an attach on the compute host), readable from
// the client log alone; the message names the action's request id, so explain tells it with
// the operation that request started.
import * as z from '../../core/zod.js';
import { defineRule } from '../../engine/types.js';
import { rowsWith } from '../../rows/rows.js';

export const instanceActionError = defineRule({
  meta: {
    id: 'api/instance-action-error',
    defaultSeverity: 'warning',
    description: "nova's instance actions (server event list / show) record an action that ended in Error.",
    docs:
      "Fires once per action (by its request id) that a client's read of a server's instance actions shows as " +
      'failed: `message: Error` in `server event list`, or an event with `result: Error` in `server event show` ' +
      '(whose event names, e.g. `compute_attach_volume`, the message gives). At the first read that showed it. ' +
      "A warning: the list shows the server's whole history, so the action may be older than the log.",
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onEnd(analysis) {
        // Per action: the first read that showed it failed, and every failed event any read named.
        const told = new Map<string, { source: string; line: number; action: string; events: Set<string> }>();
        const order: string[] = [];
        for (const e of rowsWith(analysis.result.exchanges, '"failed":true', (x) => x.instanceActions !== undefined))
          for (const a of e.instanceActions!) {
            if (!a.failed) continue;
            const key = a.requestId ?? `${a.action}@${e.source}:${e.line}`;
            let entry = told.get(key);
            if (!entry) {
              entry = { source: e.source, line: e.line, action: a.action, events: new Set() };
              told.set(key, entry);
              order.push(key);
            }
            for (const ev of a.failedEvents) entry.events.add(ev);
          }
        for (const key of order) {
          const t = told.get(key)!;
          const events = [...t.events];
          ctx.report({
            source: t.source,
            line: t.line,
            // No call of its own: the action's request id ties it to the operation it tells of.
            exchange: null,
            message:
              `nova recorded ${t.action}${key.startsWith('req-') ? ` (request id ${key})` : ''} as failed` +
              `${events.length > 0 ? `: event ${events.join(', ')} ended in Error` : ''} (nova-compute's log tells why)`,
          });
        }
      },
    };
  },
});
