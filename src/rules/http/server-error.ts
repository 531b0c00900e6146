// http/server-error: a 5xx answer, reported when the exchange is emitted.
import { z } from 'zod';
import { defineRule } from '../../engine/types.js';
import { describeExchange, describeError } from '../describe.js';

export const serverError = defineRule({
  meta: {
    id: 'http/server-error',
    defaultSeverity: 'error',
    description: 'An HTTP request was answered with a 5xx status.',
    docs:
      'Fires on every exchange whose final status is 500–599 (each attempt of a retried request counts). ' +
      'The message gives the method, path, status and the error message of the response body.',
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onExchange(e) {
        if (e.status === null || e.status < 500 || e.status > 599) return;
        ctx.report({
          source: e.source,
          line: e.line,
          exchange: e.id,
          message: `${describeExchange(e)} returned ${e.status}${describeError(e)}`,
        });
      },
    };
  },
});
