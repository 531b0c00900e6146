// Run by `npm run build` after the bundle (never by the bin). Two things every run of the bin
// would otherwise pay for at its start, made once here and written beside the bin (dist/bin/):
// - grammars-checked.json: the built-in flow files validated (src/flows/load.ts `useCheckedBuiltins`);
// - ostrace-program.cache: V8's code cache of the program (src/cli/program-loader.ts), written by
//   one run of the built bin on a bundled recording, so it holds the functions a run compiles.
// Anything wrong fails the build: a bin that cannot load its flows or analyze the sample is not packed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../core/package-files.js';
import { formatDiagnostic, loadFlowSet, textDigest } from '../flows/load.js';

const root = packageRoot();

function fail(message: string): never {
  process.stderr.write(`prepare-bin: ${message}\n`);
  process.exit(1);
}

const builtins = loadFlowSet([], true);
if (builtins.diagnostics.length > 0) fail(builtins.diagnostics.map(formatDiagnostic).join('\n'));
const files = Object.fromEntries(builtins.files.map((f) => [textDigest(readFileSync(f.file, 'utf8')), f.def]));
writeFileSync(join(root, 'dist/bin/grammars-checked.json'), `${JSON.stringify({ files })}\n`);

const cache = join(root, 'dist/bin/ostrace-program.cache');
rmSync(cache, { force: true });
const run = spawnSync(
  process.execPath,
  [join(root, 'dist/bin/ostrace.js'), 'analyze', join(root, 'samples/minicloud/01-attach-detach')],
  { env: { ...process.env, OSTRACE_WRITE_CODE_CACHE: '1' }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
);
if (run.status !== 0 || !existsSync(cache)) {
  process.stderr.write(run.stderr);
  fail(`the built bin exited ${run.status ?? run.signal}; no code cache written`);
}
