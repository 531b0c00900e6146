// `ostrace schema`: the JSON Schema of `--format json`, generated from the zod schema.
import type { Command } from 'commander';
import { z } from 'zod';
import { RunResult } from '../../model/schema.js';
import type { CliIo } from '../io.js';

export function runResultJsonSchema(): unknown {
  return z.toJSONSchema(RunResult, { target: 'draft-2020-12' });
}

export function registerSchema(program: Command, io: CliIo): void {
  program
    .command('schema')
    .description('print the JSON Schema of `analyze --format json`')
    .action(() => {
      io.stdout.write(`${JSON.stringify(runResultJsonSchema(), null, 2)}\n`);
    });
}
