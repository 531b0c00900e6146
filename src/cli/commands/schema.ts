// `ostrace schema`: the JSON Schema of `--format json`, generated from the zod schema.
import type { Command } from 'commander';
import * as z from '../../core/zod.js';
import type { CliIo } from '../io.js';

/**
 * The result's schemas are loaded when asked for, not by every run: built at load, they cost
 * every run 8 MB it never used (an empty input: 92 → 84 MB peak RSS). The bundle evaluates a
 * module imported only this way on demand.
 */
export async function runResultJsonSchema(): Promise<unknown> {
  const { RunResult } = await import('../../model/schema.js');
  return z.toJSONSchema(RunResult, { target: 'draft-2020-12' });
}

export function registerSchema(program: Command, io: CliIo): void {
  program
    .command('schema')
    .description('print the JSON Schema of `analyze --format json`')
    .action(async () => {
      io.stdout.write(`${JSON.stringify(await runResultJsonSchema(), null, 2)}\n`);
    });
}
