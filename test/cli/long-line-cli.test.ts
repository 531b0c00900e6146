// A line too long to keep whole (a dump or a binary file pasted into a log, past V8's longest
// string it ended the run with "Invalid string length"): its start is read, the rest skipped,
// rule log/long-line says so, and the lines after it are read as ever. Through the built CLI.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_CHARS } from '../../src/input/read.js';
import type { Exchange, Input, Finding, Command } from '../../src/model/schema.js';
import { tempDirs } from '../temp-dirs.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'dist/bin/ostrace.js');
const tempDir = tempDirs('ostrace-long-line-');
const seed = readFileSync(join(root, 'samples/seed-attach-volume/client.log'), 'utf8');
const seedLines = seed.split('\n').length - 1;

const analyze = (args: string[], input?: Buffer) => {
  const r = spawnSync(process.execPath, [cli, 'analyze', '--format', 'json', ...args], {
    input,
    maxBuffer: 1 << 28,
  });
  expect(r.stderr.toString()).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout.toString('utf8')) as {
    inputs: Input[];
    commands: Command[];
    exchanges: Exchange[];
    findings: Finding[];
  };
};

describe('a line longer than ostrace keeps whole', () => {
  // the seed session, a line of 20 MiB (no record has one), the seed session again
  const length = 20 * 1024 * 1024;
  const log = Buffer.from(`${seed}RESP BODY: {"dump": "${'x'.repeat(length - 23)}"}\n${seed}`);

  it.each([
    ['a file', false, false],
    ['a gzip file', true, false],
    ['standard input', false, true],
  ])(
    'in %s: its start is read, the rest counted and skipped, every line after it read',
    (_, gzip, stdin) => {
      const file = join(tempDir(), gzip ? 'session.log.gz' : 'session.log');
      writeFileSync(file, gzip ? gzipSync(log) : log);
      const run = analyze(stdin ? [] : [file], stdin ? log : undefined);
      const input = run.inputs[0]!;
      expect(input.lines).toBe(2 * seedLines + 1);
      expect(input.cutLines).toEqual({ count: 1, first: [{ line: seedLines + 1, length }] });
      const found = run.findings.filter((f) => f.ruleId === 'log/long-line');
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ line: seedLines + 1, severity: 'warning' });
      expect(found[0]!.message).toContain(`${length} characters (20.0 MiB): only its first 16 MiB were read`);
      // both sessions' commands and calls, the second as whole as the first
      expect(run.commands).toHaveLength(2);
      expect(run.exchanges).toHaveLength(18);
      expect(run.exchanges.slice(9).map((e) => [e.method, e.status, e.line - seedLines - 1])).toEqual(
        run.exchanges.slice(0, 9).map((e) => [e.method, e.status, e.line]),
      );
      expect(MAX_LINE_CHARS).toBeLessThan(length);
    },
    60_000,
  );

  it('a log without one long line has no cutLines and no finding', () => {
    const file = join(tempDir(), 'seed.log');
    writeFileSync(file, seed);
    const run = analyze([file]);
    expect(run.inputs[0]!.cutLines).toBeUndefined();
    expect(run.findings.some((f) => f.ruleId === 'log/long-line')).toBe(false);
  });
});
