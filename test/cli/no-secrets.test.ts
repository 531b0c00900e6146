// Secrets never appear in any output unless --show-secrets: every analyze and lint format,
// run on a log that holds a clear token, a password in a -d body, a CLI password and adminPass.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reporterIds } from '../../src/report/index.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'dist/bin/ostrace.js');
const log = join(root, 'samples/lint/secrets.log');
const SECRETS = ['s3cr3t-Pa55', 'gAAAAABbRBMqClearTokenValue0123456789abcdef', 'Xk9adminPassValue'];

function run(args: string[]): string {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  expect(r.status === 0 || r.status === 1, r.stderr).toBe(true);
  return r.stdout + r.stderr;
}

describe('no secret in any output', () => {
  const plantedPassword = /"password": "([^"*][^"]*)"/.exec(readLine(58))?.[1];
  const secrets = [...SECRETS, ...(plantedPassword ? [plantedPassword] : [])];

  it.each(reporterIds)('analyze --format %s', (format) => {
    const out = run(['analyze', '--format', format, log]);
    for (const s of secrets) expect(out).not.toContain(s);
  });

  it.each(['text', 'json', 'sarif', 'junit', 'github', 'markdown'])('lint --format %s', (format) => {
    const out = run(['lint', '--format', format, log]);
    for (const s of secrets) expect(out).not.toContain(s);
  });

  it('shows request headers and bodies in clear with --show-secrets, and only then', () => {
    const html = run(['analyze', '--show-secrets', '--format', 'html', log]);
    expect(html).toContain('gAAAAABbRBMqClearTokenValue0123456789abcdef');
    expect(html).toContain('hunter2-body');
  });
});

function readLine(n: number): string {
  return spawnSync('sed', ['-n', `${n}p`, log], { encoding: 'utf8' }).stdout;
}
