// `ostrace lint [FILE|DIR…]`: run the rules over logs, print findings, exit 0/1/2 for CI.
// In text format a finding is printed as soon as it is certain (src/report/lint-text.ts).
import type { Command } from 'commander';
import { allRules } from '../../rules/index.js';
import { lintFormats } from '../../report/index.js';
import { analyzeInputs } from '../inputs.js';
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
import { lintPlan } from '../output.js';

type LintCommandOptions = InputCliOptions & ReportCliOptions & LintCliOptions & { listRules?: boolean };

export function registerLint(program: Command, io: CliIo): void {
  const cmd = program
    .command('lint')
    .description(
      'check logs against the rules (CI): exit 0 clean, 1 findings at or above --fail-on, 2 usage/config/input error',
    )
    .argument(
      '[files...]',
      'log files (gzip is detected) or directories (their log files); none or "-" reads standard input',
    )
    .option('--list-rules', 'list the rules with their default severity and exit');
  addLintOptions(addReportOptions(addInputOptions(cmd), lintFormats, 'standard output')).action(
    async (files: string[], opts: LintCommandOptions) => {
      if (opts.listRules) {
        for (const r of allRules())
          io.stdout.write(`${r.meta.id.padEnd(34)} ${r.meta.defaultSeverity.padEnd(8)} ${r.meta.description}\n`);
        io.exitCode = 0;
        return;
      }
      const plan = lintPlan(opts, await lintConfigFrom(opts), io.stdout);
      // No progress bar on the terminal the findings stream to.
      const analysis = await analyzeInputs(files, plan.options, io, {
        progress: !plan.streams,
        verbose: opts.verbose,
        onLabelsUnsure: plan.hold,
      });
      io.exitCode = await plan.finish(analysis);
    },
  );
}
