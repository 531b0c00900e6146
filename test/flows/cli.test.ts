// End to end through the built CLI (run `npm run build` first).
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = (...args: string[]) => spawnSync('node', ['dist/src/cli/main.js', ...args], { cwd: root, encoding: 'utf8' });

describe('ostrace flows (CLI)', () => {
  it('analyze --format json shows flows[] for the seed log', () => {
    const out = execFileSync('node', ['dist/src/cli/main.js', 'analyze', 'samples/seed-attach-volume/client.log', '--format', 'json'], { cwd: root, encoding: 'utf8' });
    const run = JSON.parse(out);
    expect(run.flows).toHaveLength(1);
    expect(run.flows[0]).toMatchObject({ flow: 'client/server-add-volume', variant: 'novaclient', command: 1, verdict: 'complete' });
    expect(run.flows[0].steps.map((s: { step: string }) => s.step)).toContain('attach');
    expect(run.flows[0].explains).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('flows lists the built-in flows', () => {
    const r = cli('flows');
    expect(r.status).toBe(0);
    const ids = r.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]);
    expect(ids).toEqual(['client/server-add-volume', 'client/server-create', 'client/server-remove-volume', 'client/volume-create',
      'client/volume-delete', 'server/attach-volume', 'server/detach-volume']);
  });

  it('flows check validates a shipped file (exit 0)', () => {
    const r = cli('flows', 'check', 'grammars/server-attach-volume.flow.json');
    expect([r.status, r.stdout.trim(), r.stderr]).toEqual([0, '1 flow file valid', '']);
  });

  it('flows check on a broken file gives file + JSON pointer + expectation, exit 2', () => {
    const r = cli('flows', 'check', 'test/flows/bad/bad-method.flow.json');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('test/flows/bad/bad-method.flow.json: /flows/0/variants/0/steps/1/match/method: '
      + 'expected one of "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", got "FETCH"');
  });

  it('analyze --flows with a broken directory stops with exit 2 and the diagnostics', () => {
    const r = cli('analyze', 'samples/seed-attach-volume/client.log', '--flows', 'test/flows/bad', '--format', 'json');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('bad-method.flow.json: /flows/0/variants/0/steps/1/match/method');
    expect(r.stderr).toContain('syntax.flow.json: 4:14: expected valid JSON');
  });

  it('analyze --flows adds a valid user flow directory', () => {
    const r = cli('analyze', 'samples/seed-attach-volume/client.log', '--flows', 'samples/flows/user', '--format', 'json');
    expect(r.status).toBe(0);
    const run = JSON.parse(r.stdout);
    expect(run.flows.map((f: { flow: string; verdict: string }) => [f.flow, f.verdict])).toEqual([
      ['client/server-add-volume', 'complete'], ['user/seed-attach-short', 'complete']]);
  });
});
