// An output that cannot be written (a full disk, a directory) is a file error: one line naming
// it and exit 2, never a stack trace or an "internal error". Through the built CLI; /dev/full
// is the full disk (every write fails with ENOSPC). Found probing the built CLI.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ostrace, root } from './built-cli.js';

const LOG = 'samples/lint/secrets.log';

function expectOneLine(r: { code: number | null; stderr: string }, start: string) {
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^${start}`))]);
}

describe.skipIf(!existsSync('/dev/full'))('a full disk', () => {
  it('on standard output: one line, exit 2', () => {
    const full = openSync('/dev/full', 'w');
    try {
      for (const args of [
        ['analyze', LOG],
        ['lint', LOG],
        ['redact', LOG],
      ]) {
        const r = spawnSync(process.execPath, [join(root, 'dist/bin/ostrace.js'), ...args], {
          cwd: root,
          encoding: 'utf8',
          stdio: ['ignore', full, 'pipe'],
        });
        expectOneLine({ code: r.status, stderr: r.stderr }, 'ostrace: standard output: ENOSPC');
      }
    } finally {
      closeSync(full);
    }
  });

  it('behind -o FILE: one line naming the file, exit 2', () => {
    for (const args of [
      ['analyze', '-o', '/dev/full', LOG],
      ['lint', '-f', 'sarif', '-o', '/dev/full', LOG],
      ['redact', '-o', '/dev/full', LOG],
    ])
      expectOneLine(ostrace(args), 'ostrace: /dev/full: ENOSPC');
  });
});

describe('redact -o a directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ostrace-out-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is one line naming it, exit 2', () => {
    expectOneLine(ostrace(['redact', '-o', dir, LOG]), `ostrace: ${dir}: EISDIR`);
  });
});

// Found fuzzing the built CLI: the report of the empty output of a command that never ran
// followed its error and said "No problem found".
describe('ostrace run of a command that does not start', () => {
  it('is one line and exit 2, with no report', () => {
    const r = ostrace(['run', '--', '/nonexistent/openstack', 'server', 'list']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual(['ostrace: /nonexistent/openstack: command not found']);
  });
});
