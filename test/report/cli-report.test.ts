// The built CLI end to end for the report formats (needs `npm run build`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Lexer } from 'marked';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'dist/bin/ostrace.js');

function ostrace(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '' } });
  return { code: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

describe('ostrace analyze --format markdown|html|json', () => {
  it('markdown: the report on stdout, byte-identical across runs, nothing on stderr (not a TTY)', () => {
    const a = ostrace(['analyze', 'samples/timed/client.log', '--format', 'markdown']);
    const b = ostrace(['analyze', 'samples/timed/client.log', '--format', 'markdown']);
    expect(a.code).toBe(0);
    expect(a.stderr).toBe('');
    expect(a.stdout).toBe(b.stdout);
    expect(Lexer.lex(a.stdout).filter((t) => t.type === 'table').length).toBeGreaterThan(5);
    const stamped = ostrace(['analyze', 'samples/timed/client.log', '--format', 'markdown', '--timestamp']);
    expect(stamped.stdout).toMatch(/^Generated \d{4}-\d\d-\d\dT/m);
  }, 60_000);

  it('html: writes one self-contained file with -o', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ostrace-html-')), 'r.html');
    const r = ostrace(['analyze', 'samples/seed-attach-volume/client.log', '--format', 'html', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Content-Security-Policy');
    expect(html).not.toMatch(/<script/i);
    // details were kept for html: headers of the first exchange are there
    expect(html).toContain('User-Agent: osc-lib/1.10.0 keystoneauth1/3.5.0');
    rmSync(dirname(out), { recursive: true, force: true });
  }, 60_000);

  it('json: stats present with the documented names', () => {
    const r = ostrace(['analyze', 'samples/timed/client.log', '--format', 'json']);
    expect(r.code).toBe(0);
    const stats = (JSON.parse(r.stdout) as { stats: Record<string, unknown> }).stats;
    for (const k of ['byService', 'byEndpoint', 'byCommand', 'slowest', 'criticalPath'])
      expect(Array.isArray(stats[k])).toBe(true);
    expect(stats.timed).toBe(54);
  }, 60_000);
});
