// `ostrace explain [FILE|DIR…]`: one short paragraph per problem, most important
// first; exit 0 when no problem was found, 1 when there is one, 2 on a usage or input error.
import { Option, type Command } from 'commander';
import { createLintSession } from '../../engine/index.js';
import type { Input } from '../../model/schema.js';
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

/** Line kinds that read nothing: an unrecognized line, its wrapped continuations, a blank line. */
const READS_NOTHING = new Set(['unrecognized', 'wrapped', 'blank']);

/**
 * An input of which no line was read (empty, binary, not a log): the verdict speaks of the other
 * inputs, or says "Nothing to judge" where only a file or JSON consumer reads it; one line on
 * stderr says so, for a terminal or a CI log. Nothing to judge is no problem: the exit stays 0.
 */
export function unjudgedInput(input: Pick<Input, 'name' | 'lines' | 'unrecognizedLines' | 'kinds'>): string | null {
  if (input.lines === 0) return `${input.name}: empty (0 lines): explain judged nothing in it`;
  if (Object.keys(input.kinds).some((kind) => !READS_NOTHING.has(kind))) return null;
  return `${input.name}: no line of it is one ostrace reads (${input.lines} line${input.lines === 1 ? '' : 's'}, ${input.unrecognizedLines} unrecognized): explain judged nothing in it`;
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
      for (const input of analysis.result.inputs) {
        const note = unjudgedInput(input);
        if (note !== null) io.stderr.write(`ostrace: warning: ${note}\n`);
      }
      io.exitCode = explanationsOf(analysis.result).length === 0 ? 0 : 1;
    });
}
