// command/failed: a CLI command ended with a non-zero exit code or a traceback.
import * as z from '../../core/zod.js';
import { defineRule } from '../../engine/types.js';
import { maskText } from '../../secrets/mask.js';
import { describeCommand, firstLine } from '../describe.js';

export const commandFailed = defineRule({
  meta: {
    id: 'command/failed',
    defaultSeverity: 'error',
    description:
      'A CLI command failed (non-zero `END return value`, a traceback, or its error line: without --debug, or its END not in the log).',
    docs:
      'Fires once per command whose `END return value` is not 0, or that logged a traceback, or, run without ' +
      '--debug (no END line to wait for), printed an error line and no request of it is in the log, or, its END ' +
      'not in the log, printed an error line and no answer of its requests failed. ' +
      "The message carries the error text (clean_up error or the traceback's last line), masked.",
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onCommand(c, exchanges) {
        const failedExit = c.exitCode !== null && c.exitCode !== 0;
        // A run without --debug shows no exit status: its error line tells it failed, when no
        // request of it does (http/* tell those, as the command's story). So does a --debug run's
        // error line (`CommandError: …`) whose END the paste cut, when no answer of it failed.
        const errorLine =
          c.exitCode === null &&
          c.error !== null &&
          (c.complete
            ? c.exchanges.length === 0
            : !exchanges.some((x) => x.command === c.id && x.status !== null && x.status >= 400));
        if (!failedExit && !c.traceback && !errorLine) return;
        const how = failedExit ? `exit ${c.exitCode}` : c.traceback ? 'traceback' : 'error line';
        const error = c.error ?? c.traceback?.error ?? null;
        ctx.report({
          source: c.source,
          line: c.traceback && !failedExit ? c.traceback.line : c.line,
          message: `${describeCommand(c)} failed (${how})${error ? `: ${maskText(firstLine(error))}` : ''}`,
        });
      },
    };
  },
});
