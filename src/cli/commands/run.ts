// `ostrace run -- openstack …`: run the client with `--debug`, pass its stdout and
// exit code through, analyze its stderr live, and print the report (or the lint
// verdict with --lint) on stderr at the end, so stdout stays the command's own.
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { openSource, type LineSource } from '../../input/read.js';
import { runPipeline } from '../../pipeline.js';
import { reporterIds } from '../../report/index.js';
import { INTERRUPT_GRACE_MS } from '../../input/writer-stream.js';
import type { CliIo } from '../io.js';
import {
  addInputOptions,
  addLintOptions,
  addReportOptions,
  lintConfigFrom,
  type InputCliOptions,
  type LintCliOptions,
  type ReportCliOptions,
} from '../options.js';
import { lintPlan, reportPlan, type OutputPlan } from '../output.js';

type RunCommandOptions = InputCliOptions & ReportCliOptions & LintCliOptions & { lint?: boolean };

/** argv with `--debug` right after the executable, unless it is already there. */
export function withDebug(argv: readonly string[]): string[] {
  const [exe, ...rest] = argv;
  if (exe === undefined) return [];
  return rest.includes('--debug') ? [exe, ...rest] : [exe, '--debug', ...rest];
}

export function registerRun(program: Command, io: CliIo): void {
  const cmd = program
    .command('run')
    .description('run `openstack …` with --debug, pass its stdout and exit code through, report on stderr')
    .argument('<command...>', 'the command, after `--`: ostrace run -- openstack server list')
    .option(
      '--lint',
      'print the lint verdict instead of the report; exit 1 on findings when the command itself succeeded',
    );
  // Every lint format is a report format too: the report formats are the choices.
  addLintOptions(addReportOptions(addInputOptions(cmd), reporterIds, 'standard error')).action(
    async (command: string[], opts: RunCommandOptions) => {
      const argv = withDebug(command);
      if (argv.length === 0)
        throw new UsageError('run: give the command after `--`, e.g. ostrace run -- openstack server list');
      // Every option is checked before the command starts.
      const plan: OutputPlan<0 | 1> = opts.lint
        ? lintPlan(opts, await lintConfigFrom(opts), io.stderr)
        : reportPlan(opts, io.stderr);
      const child = spawn(argv[0]!, argv.slice(1), {
        stdio: [io.stdinIsProcess ? 'inherit' : 'ignore', 'pipe', 'pipe'],
      });
      const failed = (e: NodeJS.ErrnoException) =>
        e.code === 'ENOENT' ? new UsageError(`${argv[0]}: command not found`) : e;
      // A command that does not start is one line and exit 2, with no report of its empty output.
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', (e: NodeJS.ErrnoException) => reject(failed(e)));
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
        child.once('error', (e: NodeJS.ErrnoException) => reject(failed(e)));
        child.once('close', (code, signal) => resolve({ code, signal }));
      });
      // In a terminal the command gets the same Ctrl-C as ostrace and ends, its last lines read and
      // reported; one sent to ostrace alone is passed on if the command is still running. SIGTERM
      // is passed on at once: whoever sent it (`docker stop`, `kill`, a CI runner) is about to
      // stop ostrace for good, and the command must not be left running without it.
      const running = () => child.exitCode === null && child.signalCode === null;
      const release = io.interrupts?.hold((signal) => {
        if (signal === 'SIGTERM') {
          if (running()) child.kill('SIGTERM');
          return;
        }
        setTimeout(() => {
          if (running()) child.kill('SIGINT');
        }, INTERRUPT_GRACE_MS).unref();
      });
      void exited.finally(() => release?.()).catch(() => {});
      child.stdout.on('data', (c: Buffer) => io.stdout.write(c));
      const stderr = await openSource('-', child.stderr);
      const source: LineSource = { ...stderr, name: `${argv.join(' ')} (stderr)`, lines: () => stderr.lines() };
      const analysed = runPipeline([source], plan.options).then((analysis) => plan.finish(analysis));
      const [{ code, signal }, verdict] = await Promise.all([exited, analysed]);
      const commandCode = code ?? (signal ? 128 + signalNumber(signal) : 1);
      io.exitCode = commandCode !== 0 ? commandCode : verdict;
    },
  );
}

function signalNumber(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGQUIT: 3,
    SIGKILL: 9,
    SIGTERM: 15,
    SIGPIPE: 13,
  };
  return numbers[signal] ?? 0;
}
