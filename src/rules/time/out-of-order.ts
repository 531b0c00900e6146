// time/out-of-order: timestamps that go backwards inside one input (a merged or
// multi-process log, lines reordered by a collector). The analyzer records them
// while it reads (inputs[].timeRegressions, every timestamp format it knows).
import * as z from '../../core/zod.js';
import { defineRule } from '../../engine/types.js';

/** A step back in time larger than this is a warning; smaller ones (worker processes racing to write) are info. */
const WARNING_MS = 1000;

export const timeOutOfOrder = defineRule({
  meta: {
    id: 'time/out-of-order',
    defaultSeverity: 'warning',
    description: 'Log timestamps go backwards inside one input.',
    docs:
      'Reports the timestamps the analyzer saw go back: a line whose timestamp is earlier than the last timestamped ' +
      'line before it in the same input on the same clock (year-first oslo.log and `--log-file` times and month-first ' +
      'journald and syslog times pasted together are two clocks, never compared) (the first ten per input, then a ' +
      'count). A step back under a second is rated `info` (worker ' +
      'processes racing to write); a severity set in the config or with `--rule` applies to all of them. Needs ' +
      'timestamped lines (service logs, `--log-file`).',
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onEnd(analysis) {
        for (const input of analysis.result.inputs) {
          const regressions = input.timeRegressions;
          if (!regressions) continue;
          for (const r of regressions.first)
            ctx.report({
              source: input.name,
              line: r.line,
              severity: r.backMs >= WARNING_MS ? undefined : 'info',
              message: `timestamp ${r.timestamp} is ${formatMs(r.backMs)} earlier than line ${r.previousLine}`,
            });
          if (regressions.count > regressions.first.length)
            ctx.report({
              source: input.name,
              line: null,
              severity: 'info',
              message: `${regressions.count - regressions.first.length} more out-of-order timestamps in this input`,
            });
        }
      },
    };
  },
});

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10000 ? 0 : 1)} s` : `${Math.round(ms)} ms`;
}
