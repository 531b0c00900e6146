// The same file given twice (`explain a.log a.log`, `./a.log a.log`, a directory and a file inside
// it, a link to it) was read twice: explain told each problem twice and lint counted double
// (found probing the built CLI). Each file (same device and inode) is read once under the first
// name given, and one stderr line names each argument that repeated; two files that only hold
// the same bytes are still two inputs. Standard input twice is a usage error.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'dist/bin/ostrace.js');
const dir = mkdtempSync(join(tmpdir(), 'ostrace-twice-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A real failed attach (a 409 and a traceback): explain tells problems, lint finds errors.
mkdirSync(join(dir, 'logs'));
copyFileSync(join(root, 'samples/real-osc/server-add-volume-409.log'), join(dir, 'logs/a.log'));
copyFileSync(join(dir, 'logs/a.log'), join(dir, 'copy.log'));
symlinkSync('logs/a.log', join(dir, 'link.log'));
symlinkSync('logs', join(dir, 'link-dir'));

function ostrace(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  const stderr = r.stderr.toString('utf8');
  return { code: r.status, stdout: r.stdout.toString('utf8'), warnings: stderr.split('\n').filter((l) => l !== '') };
}

const inputNames = (stdout: string) =>
  (JSON.parse(stdout) as { inputs: Array<{ name: string }> }).inputs.map((i) => i.name);

describe('the same file given twice', () => {
  const once = {
    explain: ostrace(['explain', '--format', 'json', 'logs/a.log']).stdout,
    lint: ostrace(['lint', 'logs/a.log']).stdout,
  };

  it('is explained once: the same problems, not each twice', () => {
    const r = ostrace(['explain', '--format', 'json', 'logs/a.log', 'logs/a.log']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(once.explain);
    expect((JSON.parse(once.explain) as { explanations: unknown[] }).explanations).toHaveLength(1);
    expect(r.warnings).toEqual(['ostrace: warning: logs/a.log: given twice, read once']);
  });

  it('is linted once: the findings are not counted double', () => {
    const r = ostrace(['lint', 'logs/a.log', './logs/a.log']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(once.lint);
    expect(r.warnings).toEqual(['ostrace: warning: ./logs/a.log: the same file as logs/a.log, read once']);
  });

  it('a directory and a file inside it, or a link to the file: read once under the first name', () => {
    const inside = ostrace(['analyze', '--format', 'json', 'logs', 'logs/a.log']);
    expect(inputNames(inside.stdout)).toEqual(['logs/a.log']);
    expect(inside.warnings).toEqual([
      'ostrace: logs: read 1 log file',
      'ostrace: warning: logs/a.log: the same file as logs/a.log in logs, read once',
    ]);
    const before = ostrace(['analyze', '--format', 'json', 'logs/a.log', 'logs']);
    expect(inputNames(before.stdout)).toEqual(['logs/a.log']);
    expect(before.warnings).toContain(
      'ostrace: warning: logs: 1 of its files given already (logs/a.log), each read once',
    );
    const link = ostrace(['explain', '--format', 'json', 'logs/a.log', 'link.log']);
    expect(link.stdout).toBe(once.explain);
    expect(link.warnings).toEqual(['ostrace: warning: link.log: the same file as logs/a.log, read once']);
  });

  // The directory's files were read once, but it was listed again: its 'read N log files' line
  // came twice, with a warning that its files were given already.
  it('a directory given twice, under another name or through a link: listed once, one warning', () => {
    const once = ostrace(['explain', '--format', 'json', 'logs']);
    expect(once.warnings).toEqual(['ostrace: logs: read 1 log file']);
    const cases: Array<[string[], string]> = [
      [['logs', 'logs'], 'logs: given twice, read once'],
      [['logs', 'logs', 'logs'], 'logs: given 3 times, read once'],
      [['logs', './logs/'], './logs/: the same directory as logs, read once'],
      [['logs', 'link-dir'], 'link-dir: the same directory as logs, read once'],
    ];
    for (const [args, warning] of cases) {
      const r = ostrace(['explain', '--format', 'json', ...args]);
      expect(r.stdout).toBe(once.stdout);
      expect(r.warnings).toEqual(['ostrace: logs: read 1 log file', `ostrace: warning: ${warning}`]);
    }
  });

  it('keeps two files that only hold the same bytes: they are two inputs', () => {
    const r = ostrace(['analyze', '--format', 'json', 'logs/a.log', 'copy.log']);
    expect(inputNames(r.stdout)).toEqual(['logs/a.log', 'copy.log']);
    expect(r.warnings).toEqual([]);
  });

  it('standard input twice is a usage error: exit 2, one line', () => {
    const r = ostrace(['explain', '-', '-']);
    expect(r.code).toBe(2);
    expect(r.warnings).toEqual(['ostrace: standard input ("-") can be given only once']);
  });
});
