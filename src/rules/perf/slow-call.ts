// perf/slow-call: an HTTP call slower than a threshold (needs timestamps: --log-file or server logs).
import * as z from '../../core/zod.js';
import { defineRule } from '../../engine/types.js';
import { describeExchange } from '../describe.js';

export const slowCall = defineRule({
  meta: {
    id: 'perf/slow-call',
    defaultSeverity: 'warning',
    description: 'An HTTP call took longer than the threshold.',
    docs:
      'Fires on each exchange whose duration exceeds `thresholdMs` (default 5000). Durations exist only when the log ' +
      'has timestamps (`--log-file`, service logs); plain console `--debug` output has none, so this rule stays silent there.',
    options: z.strictObject({ thresholdMs: z._default(z.number().check(z.positive()), 5000) }),
  },
  create(ctx) {
    return {
      onExchange(e) {
        if (e.durationMs === null || e.durationMs <= ctx.options.thresholdMs) return;
        ctx.report({
          source: e.source,
          line: e.line,
          exchange: e.id,
          message: `${describeExchange(e)} took ${Math.round(e.durationMs)} ms (threshold ${ctx.options.thresholdMs} ms)`,
        });
      },
    };
  },
});
