// `ostrace explain [FILE|DIR…]`: one short paragraph per problem, most important
// first; exit 0 when no problem was found, 1 when there is one, 2 on a usage or input error.
import { Option, type Command } from 'commander';
import { createLintSession } from '../../engine/index.js';
import { explainFormats, explainReporters, explanationsOf } from '../../report/explain.js';
import { wantColor } from '../../report/style.js';
import { analyzeInputs } from '../inputs.js';
import type { CliIo } from '../io.js';
import { addInputOptions, pipelineOptions, type InputCliOptions } from '../options.js';
import { writeChunks } from '../output.js';

interface ExplainCliOptions extends InputCliOptions {
  format: string;
  output?: string;
  color?: boolean;
  showSecrets?: boolean;
}

export function registerExplain(program: Command, io: CliIo): void {
  const cmd = program
    .command('explain')
    .description(
      'tell what went wrong, one paragraph per problem (what was asked, where it first failed, what followed, where to look): exit 0 no problem, 1 problems, 2 usage/input error',
    )
    .argument(
      '[files...]',
      'log files (gzip is detected) or directories (their log files); none or "-" reads standard input',
    );
  addInputOptions(cmd)
    .addOption(new Option('-f, --format <format>', 'output format').choices(explainFormats).default('text'))
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .option('--color', 'force colour in the text output')
    .option('--no-color', 'never use colour')
    .option('--show-secrets', 'print tokens and passwords in clear (never do this in CI)')
    .action(async (files: string[], opts: ExplainCliOptions) => {
      const reporter = explainReporters[opts.format]!;
      const options = pipelineOptions(opts, createLintSession(), reporter);
      const analysis = await analyzeInputs(files, options, io, { progress: true, verbose: opts.verbose });
      const ctx = {
        color: opts.output ? false : wantColor(opts.color, io.stdout),
        showSecrets: opts.showSecrets === true,
        details: analysis.details,
      };
      await writeChunks([reporter.render(analysis.result, ctx)], opts.output, io.stdout);
      io.exitCode = explanationsOf(analysis.result).length === 0 ? 0 : 1;
    });
}
