// explain of logs that show nothing it judges (an empty capture, binary junk, a UTF-16 file without
// its byte-order mark whose first bytes do not tell it) says so, with the lines read and unrecognized: it said "every
// operation seen completed", of no operation, and a CI gate read that as a pass (found probing
// the built CLI). A real log with something to judge keeps the no-problem verdict.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_PROBLEM } from '../../src/report/markdown.js';
import { ostrace, root } from './built-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ostrace-nothing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const client = readFileSync(join(root, 'samples/seed-attach-volume/client.log'), 'utf8');
const inputs = {
  empty: { text: Buffer.alloc(0), lines: 0 },
  // the real client log as UTF-16 without a byte-order mark, a character past ASCII first (with a mark, or ASCII
  // first, it is read as UTF-16): no line reads as a log line
  utf16: { text: Buffer.from(`«${client}`, 'utf16le'), lines: null },
  junk: { text: Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 97 + 13) % 256)), lines: null },
};

describe('explain of logs with nothing to judge', () => {
  for (const [name, { text, lines }] of Object.entries(inputs)) {
    it(`says there was nothing to judge: ${name}`, () => {
      const file = join(dir, `${name}.log`);
      writeFileSync(file, text);
      const r = ostrace(['explain', '--format', 'json', file]);
      expect(r.code).toBe(0);
      const verdict = (JSON.parse(r.stdout) as { verdict: string }).verdict;
      expect(verdict).toMatch(/^Nothing to judge: these logs show no OpenStack command, HTTP call or step/);
      expect(verdict).not.toContain('every operation seen completed');
      if (lines !== null) expect(verdict).toContain(`(${lines} lines, 0 unrecognized)`);
      else expect(Number(/, (\d+) unrecognized\)/.exec(verdict)?.[1])).toBeGreaterThan(0);
      expect(ostrace(['explain', file]).stdout).toContain('Nothing to judge');
      // Said on stderr too, in one line: a JSON consumer or `-o FILE` leaves the terminal nothing else.
      const notes = r.stderr.split('\n').filter((l) => l.startsWith('ostrace: warning: '));
      expect(notes).toEqual([
        lines === 0
          ? `ostrace: warning: ${file}: empty (0 lines): explain judged nothing in it`
          : expect.stringMatching(
              new RegExp(
                `^ostrace: warning: ${file}: no line of it is one ostrace reads \\(\\d+ lines?, \\d+ unrecognized\\): explain judged nothing in it$`,
              ),
            ),
      ]);
    });
  }

  it('names on stderr a junk input given with a real log, whose problem the verdict tells (exit 1)', () => {
    const junk = join(dir, 'beside.log');
    writeFileSync(junk, inputs.junk.text);
    const r = ostrace(['explain', junk, 'samples/real-osc-plain/server-show-not-found.log']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("No server with a name or ID of 'nosuch' exists.");
    expect(r.stderr).toMatch(new RegExp(`^ostrace: warning: ${junk}: no line of it is one ostrace reads \\(`, 'm'));
    expect(r.stderr).not.toContain('server-show-not-found.log');
  });

  it('keeps the no-problem verdict for a log with operations in it', () => {
    for (const log of [
      'samples/minicloud/01-attach-detach/nova-compute.log',
      'samples/minicloud/01-attach-detach/client.log',
    ]) {
      const r = ostrace(['explain', '--format', 'json', log]);
      expect((JSON.parse(r.stdout) as { verdict: string }).verdict).toBe(NO_PROBLEM);
      expect(r.stderr).not.toContain('explain judged nothing');
    }
  });
});
