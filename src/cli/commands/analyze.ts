// `ostrace analyze [FILE…]`: the report of what happened on the wire.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { type Command, Option } from 'commander';
import { createLintSession } from '../../engine/index.js';
import { runPipeline } from '../../pipeline.js';
import type { AnalyzeOptions } from '../../analyze.js';
import { openSource, type LineSource } from '../../input/read.js';
import { reporterIds, reporters } from '../../report/index.js';
import { wantColor } from '../../report/style.js';
import { collectRepeatable, serviceAnalyzeOptions } from '../../service/cli-options.js';
import { InputError, UsageError } from '../../core/errors.js';
import { parseYearOption } from '../../core/time.js';
import { createProgress } from '../progress.js';
import type { CliIo } from '../io.js';

export interface AnalyzeCliOptions {
  format: string;
  output?: string;
  color?: boolean;
  showSecrets?: boolean;
  timestamp?: boolean;
  flows?: string[];
  label?: string[];
  formatTemplate?: string[];
  year?: number;
}

export function registerAnalyze(program: Command, io: CliIo): void {
  program
    .command('analyze', { isDefault: true })
    .description('reconstruct HTTP exchanges and commands from `openstack --debug` output and service logs')
    .argument('[files...]', 'log files (gzip is detected); none or "-" reads standard input')
    .addOption(new Option('-f, --format <format>', 'output format').choices(reporterIds).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('--color', 'force colour in the text report')
    .option('--no-color', 'never use colour')
    .option('--show-secrets', 'print tokens and passwords in clear (never do this in CI)')
    .option('--timestamp', 'print when the report was made (markdown, html); off so reports are reproducible')
    .option('--flows <dir...>', 'add the flow models (*.flow.json) of these directories to the built-in ones')
    .option(
      '--label <file=service>',
      'the service that wrote FILE (nova-api, nova-compute, cinder-api, cinder-volume…); repeatable',
      collectRepeatable,
      [],
    )
    .option(
      '--format-template <fmt>',
      'a custom oslo.log logging_context_format_string of the service logs; repeatable',
      collectRepeatable,
      [],
    )
    .option(
      '--year <yyyy>',
      'the year of timestamps that have none (journald); default: from the input',
      parseYearOption,
    )
    .action(async (files: string[], opts: AnalyzeCliOptions) => {
      const sources = await openSources(files, io);
      const progress = createProgress(io.stderr, sources);
      let analysis;
      try {
        // The default rules see every raw line too (secrets, known-bug signatures), as in `lint`.
        const session = createLintSession();
        analysis = await runPipeline(sources, {
          ...session.hooks(),
          lint: session,
          keepDetails: reporters[opts.format]?.needsDetails === true,
          flowDirs: opts.flows ?? [],
          ...serviceAnalyzeOptions(opts.label, opts.formatTemplate),
          ...yearOptions(opts.year, io),
          ...(progress ? { onProgress: progress.update } : {}),
        });
      } finally {
        progress?.done();
      }
      const { result, details } = analysis;
      const reporter = reporters[opts.format];
      if (!reporter) throw new UsageError(`unknown format: ${opts.format}`);
      const ctx = {
        color: opts.output ? false : wantColor(opts.color, io.stdout),
        showSecrets: opts.showSecrets === true,
        details,
        ...(opts.timestamp ? { generatedAt: new Date().toISOString() } : {}),
      };
      const chunks = reporter.chunks ? reporter.chunks(result, ctx) : [reporter.render(result, ctx)];
      await writeChunks(chunks, opts.output ?? null, io);
      io.exitCode = 0;
    });
}

/** Write a report piece by piece, waiting when the destination is full. */
export async function writeChunks(chunks: Iterable<string>, file: string | null, io: CliIo): Promise<void> {
  const out: Writable = file ? createWriteStream(file) : io.stdout;
  if (file)
    await once(out, 'open').catch((e: unknown) => {
      throw new InputError(`${file}: ${(e as Error).message}`);
    });
  for (const chunk of chunks) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  if (file) {
    out.end();
    await once(out, 'finish');
  }
}

/** Open every named file (or stdin); an unreadable file stops the run before any output. */
export async function openSources(files: string[], io: CliIo): Promise<LineSource[]> {
  const names = files.length === 0 ? ['-'] : files;
  if (names.filter((n) => n === '-').length > 1) throw new UsageError('standard input ("-") can be given only once');
  if (files.length === 0 && io.stdinIsTTY) {
    throw new UsageError('no input: give log files, or pipe `openstack --debug … 2>&1` into ostrace');
  }
  const out: LineSource[] = [];
  for (const n of names) out.push(await openSource(n, io.stdin));
  return out;
}

/** `--year`, and where the analysis says it had to assume one (once, on stderr). */
export function yearOptions(year: number | undefined, io: CliIo): Pick<AnalyzeOptions, 'year' | 'onWarning'> {
  return { year, onWarning: (message) => io.stderr.write(`ostrace: warning: ${message}\n`) };
}
