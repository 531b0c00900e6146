// Where the package's own files are: the folder holding package.json and grammars/,
// found by walking up from this module, so the same code runs from src/ (tests),
// dist/bin/ (the bundled bin of a clone) and node_modules/ostrace/dist/bin/ (an installed package).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'grammars'))) return (root = dir);
    dir = dirname(dir);
  }
  throw new Error('the ostrace package is incomplete: no package.json with grammars/ above its code');
}

/** A file of the package's grammars/ folder. */
export function grammarPath(name: string): string {
  return join(packageRoot(), 'grammars', name);
}

/** The version in the package's own package.json. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error('package.json has no version');
  return pkg.version;
}
