// The built bin takes its built-in flow files as the build validated them (dist/bin/grammars-checked.json,
// src/cli/prepare-bin.ts) instead of validating them at every start: each checked definition is what
// the schema parses from the file today, and a built-in file edited after the build is validated again.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinGrammarsDir, flowFilesIn, loadFlowText, textDigest } from '../../src/flows/load.js';
import { copyOfBin, root } from './built-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ostrace-checked-grammars-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the built-in flow files checked by the build', () => {
  it('holds, for each built-in file, the definition the schema parses from it now', () => {
    const checked = (
      JSON.parse(readFileSync(join(root, 'dist/bin/grammars-checked.json'), 'utf8')) as {
        files: Record<string, unknown>;
      }
    ).files;
    const builtins = flowFilesIn(builtinGrammarsDir());
    expect(Object.keys(checked)).toHaveLength(builtins.length);
    for (const file of builtins) {
      const text = readFileSync(file, 'utf8');
      const loaded = loadFlowText(file, text);
      if (!loaded.ok) throw new Error(`${file} does not load`);
      expect(checked[textDigest(text)], file).toStrictEqual(loaded.value.def);
    }
  });

  it('is what the built bin takes the built-in definitions from', () => {
    const pkg = copyOfBin(join(dir, 'as-checked'));
    const checkedFile = join(pkg, 'dist/bin/grammars-checked.json');
    const checked = JSON.parse(readFileSync(checkedFile, 'utf8')) as {
      files: Record<string, { flows: { title: string }[] }>;
    };
    const digest = textDigest(readFileSync(join(root, 'grammars/client-volume.flow.json'), 'utf8'));
    checked.files[digest]!.flows[0]!.title = 'the title the build checked';
    writeFileSync(checkedFile, JSON.stringify(checked));
    const r = spawnSync(process.execPath, [join(pkg, 'dist/bin/ostrace.js'), 'flows'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('the title the build checked');
  });

  it('does not spare a built-in file edited after the build its validation', () => {
    const pkg = copyOfBin(join(dir, 'edited'), { copyGrammars: true });
    const file = join(pkg, 'grammars/client-volume.flow.json');
    const def = JSON.parse(readFileSync(file, 'utf8')) as { flows: Record<string, unknown>[] };
    def.flows[0]!.bogus = 1;
    writeFileSync(file, JSON.stringify(def, null, 2));
    const sample = join(root, 'samples/seed-attach-volume/client.log');
    const r = spawnSync(process.execPath, [join(pkg, 'dist/bin/ostrace.js'), 'analyze', sample], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}: /flows/0: unknown property "bogus"`);
  });
});
