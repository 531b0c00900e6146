// Log text with control characters (an ESC that would drive the terminal, a NUL a renderer drops)
// reaches no output as it is: every format that prints log text shows them as escapes (`\x1b`).
// The input is the real 500 of samples/lint/attach-500.log with controls put into its error
// message, as a server or a paste can carry them (found fuzzing the built CLI: text was clean,
// markdown, GitHub annotations and lint's text lines were not).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ostrace, root } from './built-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ostrace-control-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LOG = join(dir, 'attach-500.log');
writeFileSync(
  LOG,
  readFileSync(join(root, 'samples/lint/attach-500.log'), 'latin1').replaceAll(
    'Unexpected API Error.',
    'Unexpected\x1b]0;pwned\x07 API\x00 Error\x1b[2J\x7f.',
  ),
  'latin1',
);

/** Control characters but tab and line feed. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;

describe('control characters of log text', () => {
  for (const args of [
    ['analyze', '--format', 'text'],
    ['analyze', '--format', 'markdown'],
    ['analyze', '--format', 'github'],
    ['lint', '--format', 'text'],
    ['lint', '--format', 'github'],
  ])
    it(`are shown as escapes by ${args.join(' ')}`, () => {
      const r = ostrace([...args, LOG]);
      expect(r.stderr).toBe('');
      // the error message is told, with its controls as escapes
      expect(r.stdout).toContain('\\x1b');
      expect(r.stdout).toContain('\\x00');
      expect(r.stdout).not.toMatch(CONTROL);
    });

  it("are left out of explain's wrapped verdict (as spaces)", () => {
    const r = ostrace(['explain', LOG]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Unexpected ]0;pwned  API  Error [2J');
    expect(r.stdout).not.toMatch(CONTROL);
  });
});
