// `ostrace explain` from the built CLI (npx tsc -p . first): exit codes, formats, and
// `analyze` opening with the same verdict.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ostrace, root } from '../cli/built-cli.js';

const clean = 'samples/minicloud/01-attach-detach/';
const failing = 'samples/minicloud/04-attach-driver-error/';

describe('ostrace explain', () => {
  it('exits 0 and says no problem was found on a clean attach/detach', () => {
    const r = ostrace(['explain', clean]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No problem found');
  });

  it("exits 0 on the seed's lone attach and says the log cannot show whether it completed", () => {
    const r = ostrace(['explain', 'samples/seed-attach-volume/client.log']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No problem found');
    expect(r.stdout).toContain('Not shown by this log: whether this accepted operation completed');
    expect(r.stdout).toContain('- attach of volume liangr to vm-ml-1: `openstack server add volume vm-ml-1 liangr`');
    const md = ostrace(['explain', 'samples/seed-attach-volume/client.log', '--format', 'markdown']).stdout;
    expect(md).toContain('- attach of volume liangr to vm-ml-1: `openstack server add volume vm-ml-1 liangr`');
    const json = JSON.parse(
      ostrace(['explain', 'samples/seed-attach-volume/client.log', '--format', 'json']).stdout,
    ) as {
      problems: number;
      unconfirmed: Array<{ operation: string }>;
    };
    expect([json.problems, json.unconfirmed.map((u) => u.operation)]).toEqual([0, ['attach']]);
  });

  it("exits 0 on nova's logs of a clean attach and detach: cinder's steps were out of sight, not failed", () => {
    const logs = ['nova-api.log', 'nova-compute.log'].map((name) => `${clean}${name}`);
    const r = ostrace(['explain', ...logs]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No problem found in what these logs show; 2 operations could not be followed');
    expect(r.stdout).toContain('   - server/attach-volume could not be followed');
    const json = JSON.parse(ostrace(['explain', ...logs, '--format', 'json']).stdout) as {
      problems: number;
      notFollowed: Array<{ flows: Array<{ flow: string }>; missingLogs: string[] }>;
    };
    expect(json.problems).toBe(0);
    expect(json.notFollowed.map((x) => [x.flows[0]!.flow, x.missingLogs])).toEqual([
      ['server/attach-volume', ['cinder-api', 'cinder-volume']],
      ['server/detach-volume', ['cinder-api', 'cinder-volume']],
    ]);
    // Alike operations count one by one: minicloud 10's two attaches and two detaches are four.
    const multiattach = ['nova-api.log', 'nova-compute.log'].map((n) => `samples/minicloud/10-multiattach/${n}`);
    expect(ostrace(['explain', ...multiattach]).stdout).toContain(
      'No problem found in what these logs show; 4 operations could not be followed to the end',
    );
    const md = ostrace(['explain', ...logs, '--format', 'markdown']).stdout;
    expect(md).toContain('- **server/detach-volume could not be followed');
    // The same logs of the failing backend: nova-compute logged the failure, so it is a problem.
    const failed = ostrace(['explain', ...['nova-api.log', 'nova-compute.log'].map((name) => `${failing}${name}`)]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('1 problem');
    expect(failed.stdout).toContain(
      '1. server/attach-volume could not be followed (no cinder-api log), and nova-compute logged ERROR: Update attachment failed',
    );
  });

  it('exits 0 on a `server list` whose 503 the client re-sent until it was answered, and tells it apart', () => {
    // The sample's first command alone (its lines 1-29): `server list` exited 0.
    const dir = mkdtempSync(join(tmpdir(), 'ostrace-recovered-'));
    try {
      const text = readFileSync(join(root, 'samples/formats/sdk-retries-traceback.log'), 'utf8');
      const file = join(dir, 'server-list.log');
      writeFileSync(file, `${text.split('\n').slice(0, 29).join('\n')}\n`);
      const r = ostrace(['explain', file]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('No problem found in what these logs show; one command recovered from a failed read');
      expect(r.stdout).toContain('   - `server list` (exit 0, HTTP 503) recovered: compute GET');
      const json = JSON.parse(ostrace(['explain', file, '--format', 'json']).stdout) as {
        problems: number;
        recovered: Array<{ command: { name: string } }>;
      };
      expect([json.problems, json.recovered.map((x) => x.command.name)]).toEqual([0, ['server list']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with one paragraph naming the failed call on the failing backend', () => {
    const r = ostrace(['explain', failing]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1 problem');
    expect(r.stdout).toContain('PUT /attachments/{attachment} → HTTP 500');
    expect(r.stdout).toContain('cinder-api.log:94');
  });

  it('--format json gives the explanations as data; markdown the same paragraphs', () => {
    const json = JSON.parse(ostrace(['explain', failing, '--format', 'json']).stdout) as {
      problems: number;
      explanations: Array<{ firstError: { requestId: string } }>;
    };
    expect(json.problems).toBe(1);
    expect(json.explanations[0]!.firstError.requestId).toBe('req-f27771dc-2fb8-48c8-b447-c070283aa664');
    const md = ostrace(['explain', failing, '--format', 'markdown']);
    expect(md.code).toBe(1);
    expect(md.stdout).toMatch(/^## Verdict/);
  });

  it('exits 2 on a missing file or an unknown format', () => {
    expect(ostrace(['explain', 'no/such/file.log']).code).toBe(2);
    expect(ostrace(['explain', clean, '--format', 'sarif']).code).toBe(2);
  });

  it('analyze opens with the same verdict, before the tables', () => {
    const text = ostrace(['analyze', failing]).stdout;
    expect(text.indexOf('Verdict')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('Verdict')).toBeLessThan(text.indexOf('Exchanges ('));
  });

  it('analyze --format json has the explanations; markdown opens with them', () => {
    const run = JSON.parse(ostrace(['analyze', failing, '--format', 'json']).stdout) as {
      explanations: Array<{ firstError: { line: number } }>;
    };
    expect(run.explanations[0]!.firstError.line).toBe(94);
    const md = ostrace(['analyze', failing, '--format', 'markdown']).stdout;
    expect(md.indexOf('## Verdict')).toBeLessThan(md.indexOf('Exchanges'));
  });
});
