// End to end through the built CLI (run `npm run build` first).
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = (...args: string[]) => spawnSync('node', ['dist/bin/ostrace.js', ...args], { cwd: root, encoding: 'utf8' });

describe('ostrace flows (CLI)', () => {
  it('analyze --format json shows flows[] for the seed log', () => {
    const out = execFileSync(
      'node',
      ['dist/bin/ostrace.js', 'analyze', 'samples/seed-attach-volume/client.log', '--format', 'json'],
      { cwd: root, encoding: 'utf8' },
    );
    const run = JSON.parse(out);
    expect(run.flows).toHaveLength(1);
    expect(run.flows[0]).toMatchObject({
      flow: 'client/server-add-volume',
      variant: 'novaclient',
      command: 1,
      verdict: 'complete',
    });
    expect(run.flows[0].steps.map((s: { step: string }) => s.step)).toContain('attach');
    expect(run.flows[0].explains).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('flows shows every built-in flow with its variants and steps', () => {
    const r = cli('flows');
    expect([r.status, r.stderr]).toEqual([0, '']);
    const heads = r.stdout
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith(' ') && !l.startsWith('Steps:'))
      .map((l) => l.split(' ')[0]);
    expect(heads).toEqual([
      'client/server-add-volume',
      'client/server-create',
      'client/server-delete',
      'client/server-rebuild',
      'client/server-evacuate',
      'client/server-remove-volume',
      'client/server-resize',
      'client/server-migrate',
      'client/server-resize-confirm',
      'client/server-resize-revert',
      'client/server-shelve',
      'client/server-unshelve',
      'client/server-swap-volume',
      'client/volume-create',
      'client/volume-delete',
      'server/attach-volume',
      'server/delete',
      'server/detach-volume',
      'server/extend-volume',
      'server/live-migrate',
      'server/rebuild',
      'server/evacuate',
      'server/resize',
      'server/migrate',
      'server/revert-resize',
      'server/retype-volume',
      'server/shelve',
      'server/shelve-offload',
      'server/unshelve',
      'server/swap-volume',
      'server/volume-create',
    ]);
    // A variant with its guard, a step with observer, call, expected status, flags and state change.
    expect(r.stdout).toContain('  variant new-style-multiattach: ');
    expect(r.stdout).toContain('[when compute >= 2.60, volume >= 3.27]');
    expect(r.stdout).toMatch(
      /\n {4}begin-detaching +cinder-api +POST \/volumes\/\{volume\}\/action \{"os-begin_detaching": …\} +→ 202 +\[anchor\] +volume in-use → detaching\n/,
    );
    expect(r.stdout).toMatch(
      /\n {4}attach +client +compute: POST \/servers\/\{server_id\}\/os-volume_attachments +→ 200 \(202 from 2\.101\) +\[anchor\]\n/,
    );
    expect(r.stdout).toContain('    one of (or none):\n      a)\n        terminate-connection ');
  });

  it('flows ID --format json gives the definitions of the chosen flows', () => {
    const r = cli('flows', 'server/detach-volume', '--format', 'json');
    expect(r.status).toBe(0);
    const [flow, ...rest] = JSON.parse(r.stdout);
    expect(rest).toEqual([]);
    expect([flow.id, flow.scope, flow.family]).toEqual(['server/detach-volume', 'request', 'server-detach-volume']);
    expect(flow.variants.map((v: { id: string }) => v.id)).toEqual([
      'new-style',
      'new-style-multiattach',
      'old-style',
      'shelved-offloaded-new-style',
      'shelved-offloaded-old-style',
    ]);
    expect(flow.variants[3].when).toEqual([{ service: 'compute', min: '2.20' }]);
    expect(JSON.parse(cli('flows', '--json', 'server/detach-volume').stdout)).toEqual([flow]);
  });

  it('flows with an unknown id or format is a usage error (exit 2)', () => {
    const bad = cli('flows', 'server/no-such');
    expect([bad.status, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toMatch(/^ostrace: no flow "server\/no-such"; known: client\/server-add-volume, /);
    expect(cli('flows', '--format', 'yaml').stderr).toBe('ostrace: --format: expected text or json, got "yaml"\n');
  });

  it('flows check validates a shipped file (exit 0)', () => {
    const r = cli('flows', 'check', 'grammars/server-attach-volume.flow.json');
    expect([r.status, r.stdout.trim(), r.stderr]).toEqual([0, '1 flow file valid', '']);
  });

  it('flows check on a broken file gives file + JSON pointer + expectation, exit 2', () => {
    const r = cli('flows', 'check', 'test/flows/bad/bad-method.flow.json');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      'test/flows/bad/bad-method.flow.json: /flows/0/variants/0/steps/1/match/method: ' +
        'expected one of "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", got "FETCH"',
    );
  });

  it('flows check reports a sample whose expectation does not hold: file, pointer, expected and got, exit 2', () => {
    const r = cli('flows', 'check', 'test/flows/bad-samples');
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr.split('\n')[0]).toBe(
      'test/flows/bad-samples/wrong-verdict.flow.json: /samples/0/expect/0/verdict: ' +
        'sample "volume delete by id (inline events)": expected failed, got complete (user/volume-delete default complete ' +
        '[identity-discovery:matched, auth:matched, volume-discovery:skipped, get-volume:matched, delete-volume:matched])',
    );
  });

  it('analyze --flows with a broken directory stops with exit 2 and the diagnostics', () => {
    const r = cli('analyze', 'samples/seed-attach-volume/client.log', '--flows', 'test/flows/bad', '--format', 'json');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('bad-method.flow.json: /flows/0/variants/0/steps/1/match/method');
    expect(r.stderr).toContain('syntax.flow.json: 4:14: expected valid JSON');
  });

  it('analyze --flows adds a valid user flow directory', () => {
    const r = cli(
      'analyze',
      'samples/seed-attach-volume/client.log',
      '--flows',
      'samples/flows/user',
      '--format',
      'json',
    );
    expect(r.status).toBe(0);
    const run = JSON.parse(r.stdout);
    expect(run.flows.map((f: { flow: string; verdict: string }) => [f.flow, f.verdict])).toEqual([
      ['client/server-add-volume', 'complete'],
      ['user/seed-attach-short', 'complete'],
    ]);
  });
});
