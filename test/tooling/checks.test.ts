// The checks `npm test` runs first (ESLint, Prettier, dependency-cruiser) catch what
// they are there for: a copy of the sources with one planted fault must fail them.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = new URL('../../', import.meta.url).pathname;
const bin = (name: string) => join(repo, 'node_modules/.bin', name);
let copy = '';

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'ostrace-checks-'));
  for (const f of ['src', 'tsconfig.json', '.dependency-cruiser.cjs', 'eslint.config.js', 'package.json']) {
    cpSync(join(repo, f), join(copy, f), { recursive: true });
  }
  symlinkSync(join(repo, 'node_modules'), join(copy, 'node_modules'));
}, 60_000);

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

function run(tool: string, args: string[]) {
  const r = spawnSync(bin(tool), args, { cwd: copy, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function plant(path: string, text: string): () => void {
  writeFileSync(join(copy, path), text);
  return () => rmSync(join(copy, path));
}

describe('the layer check', () => {
  it('passes on the sources as they are', () => {
    expect(run('depcruise', ['src', '-c', '.dependency-cruiser.cjs']).code).toBe(0);
  }, 60_000);

  it('fails on a type-only import from a later layer (the lexer reaching for a reporter)', () => {
    const undo = plant(
      'src/lex/planted.ts',
      "import type { Reporter } from '../report/types.js';\nexport type R = Reporter;\n",
    );
    try {
      const r = run('depcruise', ['src', '-c', '.dependency-cruiser.cjs']);
      expect(r.code).not.toBe(0);
      expect(r.out).toContain('layer-lex: src/lex/planted.ts → src/report/types.ts');
    } finally {
      undo();
    }
  }, 60_000);

  it("fails on a schema written with zod's full build (every thread would load it)", () => {
    const undo = plant(
      'src/rules/planted.ts',
      "import { z } from 'zod';\nexport const Options = z.strictObject({});\n",
    );
    try {
      const r = run('depcruise', ['src', '-c', '.dependency-cruiser.cjs']);
      expect(r.code).not.toBe(0);
      expect(r.out).toMatch(/zod-mini-only: src\/rules\/planted.ts → \S*node_modules\/zod\/index.js/);
    } finally {
      undo();
    }
  }, 60_000);

  it('fails on a cycle inside one layer', () => {
    const undoA = plant('src/stats/planted-a.ts', "import type { B } from './planted-b.js';\nexport type A = B | 1;\n");
    const undoB = plant('src/stats/planted-b.ts', "import type { A } from './planted-a.js';\nexport type B = A | 2;\n");
    try {
      const r = run('depcruise', ['src', '-c', '.dependency-cruiser.cjs']);
      expect(r.code).not.toBe(0);
      expect(r.out).toContain('no-circular');
    } finally {
      undoA();
      undoB();
    }
  }, 60_000);
});

describe('ESLint and Prettier', () => {
  it('ESLint fails on an unused import', () => {
    const undo = plant('src/lex/planted.ts', "import { join } from 'node:path';\nexport const x = 1;\n");
    try {
      const r = run('eslint', ['src/lex/planted.ts']);
      expect(r.code).toBe(1);
      expect(r.out).toContain('no-unused-vars');
    } finally {
      undo();
    }
  }, 60_000);

  it('Prettier fails on an unformatted file', () => {
    const undo = plant('src/lex/planted.ts', 'export const x = {a:1,\n\n\n  b:2}\n');
    try {
      expect(run('prettier', ['--check', 'src/lex/planted.ts']).code).not.toBe(0);
    } finally {
      undo();
    }
  }, 60_000);
});
