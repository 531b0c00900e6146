// `ostrace analyze [FILE|DIR…]`: the report of what happened on the wire.
import type { Command } from 'commander';
import { reporterIds } from '../../report/index.js';
import { analyzeInputs } from '../inputs.js';
import type { CliIo } from '../io.js';
import { addInputOptions, addReportOptions, type InputCliOptions, type ReportCliOptions } from '../options.js';
import { reportPlan } from '../output.js';

export function registerAnalyze(program: Command, io: CliIo): void {
  const cmd = program
    .command('analyze', { isDefault: true })
    .description('reconstruct HTTP exchanges and commands from `openstack --debug` output and service logs')
    .argument(
      '[files...]',
      'log files (gzip is detected) or directories (their log files); none or "-" reads standard input',
    );
  addReportOptions(addInputOptions(cmd), reporterIds, 'standard output').action(
    async (files: string[], opts: InputCliOptions & ReportCliOptions) => {
      const plan = reportPlan(opts, io.stdout);
      const analysis = await analyzeInputs(files, plan.options, io, { progress: true, verbose: opts.verbose });
      io.exitCode = await plan.finish(analysis);
    },
  );
}
