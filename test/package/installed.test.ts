// The package is the product: pack it, install the tarball into an empty folder, and
// run every command there — from another working directory, on a log the package does
// not ship — as a user who ran `npm install ostrace` would.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = new URL('../../', import.meta.url).pathname;
const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
let work = '';
let bin = '';
let log = '';

const CLEAR_TOKEN = 'gAAAAABnZ0tR3vQ9xk2b7Yp4Lw8sJc1mFhD6uTeKo5rNaVzXiBq0yWg';

/**
 * A real recording with every request id and UUID renamed and one token hash turned
 * into a token in clear: the package holds no copy of it.
 */
function foreignLog(): string {
  const text = readFileSync(join(repo, 'samples/seed-attach-volume/client.log'), 'utf8');
  return text
    .replace('X-Auth-Token: {SHA1}d3951552a72aff9cefcf94d78553e5039b70a39e', `X-Auth-Token: ${CLEAR_TOKEN}`)
    .replace(/req-[0-9a-f]{8}/g, 'req-0badc0de')
    .replace(/\b[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}\b/g, (u) => `${u.slice(0, 9)}feed-${u.slice(14)}`);
}

function ostrace(args: string[], input?: string) {
  const r = spawnSync(bin, args, {
    cwd: work,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ostrace-installed-'));
  // `npm test` has built dist/ already; packing must not rebuild it underneath the other tests.
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: repo, stdio: 'ignore' });
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball');
  const app = join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), '{"name":"app","private":true}\n');
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, tarball)], {
    cwd: app,
    stdio: 'ignore',
  });
  bin = join(app, 'node_modules/.bin/ostrace');
  log = join(work, 'client.log');
  writeFileSync(log, foreignLog());
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the installed package', () => {
  it('prints the version of its package.json', () => {
    const r = ostrace(['--version']);
    expect(r.stdout.trim()).toBe(version);
  });

  it.each(['text', 'json', 'markdown', 'html', 'otlp', 'har', 'sarif', 'junit', 'github'])(
    'analyze --format %s reads a foreign log',
    (format) => {
      const r = ostrace(['analyze', '--format', format, log]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      // Console output has no timestamps, so OTLP has no timed span to write; the CI formats hold findings only.
      const evidence: Record<string, string> = {
        otlp: 'resourceSpans',
        sarif: 'secret/clear-token',
        junit: 'secret/clear-token',
        github: 'secret/clear-token',
      };
      expect(r.stdout).toContain(evidence[format] ?? 'os-volume_attachments');
      expect(r.stdout).not.toContain(CLEAR_TOKEN);
    },
  );

  it('analyze reads standard input', () => {
    const r = ostrace(['analyze', '--format', 'json'], readFileSync(log, 'utf8'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('req-0badc0de');
    expect(r.stdout).toMatch(/"method":"POST","url":"[^"]*os-volume_attachments/);
  });

  it('explain tells its verdict: the foreign attach went through', () => {
    const r = ostrace(['explain', log]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('No problem found');
  });

  it('diff of a log against itself: not worse, the attach matched', () => {
    const r = ostrace(['diff', log, log, '--format', 'json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect((JSON.parse(r.stdout) as { matchedFlows: number }).matchedFlows).toBe(1);
  });

  it('lint gives its verdict', () => {
    const r = ostrace(['lint', log]);
    expect(r.stderr).toBe('');
    expect([0, 1]).toContain(r.code);
    expect(r.stdout).toMatch(/\d+ errors?, \d+ warnings?, \d+ info\n$/);
  });

  it('redact masks the token and keeps the rest', () => {
    const r = ostrace(['redact', log]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(CLEAR_TOKEN);
    expect(r.stdout.split('\n').length).toBe(readFileSync(log, 'utf8').split('\n').length);
    expect(ostrace(['redact', '--check', log]).code).toBe(1);
    expect(ostrace(['redact', '--check'], r.stdout).code).toBe(0);
  });

  it('run passes the command through and reports on stderr', () => {
    const fake = join(work, 'fake-openstack');
    writeFileSync(fake, `#!/bin/sh\ncat '${log}' >&2\necho done\n`);
    chmodSync(fake, 0o755);
    const r = ostrace(['run', '--', fake, 'server', 'add', 'volume', 'vm1', 'vol1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('done\n');
    expect(r.stderr).toContain('server add volume');
  });

  it("flows lists the built-in flows and flows check runs each one's samples", () => {
    const list = ostrace(['flows']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('server/attach-volume');
    const grammars = join(work, 'app/node_modules/ostrace/grammars');
    const files = readdirSync(grammars).filter((f) => f.endsWith('.flow.json'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const r = ostrace(['flows', 'check', join(grammars, f)]);
      expect(r.stderr, f).toBe('');
      expect(r.stdout).toBe('1 flow file valid\n');
    }
  }, 120_000);

  it('schema prints the JSON Schema', () => {
    const r = ostrace(['schema']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('properties.exchanges');
  });

  it('a missing file is one line and exit 2', () => {
    const r = ostrace(['analyze', join(work, 'nope.log')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
