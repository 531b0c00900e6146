// time/out-of-order: timestamps that go backwards inside one input (a merged or
// multi-process log, lines reordered by a collector). The analyzer detects them
// while it reads (src/analyze.ts, every timestamp format it knows).
import { adopterRule } from '../adopter.js';

export const timeOutOfOrder = adopterRule(
  'time/out-of-order',
  'warning',
  'Log timestamps go backwards inside one input.',
  "Reports the analyzer's out-of-order timestamps: a line whose timestamp is earlier than the line before it in the " +
    'same input (the first ones per input, then a count). The analyzer rates a step back under its warning threshold as ' +
    '`info`; a severity set in the config or with `--rule` applies to all of them. Needs timestamped lines (service logs, `--log-file`).',
);
