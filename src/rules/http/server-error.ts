// http/server-error: a 5xx answer, reported when the exchange is emitted.
import * as z from '../../core/zod.js';
import { defineRule } from '../../engine/types.js';
import type { Exchange } from '../../model/schema.js';
import { describeExchange, describeError } from '../describe.js';
import { calleeTells } from './explained.js';

export const serverError = defineRule({
  meta: {
    id: 'http/server-error',
    defaultSeverity: 'error',
    description: 'An HTTP request was answered with a 5xx status.',
    docs:
      'Fires on every exchange whose final status is 500–599 (each attempt of a retried request counts). ' +
      'The message gives the method, path, status and the error message of the response body. ' +
      "A service's own call (nova-compute's to cinder, in nova-compute's log) is told at the end of the run, and only " +
      "when the callee's log was not given (its server exchange is the same call, told there) and the call's " +
      "HTTP lines were logged (an answer seen only in an error text is the service's ERROR record, `service/error-logged`).",
    options: z.strictObject({}),
  },
  create(ctx) {
    const report = (e: Exchange) =>
      ctx.report({
        source: e.source,
        line: e.line,
        exchange: e.id,
        message: `${describeExchange(e)} returned ${e.status}${describeError(e)}`,
      });
    /** A service's calls answered 5xx: judged once the chains tell whether the callee's log has them. */
    const calls: Exchange[] = [];
    return {
      onExchange(e) {
        if (e.status === null || e.status < 500 || e.status > 599) return;
        if (e.caller) calls.push(e);
        else report(e);
      },
      onEnd(analysis) {
        const told = calleeTells(analysis, calls);
        for (const e of calls) if (!told.has(e.id)) report(e);
      },
    };
  },
});
