// The bin runs the program in a worker thread (src/cli/main.ts): standard input is read (by the
// program, from fd 0) only when it reads `-`, the exit code and both streams come through unchanged.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ostrace, root } from './built-cli.js';

const cli = join(root, 'dist/bin/ostrace.js');
const seed = 'samples/seed-attach-volume/client.log';

function shell(script: string, input: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('sh', ['-c', script], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the bin and its worker', () => {
  it('leaves standard input unread when files are named, for whoever reads it next', () => {
    // `while read f; do ostrace analyze "$f"; done < list` must see every name of the list.
    const r = shell(`node ${cli} analyze ${seed} > /dev/null && cat`, 'next-line-1\nnext-line-2\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('next-line-1\nnext-line-2\n');
  });

  it('reads piped standard input when no file is named', () => {
    const r = shell(`node ${cli} analyze --format json`, readFileSync(join(root, seed), 'utf8'));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { inputs: Array<{ name: string; lines: number }> };
    expect(report.inputs).toEqual([expect.objectContaining({ name: '<stdin>', lines: 57 })]);
  });

  it('gives the same report as when the program reads the file itself', () => {
    const fromFile = ostrace(['analyze', '--format', 'json', seed]);
    const fromStdin = shell(`node ${cli} analyze --format json -`, readFileSync(join(root, seed), 'utf8'));
    expect(fromStdin.stdout.replaceAll('"<stdin>"', `"${seed}"`)).toBe(fromFile.stdout);
  });

  it('reads a file given as standard input (`- < file`) as it reads the file', () => {
    const fromFile = ostrace(['analyze', '--format', 'json', seed]);
    const redirected = shell(`node ${cli} analyze --format json - < ${seed}`, '');
    expect(redirected.stdout.replaceAll('"<stdin>"', `"${seed}"`)).toBe(fromFile.stdout);
  });

  // A writer may leave the pipe non-blocking (Python's asyncio, node's own child pipes): reads
  // find it empty between writes and must wait, not fail. python3 comes with python3-openstackclient.
  const hasPython = spawnSync('python3', ['-c', 'import fcntl']).status === 0;
  it.skipIf(!hasPython)('reads a non-blocking pipe whose writer pauses between writes', () => {
    const feeder = [
      'import fcntl, os, subprocess, sys, time',
      'r, w = os.pipe()',
      'fcntl.fcntl(r, fcntl.F_SETFL, fcntl.fcntl(r, fcntl.F_GETFL) | os.O_NONBLOCK)',
      `p = subprocess.Popen([${JSON.stringify(process.execPath)}, ${JSON.stringify(cli)}, 'analyze', '--format', 'json', '-'], stdin=r)`,
      'os.close(r)',
      `data = open(${JSON.stringify(join(root, seed))}, 'rb').read()`,
      // half now, the rest once the bin has long started and found the pipe empty
      'os.write(w, data[: len(data) // 2]); time.sleep(1.5); os.write(w, data[len(data) // 2 :])',
      'os.close(w)',
      'sys.exit(p.wait())',
    ].join('\n');
    const r = spawnSync('python3', ['-c', feeder], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const fromFile = ostrace(['analyze', '--format', 'json', seed]);
    expect(r.stdout.replaceAll('"<stdin>"', `"${seed}"`)).toBe(fromFile.stdout);
  });

  it('relays the exit code and the one-line error of a file that cannot be read', () => {
    const r = ostrace(['analyze', 'no-such-file.log']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'ostrace: no-such-file.log: no such file\n' });
  });

  it('relays the lint verdict as exit code 1', () => {
    const r = ostrace(['lint', '--fail-on', 'info', seed]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/info|warning|error/);
  });

  it('ends quietly when the reader of its output goes away', () => {
    const r = shell(`node ${cli} analyze --format json ${seed} | head -c 20`, '');
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith('{\n  "schemaVersion"')).toBe(true);
  });

  // `script` (util-linux, in every Debian) gives the bin a terminal: the program, in its
  // worker, must still know stdout is one and colour its text.
  // (skipped where no terminal can be made: no `script`, no /dev/pts)
  const hasScript = spawnSync('script', ['-qec', 'true', '/dev/null']).status === 0;
  it.skipIf(!hasScript)('colours its text on a terminal and not on a pipe', () => {
    const env = { ...process.env };
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    const onTerminal = spawnSync('script', ['-qec', `node ${cli} analyze ${seed}`, '/dev/null'], {
      cwd: root,
      encoding: 'utf8',
      env,
    });
    expect(onTerminal.status).toBe(0);
    expect(onTerminal.stdout).toContain('\x1b[1mVerdict\x1b[22m');
    const onPipe = spawnSync(process.execPath, [cli, 'analyze', seed], { cwd: root, encoding: 'utf8', env });
    expect(onPipe.stdout.startsWith('Verdict\n')).toBe(true);
    expect(onPipe.stdout).not.toContain('\x1b[');
  });
});
