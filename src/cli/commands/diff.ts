// `ostrace diff BASE HEAD`: compare two runs (a passing CI job and a failing one,
// yesterday's and today's) — exit 0 when HEAD is not worse, 1 when it is or when HEAD has
// nothing to judge (an empty capture), 2 on a usage or input error. Each side is read like `analyze` reads its inputs.
import { Option, type Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { diffRuns } from '../../diff/index.js';
import { createLintSession } from '../../engine/index.js';
import { diffFormats, diffRenderers } from '../../report/diff.js';
import { reporters } from '../../report/index.js';
import { wantColor } from '../../report/style.js';
import { collectRepeatable } from '../../service/cli-options.js';
import { analyzeInputs, checkLabelFiles } from '../inputs.js';
import type { CliIo } from '../io.js';
import { addInputOptions, pipelineOptions, type InputCliOptions } from '../options.js';
import { writeChunks } from '../output.js';

interface DiffCliOptions extends InputCliOptions {
  base?: string[];
  head?: string[];
  format: string;
  output?: string;
  color?: boolean;
  showSecrets?: boolean;
}

/** BASE and HEAD: the two arguments, and the files each --base/--head adds. */
export function sidesOf(
  args: string[],
  opts: Pick<DiffCliOptions, 'base' | 'head'>,
): { base: string[]; head: string[] } {
  const named = (opts.base?.length ?? 0) + (opts.head?.length ?? 0) > 0;
  if (!named && args.length !== 2)
    throw new UsageError(`diff: give BASE and HEAD (two files or directories), got ${args.length} argument(s)`);
  if (named && args.length > 0 && args.length !== 2)
    throw new UsageError('diff: give BASE and HEAD as two arguments, or every file with --base and --head');
  const base = [...(args.length === 2 ? [args[0]!] : []), ...(opts.base ?? [])];
  const head = [...(args.length === 2 ? [args[1]!] : []), ...(opts.head ?? [])];
  if (base.length === 0 || head.length === 0) throw new UsageError('diff: both BASE and HEAD need at least one input');
  if ([...base, ...head].filter((n) => n === '-').length > 1)
    throw new UsageError('standard input ("-") can be given only once');
  return { base, head };
}

export function registerDiff(program: Command, io: CliIo): void {
  const cmd = program
    .command('diff')
    .description(
      'compare two runs: flows matched by flow, variant and command, their first divergence, new HTTP errors and finding kinds, latency per endpoint; exit 0 HEAD not worse, 1 worse or HEAD with nothing to judge, 2 usage/input error',
    )
    .argument('[base]', 'the reference run: a log file (gzip is detected) or a directory of logs')
    .argument('[head]', 'the run to judge: a log file or a directory of logs')
    .option('--base <file>', 'one more input of BASE; repeatable', collectRepeatable)
    .option('--head <file>', 'one more input of HEAD; repeatable', collectRepeatable);
  addInputOptions(cmd)
    .addOption(new Option('-f, --format <format>', 'output format').choices(diffFormats).default('text'))
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .option('--color', 'force colour in the text output')
    .option('--no-color', 'never use colour')
    .option('--show-secrets', 'print tokens and passwords in clear (never do this in CI)')
    .action(async (base: string | undefined, head: string | undefined, opts: DiffCliOptions) => {
      const sides = sidesOf(
        [base, head].filter((x) => x !== undefined),
        opts,
      );
      // Each side gets its own rule session: rules keep state while a run streams.
      const options = () => pipelineOptions(opts, createLintSession(), reporters.json!);
      const run = (files: string[]) =>
        analyzeInputs(files, options(), io, { progress: false, verbose: opts.verbose, checkLabels: false });
      const baseRun = await run(sides.base);
      const headRun = await run(sides.head);
      // A --label may name a file of either side.
      checkLabelFiles(options().labels, [baseRun, headRun]);
      const result = diffRuns(baseRun.result, headRun.result);
      const ctx = {
        color: opts.output ? false : wantColor(opts.color, io.stdout),
        showSecrets: opts.showSecrets === true,
      };
      await writeChunks([diffRenderers[opts.format]!(result, ctx)], opts.output, io.stdout);
      // HEAD with nothing to judge (worse unknown) is no pass: 1, as a CI gate must not take it for one.
      io.exitCode = result.worse === false ? 0 : 1;
    });
}
