// log/unrecognized-lines: too many lines ostrace could not classify — the input is
// not (only) an OpenStack debug/service log, or a format ostrace does not know yet.
import * as z from '../../core/zod.js';
import { defineRule } from '../../engine/types.js';

export const unrecognizedLines = defineRule({
  meta: {
    id: 'log/unrecognized-lines',
    defaultSeverity: 'warning',
    description: 'The share of unrecognized lines in an input is above a threshold.',
    docs:
      'Fires once per input whose unrecognized lines exceed `maxRatio` of its lines (default 0.05), pointing at the ' +
      'first unrecognized line. Inputs shorter than `minLines` (default 1) are ignored.',
    options: z.strictObject({
      maxRatio: z._default(z.number().check(z.gte(0), z.lte(1)), 0.05),
      minLines: z._default(z.number().check(z.int(), z.gte(1)), 1),
    }),
  },
  create(ctx) {
    return {
      onEnd(analysis) {
        for (const input of analysis.result.inputs) {
          if (input.lines < ctx.options.minLines || input.unrecognizedLines === 0) continue;
          const ratio = input.unrecognizedLines / input.lines;
          if (ratio <= ctx.options.maxRatio) continue;
          const pct = (ratio * 100).toFixed(1);
          ctx.report({
            source: input.name,
            line: input.unrecognized[0]?.line ?? null,
            message: `${input.unrecognizedLines} of ${input.lines} lines (${pct}%) not recognized (threshold ${(ctx.options.maxRatio * 100).toFixed(1)}%)`,
          });
        }
      },
    };
  },
});
