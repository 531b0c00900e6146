// `--format json`: the RunResult, as described by its zod schema (`ostrace schema`).
// Written in chunks, one array element per line, so a large run is never turned
// into one giant string and the output stays friendly to grep and jq.
import type { RunResult } from '../model/schema.js';
import type { Reporter } from './types.js';

/** Top-level keys whose arrays can be long: one element per line. */
const ARRAY_KEYS = new Set(['inputs', 'commands', 'exchanges', 'findings', 'chains', 'serviceEvents', 'flows']);

export function* jsonChunks(run: RunResult): Generator<string> {
  const keys = Object.keys(run) as Array<keyof RunResult>;
  yield '{\n';
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const value = run[key] as unknown;
    const comma = k < keys.length - 1 ? ',' : '';
    if (ARRAY_KEYS.has(key) && Array.isArray(value)) {
      if (value.length === 0) { yield `  ${JSON.stringify(key)}: []${comma}\n`; continue; }
      yield `  ${JSON.stringify(key)}: [\n`;
      let batch = '';
      for (let i = 0; i < value.length; i++) {
        batch += `    ${JSON.stringify(value[i])}${i < value.length - 1 ? ',' : ''}\n`;
        if (batch.length > 65536) { yield batch; batch = ''; }
      }
      yield `${batch}  ]${comma}\n`;
    } else {
      yield `  ${JSON.stringify(key)}: ${JSON.stringify(value)}${comma}\n`;
    }
  }
  yield '}\n';
}

export const jsonReporter: Reporter = {
  id: 'json',
  description: 'One JSON object (see `ostrace schema`), one array element per line',
  render(run) {
    return [...jsonChunks(run)].join('');
  },
  chunks: jsonChunks,
};
