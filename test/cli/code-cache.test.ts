// The built program runs from V8's code cache made by the build (src/cli/program-loader.ts), and
// a cache made from other program bytes is never used: the program is compiled as without one and
// gives the same output. Through copies of the built bin, so the repository's dist stays as built.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyOfBin, root } from './built-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ostrace-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sample = join(root, 'samples/seed-attach-volume/client.log');

function analyze(pkg: string) {
  const r = spawnSync(process.execPath, [join(pkg, 'dist/bin/ostrace.js'), 'analyze', '--format', 'json', sample], {
    encoding: 'utf8',
    env: { ...process.env, OSTRACE_TRACE_STAGES: '1' },
  });
  const compiled = /^ostrace: program compiled in \d+ ms \(([^)]*)\)$/m.exec(r.stderr)?.[1];
  return { code: r.status, stdout: r.stdout, compiled };
}

describe('the program code cache', () => {
  it('is made by the build and used by the built bin', () => {
    const run = analyze(copyOfBin(join(dir, 'as-built')));
    expect(run.code).toBe(0);
    expect(run.compiled).toBe('code cache');
  });

  it('is not used for a program whose bytes differ, which still runs and says the same', () => {
    const asBuilt = analyze(copyOfBin(join(dir, 'reference')));
    const pkg = copyOfBin(join(dir, 'changed'));
    // The same length and meaning, other bytes: V8 checks a cache's source by its length only.
    const program = join(pkg, 'dist/bin/ostrace-program.cjs');
    writeFileSync(program, readFileSync(program, 'utf8').replaceAll('__ostraceProgramUrl', '__ostraceProgramUri'));
    const changed = analyze(pkg);
    expect(changed.compiled).toBe('no code cache for this program');
    expect(changed.code).toBe(asBuilt.code);
    expect(changed.stdout).toBe(asBuilt.stdout);
  });
});
