// log/truncated-exchange: a request with no response in the log, or a command with
// no `END return value` — the log was cut, or output was lost.
import * as z from '../../core/zod.js';
import { defineRule } from '../../engine/types.js';
import { describeCommand, describeExchange } from '../describe.js';

export const truncatedExchange = defineRule({
  meta: {
    id: 'log/truncated-exchange',
    defaultSeverity: 'warning',
    description: 'A request without a logged response, or a command without `END return value`.',
    docs:
      'Fires on each exchange the assembler could not complete (no response before the next request, the end of the ' +
      'command or the end of input) — except attempts that died on a connection failure and were retried (`net/retried`) ' +
      '— and on each command with no `END return value` line.',
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onExchange(e) {
        if (e.complete || e.incompleteReason?.startsWith('connection failure')) return;
        ctx.report({
          source: e.source,
          line: e.line,
          exchange: e.id,
          message: `${describeExchange(e)} has no complete response in the log (${e.incompleteReason ?? 'unknown'})`,
        });
      },
      onCommand(c) {
        if (c.complete) return;
        ctx.report({
          source: c.source,
          line: c.line,
          message: `${describeCommand(c)} has no \`END return value\` line: the log stops or another command starts first`,
        });
      },
    };
  },
});
