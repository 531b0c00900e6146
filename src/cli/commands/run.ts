// `ostrace run -- openstack …`: run the client with `--debug`, pass its stdout and
// exit code through, analyze its stderr live, and print the report (or the lint
// verdict with --lint) on stderr at the end, so stdout stays the command's own.
import { spawn } from 'node:child_process';
import { Option, type Command } from 'commander';
import { createLintSession } from '../../engine/index.js';
import { openSource, type LineSource } from '../../input/read.js';
import type { Finding } from '../../model/schema.js';
import { runPipeline } from '../../pipeline.js';
import { reporterIds, reporters } from '../../report/index.js';
import { makeStyle, wantColor } from '../../report/style.js';
import { UsageError } from '../../core/errors.js';
import type { CliIo } from '../io.js';
import { LINT_FORMATS, formatFindingLine, lintConfigFrom, lintSources, renderLint, summaryLine } from './lint.js';

interface RunCliOptions {
  lint?: boolean;
  format: string;
  config?: string;
  rule: string[];
  failOn?: 'error' | 'warning' | 'info';
  showSecrets?: boolean;
  color?: boolean;
}

/** argv with `--debug` right after the executable, unless it is already there. */
export function withDebug(argv: readonly string[]): string[] {
  const [exe, ...rest] = argv;
  if (exe === undefined) return [];
  return rest.includes('--debug') ? [exe, ...rest] : [exe, '--debug', ...rest];
}

export function registerRun(program: Command, io: CliIo): void {
  program
    .command('run')
    .description('run `openstack …` with --debug, pass its stdout and exit code through, report on stderr')
    .argument('<command...>', 'the command, after `--`: ostrace run -- openstack server list')
    .option(
      '--lint',
      'print the lint verdict instead of the report; exit 1 on findings when the command itself succeeded',
    )
    .addOption(
      new Option('-f, --format <format>', 'report or lint format')
        .choices([...new Set([...reporterIds, ...LINT_FORMATS])])
        .default('text'),
    )
    .option('--config <file>', 'lint configuration file (default: ./ostrace.config.json when present)')
    .option(
      '--rule <id=severity>',
      "set a rule's severity (repeatable)",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .addOption(
      new Option('--fail-on <severity>', 'with --lint: lowest severity that fails').choices([
        'error',
        'warning',
        'info',
      ]),
    )
    .option('--show-secrets', 'print tokens and passwords in clear (never do this in CI)')
    .option('--color', 'force colour')
    .option('--no-color', 'never use colour')
    .action(async (command: string[], opts: RunCliOptions) => {
      const argv = withDebug(command);
      if (argv.length === 0)
        throw new UsageError('run: give the command after `--`, e.g. ostrace run -- openstack server list');
      const config = opts.lint ? await lintConfigFrom(opts) : null;
      const child = spawn(argv[0]!, argv.slice(1), {
        stdio: [io.stdin === process.stdin ? 'inherit' : 'ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
        child.once('error', (e: NodeJS.ErrnoException) =>
          reject(e.code === 'ENOENT' ? new UsageError(`${argv[0]}: command not found`) : e),
        );
        child.once('close', (code, signal) => resolve({ code, signal }));
      });
      child.stdout.on('data', (c: Buffer) => io.stdout.write(c));
      const stderr = await openSource('-', child.stderr);
      const source: LineSource = { ...stderr, name: `${argv.join(' ')} (stderr)`, lines: () => stderr.lines() };
      const showSecrets = opts.showSecrets === true;
      const style = makeStyle(wantColor(opts.color, io.stderr));
      let verdict: 0 | 1 = 0;
      const analysed = (async () => {
        if (config) {
          const printed = new Set<Finding>();
          const streaming = opts.format === 'text';
          const { result, exitCode } = await lintSources(
            [source],
            config,
            streaming
              ? (f) => {
                  printed.add(f);
                  io.stderr.write(`${formatFindingLine(f, style, showSecrets)}\n`);
                }
              : null,
          );
          if (streaming) {
            for (const f of result.findings)
              if (!printed.has(f)) io.stderr.write(`${formatFindingLine(f, style, showSecrets)}\n`);
            io.stderr.write(`${summaryLine(result.findings)}\n`);
          } else io.stderr.write(renderLint(result, opts.format, showSecrets));
          verdict = exitCode;
          return;
        }
        // As in `analyze`: the default rules see the raw lines too (secrets, known bugs).
        const session = createLintSession();
        const analysis = await runPipeline([source], {
          ...session.hooks(),
          lint: session,
          keepDetails: reporters[opts.format]?.needsDetails === true,
        });
        const reporter = reporters[opts.format];
        const text = reporter
          ? reporter.render(analysis.result, {
              color: wantColor(opts.color, io.stderr),
              showSecrets,
              details: analysis.details,
            })
          : renderLint(analysis.result, opts.format, showSecrets);
        io.stderr.write(text);
      })();
      const [{ code, signal }] = await Promise.all([exited, analysed]);
      const commandCode = code ?? (signal ? 128 + signalNumber(signal) : 1);
      io.exitCode = commandCode !== 0 ? commandCode : verdict;
    });
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
