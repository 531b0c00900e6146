// `diff` against a HEAD that shows nothing (an empty capture, junk) said "HEAD is not worse than
// BASE … 0 flow instances matched" and exited 0, which a CI gate read as a pass (found probing
// the built CLI). Now every format says there was nothing to judge, as explain does, and an
// empty HEAD exits 1 (whether it is worse is unknown: JSON `worse: null`); an empty BASE with a
// clean HEAD still exits 0, a failing HEAD 1; an unreadable HEAD stays an input error (2).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DiffResult } from '../../src/model/diff-schema.js';
import { ostrace } from './built-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ostrace-diff-nothing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, bytes: Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const empty = write('empty.log', Buffer.alloc(0));
const junk = write('junk.log', Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 97 + 13) % 256)));
/** A real client log with failures (a 409 and a traceback), and one of a clean run. */
const failing = 'samples/real-osc/server-add-volume-409.log';
const clean = 'samples/real-osc/server-add-volume.log';

function diff(base: string, head: string) {
  const text = ostrace(['diff', base, head]);
  const markdown = ostrace(['diff', '--format', 'markdown', base, head]);
  const json = ostrace(['diff', '--format', 'json', base, head]);
  // every format exits alike
  expect([markdown.code, json.code]).toEqual([text.code, text.code]);
  return {
    code: text.code,
    text: text.stdout,
    // as it reads once rendered: markdown escapes the parentheses
    markdown: markdown.stdout.replace(/\\(.)/g, '$1'),
    json: JSON.parse(json.stdout) as DiffResult,
  };
}

describe('diff when a side has nothing to judge', () => {
  for (const [name, head, lines] of [
    ['an empty capture', empty, 0],
    ['binary junk', junk, null],
  ] as const) {
    it(`HEAD ${name}: says so in every format and exits 1, not "not worse" and 0`, () => {
      const d = diff(clean, head);
      expect(d.code).toBe(1);
      for (const out of [d.text, d.markdown]) {
        expect(out).toContain(
          'Nothing to judge in HEAD: its logs show no OpenStack command, HTTP call or step of an operation ostrace follows (',
        );
        expect(out).toContain('whether it is worse than BASE cannot be said.');
        expect(out).not.toContain('not worse');
      }
      expect(d.json.worse).toBeNull();
      expect(d.json.base.nothingToJudge).toBeNull();
      const seen = d.json.head.nothingToJudge!;
      if (lines !== null) expect(seen).toEqual({ lines, unrecognized: 0 });
      else expect(seen.unrecognized).toBeGreaterThan(0);
      expect(d.text).toContain(`(${seen.lines} line${seen.lines === 1 ? '' : 's'}, ${seen.unrecognized} unrecognized)`);
    });
  }

  it('both sides empty: nothing to judge on either, exit 1', () => {
    const d = diff(empty, junk);
    expect(d.code).toBe(1);
    expect(d.text).toContain('Nothing to judge: the logs of both sides show no OpenStack command');
    expect(d.json.worse).toBeNull();
    expect(d.json.base.nothingToJudge).toEqual({ lines: 0, unrecognized: 0 });
  });

  it('BASE empty, HEAD clean: says BASE had nothing to compare with, exit 0', () => {
    const d = diff(empty, clean);
    expect(d.code).toBe(0);
    for (const out of [d.text, d.markdown])
      expect(out).toContain(
        'Nothing to judge in BASE: its logs show no OpenStack command, HTTP call or step of an operation ostrace follows (0 lines, 0 unrecognized); nothing to compare HEAD with',
      );
    expect(d.json).toMatchObject({
      worse: false,
      base: { nothingToJudge: { lines: 0 } },
      head: { nothingToJudge: null },
    });
  });

  it('BASE empty, HEAD failing: worse, exit 1, every failure new', () => {
    const d = diff(empty, failing);
    expect(d.code).toBe(1);
    expect(d.text).toMatch(/HEAD is worse than BASE \(\d+ reasons?\); BASE has nothing to judge/);
    expect(d.json.worse).toBe(true);
  });

  it('keeps "not worse", exit 0, when both sides show something', () => {
    const d = diff(clean, clean);
    expect(d.code).toBe(0);
    expect(d.text).toContain('HEAD is not worse than BASE');
    expect(d.json).toMatchObject({ worse: false, base: { nothingToJudge: null }, head: { nothingToJudge: null } });
  });

  it('an unreadable HEAD is an input error: exit 2, one line', () => {
    const r = ostrace(['diff', clean, join(dir, 'missing.log')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('missing.log: no such file')]);
  });
});
