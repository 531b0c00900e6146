// service/error-logged: a service's ERROR or CRITICAL record that no flow step or call
// already tells. A bug report's paste is often only that record and its traceback
// (nova-compute's `Update attachment failed … (HTTP 500)`, cinder-volume's driver
// error); a clean run has none, so one is worth a look, not a failed gate.
import * as z from '../../core/zod.js';
import { defineRule } from '../../engine/types.js';
import type { ServiceError } from '../../model/service-schema.js';
import { rowsWith } from '../../rows/rows.js';

/** Step statuses a flow rule reports at the step's line. */
const TOLD_STEPS = ['failed', 'mismatched', 'unexpected', 'out-of-order'] as const;

/** How much of a message or exception a finding quotes. */
const QUOTE = 300;

function quote(text: string): string {
  return text.length > QUOTE ? `${text.slice(0, QUOTE)}…` : text;
}

export function describeServiceError(e: ServiceError): string {
  const who = `${e.service ?? 'a service'} logged ${e.level}${e.logger ? ` (${e.logger})` : ''}`;
  const ids = [e.requestId, e.globalRequestId && e.globalRequestId !== e.requestId ? e.globalRequestId : null]
    .filter(Boolean)
    .join(', global ');
  const exception = e.exception !== null && e.exception !== e.message ? ` — ${quote(e.exception)}` : '';
  const more = e.count > 1 ? ` (${e.count} records of this kind, the last at line ${e.lastLine})` : '';
  return `${who}${ids ? ` under ${ids}` : ''}: "${quote(e.message)}"${exception}${more}`;
}

export const errorLogged = defineRule({
  meta: {
    id: 'service/error-logged',
    defaultSeverity: 'warning',
    description: 'A service logged an ERROR or CRITICAL record that no flow step or call tells.',
    docs:
      'Fires once per kind of ERROR or CRITICAL record in each service log (the same logger and message but for ' +
      'ids and numbers; the count and the last line are given), with the exception its traceback ended with. ' +
      'Left to other rules: records that are a flow step the flow rules report, lines another rule already told ' +
      '(a known bug), and the ERROR line an API logs for a request it refused (the call is reported). A warning by ' +
      'default: set it to `error` to make `ostrace lint` fail a CI job on any unexpected ERROR line.',
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onEnd(analysis) {
        const errors = analysis.result.serviceErrors ?? [];
        if (errors.length === 0) return;
        // The lines flow/* rules report as steps (failed, mismatched, unexpected or out of order).
        // The requests of those steps in their logs too: cinder-volume's `Driver initialize connection
        // failed` is a step, and the RPC dispatcher's re-raise of it under the same request tells it again.
        const steps = new Set<string>();
        const stepRequests = new Set<string>();
        for (const status of TOLD_STEPS)
          for (const f of rowsWith(analysis.result.flows, `"status":"${status}"`, () => true))
            for (const s of f.steps) {
              if (s.status !== status || s.source === null || s.line === null) continue;
              steps.add(`${s.source}:${s.line}`);
              if (s.exchange === null && s.requestId !== null) stepRequests.add(`${s.source}\0${s.requestId}`);
            }
        // A refused request's own ERROR line in the API's log is its error message: the call's finding tells it.
        const refused = new Set<string>();
        for (const marker of ['"status":4', '"status":5'])
          for (const x of rowsWith(analysis.result.exchanges, marker, (x) => x.side === 'server'))
            if (x.requestId !== null && x.status !== null && x.status >= 400)
              refused.add(`${x.source}\0${x.requestId}`);
        // One finding per request and service: nova-compute logs one failed attach three ways
        // (nova.volume.cinder, nova.compute.manager, oslo_messaging.rpc.server).
        const byRequest = new Map<string, ServiceError[]>();
        for (const e of errors) {
          if (steps.has(`${e.source}:${e.line}`) || ctx.toldAt(e.source, e.line)) continue;
          const request = `${e.source}\0${e.requestId}`;
          if (e.requestId !== null && (refused.has(request) || stepRequests.has(request))) continue;
          const key = e.requestId === null ? `${e.source}:${e.line}` : `${e.source}\0${e.requestId}`;
          const list = byRequest.get(key);
          if (list) list.push(e);
          else byRequest.set(key, [e]);
        }
        for (const [first, ...more] of byRequest.values()) {
          const exception = first!.exception ?? more.find((e) => e.exception !== null)?.exception ?? null;
          const also =
            more.length === 0
              ? ''
              : `; ${more.length} more ERROR record kind${more.length === 1 ? '' : 's'} under this request (${more
                  .map((e) => `${e.logger ?? '?'} at line ${e.line}`)
                  .join(', ')})`;
          ctx.report({
            source: first!.source,
            line: first!.line,
            message: `${describeServiceError({ ...first!, exception })}${also}`,
          });
        }
      },
    };
  },
});
