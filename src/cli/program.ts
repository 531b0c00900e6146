// The commander program. `run` maps errors to exit codes and never calls process.exit.
import { Command, CommanderError } from 'commander';
import { TOOL_VERSION } from '../version.js';
import { registerAnalyze } from './commands/analyze.js';
import { registerDiff } from './commands/diff.js';
import { registerExplain } from './commands/explain.js';
import { registerFlows } from './commands/flows.js';
import { registerLint } from './commands/lint.js';
import { registerRedact } from './commands/redact.js';
import { registerRun } from './commands/run.js';
import { registerSchema } from './commands/schema.js';
import { ConfigError, InputError, UsageError } from '../core/errors.js';
import type { CliIo } from './io.js';

export function createProgram(io: CliIo): Command {
  const program = new Command('ostrace')
    .description('Analyze OpenStack --debug client logs and service logs')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  registerAnalyze(program, io);
  registerExplain(program, io);
  registerDiff(program, io);
  registerSchema(program, io);
  registerFlows(program, io);
  registerLint(program, io);
  registerRedact(program, io);
  registerRun(program, io);
  return program;
}

/** Run with argv (process.argv form). Resolves to the exit code. */
export async function run(io: CliIo, argv: string[]): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync(argv);
    return io.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; commander already printed its message.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
        return 0;
      return 2;
    }
    if (e instanceof UsageError || e instanceof InputError || e instanceof ConfigError) {
      io.stderr.write(`ostrace: ${e.message}\n`);
      return 2;
    }
    // The reader went away (`ostrace analyze … | head`): nothing more to say to it.
    if ((e as NodeJS.ErrnoException)?.code === 'EPIPE') return 0;
    const err = e as Error;
    io.stderr.write(`ostrace: internal error: ${err?.message ?? String(e)}\n`);
    if (process.env.OSTRACE_DEBUG) io.stderr.write(`${err?.stack ?? ''}\n`);
    return 2;
  }
}
