// `ostrace flows`: list the flow models; `ostrace flows check FILE…`: validate
// user flow files (schema, templates, samples) — exit 0 when valid, 2 with
// diagnostics (file, JSON pointer or line:column, what was expected) otherwise.
import type { Command } from 'commander';
import { describeFlows, flowsJson } from '../../flows/describe.js';
import { flowSetFor } from '../../flows/index.js';
import { UsageError } from '../../core/errors.js';
import { flowFilesIn, formatDiagnostic, loadFlowFile, type Diagnostic } from '../../flows/load.js';
import { checkSamples } from '../../flows/selftest.js';
import type { CliIo } from '../io.js';
import { collectRepeatable } from '../../service/cli-options.js';

interface FlowsListOptions {
  flows?: string[];
  json?: boolean;
  format?: string;
}

export function registerFlows(program: Command, io: CliIo): void {
  const flows = program
    .command('flows')
    .description(
      'show the reference flow models (built-in grammars/ and --flows DIRs): per flow its variants and steps',
    )
    .argument('[ids...]', 'only these flows (e.g. server/attach-volume)')
    .option('--flows <dir>', 'also load the flow files of this directory; repeatable', collectRepeatable)
    .option('--format <format>', 'text or json', 'text')
    .option('--json', 'same as --format json')
    .action((ids: string[], opts: FlowsListOptions) => {
      const format = opts.json ? 'json' : (opts.format ?? 'text');
      if (format !== 'text' && format !== 'json')
        throw new UsageError(`--format: expected text or json, got "${format}"`);
      const set = flowSetFor(opts.flows ?? []);
      if (set.diagnostics.length > 0) {
        io.stderr.write(`${set.diagnostics.map(formatDiagnostic).join('\n')}\n`);
        io.exitCode = 2;
        return;
      }
      const unknown = ids.filter((id) => !set.flows.some((f) => f.def.id === id));
      if (unknown.length > 0) {
        throw new UsageError(
          `no flow ${unknown.map((u) => `"${u}"`).join(', ')}; known: ${set.flows.map((f) => f.def.id).join(', ')}`,
        );
      }
      const chosen = ids.length === 0 ? set.flows : set.flows.filter((f) => ids.includes(f.def.id));
      io.stdout.write(format === 'json' ? `${JSON.stringify(flowsJson(chosen), null, 2)}\n` : describeFlows(chosen));
      io.exitCode = 0;
    });

  flows
    .command('check')
    .description('validate flow files (or directories of *.flow.json): schema, templates and their samples')
    .argument('<files...>', 'flow files or directories')
    .action((files: string[]) => {
      const diagnostics: Diagnostic[] = [];
      let checked = 0;
      for (const arg of files) {
        let names: string[];
        try {
          names = flowFilesIn(arg);
        } catch (e) {
          diagnostics.push({ file: arg, at: '/', message: `cannot read: ${(e as Error).message}` });
          continue;
        }
        for (const file of names) {
          checked++;
          const r = loadFlowFile(file);
          if (!r.ok) {
            diagnostics.push(...r.diagnostics);
            continue;
          }
          diagnostics.push(...checkSamples(r.value));
        }
      }
      if (diagnostics.length > 0) {
        io.stderr.write(`${diagnostics.map(formatDiagnostic).join('\n')}\n`);
        io.exitCode = 2;
        return;
      }
      io.stdout.write(`${checked} flow file${checked === 1 ? '' : 's'} valid\n`);
      io.exitCode = 0;
    });
}
