// `--format json`: the RunResult itself, checked against its zod schema so the
// output always matches what `ostrace schema` documents.
import { RunResult } from '../model/schema.js';
import type { Reporter } from './types.js';

export const jsonReporter: Reporter = {
  id: 'json',
  description: 'One JSON object (see `ostrace schema`)',
  render(run) {
    return `${JSON.stringify(RunResult.parse(run), null, 2)}\n`;
  },
};
