// `ostrace flows`: list the flow models; `ostrace flows check FILE…`: validate
// user flow files (schema, templates, samples) — exit 0 when valid, 2 with
// diagnostics (file, JSON pointer or line:column, what was expected) otherwise.
import type { Command } from 'commander';
import { flowSetFor } from '../../flows/index.js';
import { flowFilesIn, formatDiagnostic, loadFlowFile, type Diagnostic } from '../../flows/load.js';
import { checkSamples } from '../../flows/selftest.js';
import type { CliIo } from '../io.js';

interface FlowsListOptions { flows?: string[]; json?: boolean }

export function registerFlows(program: Command, io: CliIo): void {
  const flows = program
    .command('flows')
    .description('list the reference flow models (built-in grammars/ and --flows DIRs)')
    .option('--flows <dir...>', 'also load the flow files of these directories')
    .option('--json', 'print the list as JSON')
    .action((opts: FlowsListOptions) => {
      const set = flowSetFor(opts.flows ?? []);
      if (set.diagnostics.length > 0) {
        io.stderr.write(`${set.diagnostics.map(formatDiagnostic).join('\n')}\n`);
        io.exitCode = 2;
        return;
      }
      const rows = set.flows.map((f) => ({
        id: f.def.id, scope: f.def.scope, title: f.def.title, variants: f.def.variants.map((v) => v.id),
        trigger: f.def.trigger?.command ?? [], file: f.file,
      }));
      if (opts.json) io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else {
        const w = Math.max(...rows.map((r) => r.id.length));
        for (const r of rows) io.stdout.write(`${r.id.padEnd(w)}  ${r.scope.padEnd(7)}  ${r.title} [${r.variants.join(', ')}]\n`);
      }
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
        try { names = flowFilesIn(arg); } catch (e) {
          diagnostics.push({ file: arg, at: '/', message: `cannot read: ${(e as Error).message}` });
          continue;
        }
        for (const file of names) {
          checked++;
          const r = loadFlowFile(file);
          if (!r.ok) { diagnostics.push(...r.diagnostics); continue; }
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
