// The built CLI (npx tsc -p . first) run in the repository, colour off: exit code and both streams.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'dist/bin/ostrace.js');

export function ostrace(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A copy of the package's built bin in `pkg` (package.json linked; grammars/ linked, or copied
 * when a test edits them), as an install has it: tests change the copy, never the repository's dist.
 */
export function copyOfBin(pkg: string, { copyGrammars = false } = {}): string {
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  cpSync(join(root, 'dist/bin'), join(pkg, 'dist/bin'), { recursive: true });
  if (copyGrammars) cpSync(join(root, 'grammars'), join(pkg, 'grammars'), { recursive: true });
  else symlinkSync(join(root, 'grammars'), join(pkg, 'grammars'));
  symlinkSync(join(root, 'package.json'), join(pkg, 'package.json'));
  return pkg;
}
