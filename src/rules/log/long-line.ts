// log/long-line: a line longer than ostrace keeps whole (16 MiB characters) — a dump, a
// binary file or a log without newlines among the lines. Its start was read, the rest
// skipped (src/input/read.ts); the reader records them (inputs[].cutLines).
import * as z from '../../core/zod.js';
import { defineRule } from '../../engine/types.js';
import { MAX_LINE_CHARS } from '../../input/read.js';

const KEPT = `${MAX_LINE_CHARS / (1 << 20)} MiB`;

export const longLine = defineRule({
  meta: {
    id: 'log/long-line',
    defaultSeverity: 'warning',
    description: 'A line too long to keep whole: only its start was read.',
    docs:
      `Fires on each line longer than ${KEPT} characters (the first ten per input, then a count): ostrace reads its ` +
      'start and skips the rest instead of holding it all in memory (a line past 2^29 characters cannot be held at ' +
      'all). No log record is that long; a response body cut this way cannot be decoded.',
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onEnd(analysis) {
        for (const input of analysis.result.inputs) {
          const cut = input.cutLines;
          if (!cut) continue;
          for (const { line, length } of cut.first)
            ctx.report({
              source: input.name,
              line,
              message: `a line of ${length} characters (${(length / (1 << 20)).toFixed(1)} MiB): only its first ${KEPT} were read, the rest skipped`,
            });
          if (cut.count > cut.first.length)
            ctx.report({
              source: input.name,
              line: null,
              message: `${cut.count - cut.first.length} more lines in this input too long to read whole`,
            });
        }
      },
    };
  },
});
