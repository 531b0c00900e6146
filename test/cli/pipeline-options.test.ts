// Every input option works in analyze, lint and run: one definition (src/cli/options.ts),
// one builder of the pipeline's options. Through the built CLI (npx tsc -p . first).
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ostrace, root } from './built-cli.js';

const SEED = join(root, 'samples/seed-attach-volume/client.log');
const UWSGI = join(root, 'samples/multi-service/minicloud-attach/nova-api-uwsgi.log');

let dir: string;
let flowDir: string;
let anonymous: string;
let fakeOpenstack: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ostrace-options-'));
  // A user flow the seed log does not satisfy: after the attach, the client should read it back.
  flowDir = join(dir, 'my-flows');
  mkdirSync(flowDir);
  const steps = [
    {
      step: 'attach',
      title: 'Attach the volume',
      observer: 'client',
      status: [200],
      match: { service: 'compute', method: 'POST', path: '/servers/{server}/os-volume_attachments' },
    },
    {
      step: 'confirm',
      title: 'Read the attachment back',
      observer: 'client',
      status: [200],
      match: { service: 'compute', method: 'GET', path: '/servers/{server}/os-volume_attachments/{volume}' },
    },
  ];
  writeFileSync(
    join(flowDir, 'attach-confirmed.flow.json'),
    JSON.stringify({
      family: 'attach-confirmed',
      title: 'A user flow: attach, then read the attachment back',
      flows: [
        {
          id: 'user/attach-confirmed',
          title: 'attach and confirm',
          scope: 'command',
          trigger: { command: ['server add volume'] },
          variants: [{ id: 'any', title: 'attach, confirm', steps }],
        },
      ],
      samples: [
        {
          name: 'seed',
          logs: [SEED],
          expect: [{ flow: 'user/attach-confirmed', variant: 'any', verdict: 'incomplete' }],
        },
      ],
    }),
  );
  // A uwsgi access log under a name that says nothing: only --label tells its service.
  anonymous = join(dir, 'uwsgi-3318.txt');
  copyFileSync(UWSGI, anonymous);
  fakeOpenstack = join(dir, 'openstack');
  writeFileSync(fakeOpenstack, `#!/bin/sh\ncat '${SEED}' >&2\necho done\n`);
  chmodSync(fakeOpenstack, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MISSING_CONFIRM =
  /:1 {2}error {2}flow user\/attach-confirmed \(any\): step confirm missing: .* {2}flow\/missing-step$/m;

describe('lint takes every input option', { timeout: 60_000 }, () => {
  it('--flows DIR before the log adds a user flow whose missing step fails the verdict', () => {
    const plain = ostrace(['lint', SEED]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain('user/attach-confirmed');
    const r = ostrace(['lint', '--flows', flowDir, SEED]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(MISSING_CONFIRM);
    expect(r.stdout).toMatch(/^1 error, 1 warning, 0 info$/m);
  });

  it('--label FILE=service labels an input by its base name', () => {
    const service = (args: string[]) => JSON.parse(ostrace(['lint', '-f', 'json', ...args]).stdout).inputs[0].service;
    // No logger and no file name names it: the API its access lines serve (/v2.1/…) does.
    expect(service([anonymous])).toBe('nova-api');
    // The option wins over what the input suggests.
    expect(service(['--label', 'uwsgi-3318.txt=nova-metadata', anonymous])).toBe('nova-metadata');
  });

  it('a bad --label or --format-template is a one-line usage error before any input is read', () => {
    const label = ostrace(['lint', '--label', 'nonsense', join(dir, 'missing.log')]);
    expect(label.code).toBe(2);
    expect(label.stderr).toBe('ostrace: --label wants FILE=service, got "nonsense"\n');
    const template = ostrace(['lint', '--format-template', '%(nope', SEED]);
    expect(template.code).toBe(2);
    expect(template.stderr).toMatch(/^ostrace: --format-template: .+\n$/);
  });
});

describe('run takes every input and report option', { timeout: 60_000 }, () => {
  const attach = () => ['--', fakeOpenstack, 'server', 'add', 'volume', 'vm1', 'vol1'];

  it('--lint --flows DIR -o FILE: the verdict goes to the file, the command output passes through', () => {
    const out = join(dir, 'verdict.txt');
    const r = ostrace(['run', '--lint', '--flows', flowDir, '--label', 'x.log=nova-api', '-o', out, ...attach()]);
    expect(r.stdout).toBe('done\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const verdict = readFileSync(out, 'utf8');
    expect(verdict).toMatch(MISSING_CONFIRM);
    expect(verdict.endsWith('1 error, 1 warning, 0 info\n')).toBe(true);
  });

  it('reports with the user flow on stderr without --lint', () => {
    const r = ostrace(['run', '-f', 'json', '--flows', flowDir, ...attach()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('done\n');
    const flows = JSON.parse(r.stderr).flows as Array<{ flow: string; verdict: string }>;
    expect(flows.map((f) => [f.flow, f.verdict])).toContainEqual(['user/attach-confirmed', 'incomplete']);
  });
});
