// A directory argument is a CI job's artifact tree: its log files are read recursively
// (plain and gzip) in sorted order, each labelled by its name; config, HTML and binary
// files are skipped and counted in one line on stderr. Through the built CLI.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ostrace, root } from './built-cli.js';

const sample = (name: string) => readFileSync(join(root, 'samples/multi-service/minicloud-attach', name));

let tmp: string;
let job: string;
/** The log files of the tree, in the order a directory argument reads them. */
let logs: string[];
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ostrace-dir-'));
  job = join(tmp, 'job');
  const put = (rel: string, bytes: Buffer | string) => {
    mkdirSync(dirname(join(job, rel)), { recursive: true });
    writeFileSync(join(job, rel), bytes);
  };
  // The shape of a devstack job's artifacts, from a real recording of one attach.
  put('job-output.txt', sample('client.log'));
  put('controller/logs/screen-n-api.txt.gz', gzipSync(sample('nova-api.log')));
  put('controller/logs/screen-n-cpu.txt.gz', gzipSync(sample('nova-compute.log')));
  put('controller/logs/screen-c-api.txt.gz', gzipSync(sample('cinder-api.log')));
  put('controller/logs/screen-c-vol.txt', sample('cinder-volume.log'));
  put('controller/logs/etc/nova/nova.conf.txt.gz', gzipSync('[DEFAULT]\ndebug = True\n'));
  put('zuul-info/inventory.yaml', 'all:\n  hosts:\n    controller: {}\n');
  put(
    'controller/logs/index.html',
    '<html><body><a href="screen-n-api.txt.gz">screen-n-api.txt.gz</a></body></html>\n',
  );
  // A PNG's first bytes: its IHDR length holds NUL bytes.
  put('controller/logs/screenshot.png', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
  logs = ['screen-c-api.txt.gz', 'screen-c-vol.txt', 'screen-n-api.txt.gz', 'screen-n-cpu.txt.gz']
    .map((f) => join(job, 'controller/logs', f))
    .concat(join(job, 'job-output.txt'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a directory argument', { timeout: 60_000 }, () => {
  it('reads the log files of the tree, gzip or not, labelled by name, and says what it skipped', () => {
    const r = ostrace(['analyze', '-f', 'json', job]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`ostrace: ${job}: read 5 log files, skipped 4 (config, html, binary)\n`);
    const run = JSON.parse(r.stdout) as {
      inputs: Array<{ name: string; service: string | null }>;
      exchanges: Array<{ source: string; side: string }>;
    };
    expect(run.inputs.map((i) => [i.name, i.service])).toEqual([
      [logs[0], 'cinder-api'],
      [logs[1], 'cinder-volume'],
      [logs[2], 'nova-api'],
      [logs[3], 'nova-compute'],
      [logs[4], 'client'],
    ]);
    const fromGzNovaApi = run.exchanges.filter((e) => e.source === logs[2]);
    expect(fromGzNovaApi.length).toBeGreaterThan(0);
    expect(fromGzNovaApi.every((e) => e.side === 'server')).toBe(true);
    // The same analysis as naming the files one by one.
    expect(r.stdout).toBe(ostrace(['analyze', '-f', 'json', ...logs]).stdout);
  });

  it('names the skipped files with --verbose, and lints a tree too', () => {
    const r = ostrace(['lint', '--verbose', '-f', 'json', job]);
    expect(r.stderr.split('\n')).toEqual([
      `ostrace: ${job}: read 5 log files, skipped 4 (config, html, binary)`,
      `ostrace: skipped ${join(job, 'controller/logs/etc/nova/nova.conf.txt.gz')} (config)`,
      `ostrace: skipped ${join(job, 'controller/logs/index.html')} (html)`,
      `ostrace: skipped ${join(job, 'controller/logs/screenshot.png')} (binary)`,
      `ostrace: skipped ${join(job, 'zuul-info/inventory.yaml')} (config)`,
      '',
    ]);
    expect(JSON.parse(r.stdout).inputs).toHaveLength(5);
  });

  it('with no log file in it, or empty, is a one-line error (exit 2)', () => {
    const configOnly = ostrace(['analyze', join(job, 'zuul-info')]);
    expect(configOnly.code).toBe(2);
    expect(configOnly.stderr).toBe(`ostrace: ${join(job, 'zuul-info')}: no log file, skipped 1 (config)\n`);
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    expect(ostrace(['lint', empty])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `ostrace: ${empty}: empty directory\n`,
    });
  });

  it('is refused by redact with a usage error (one output cannot keep files apart)', () => {
    const r = ostrace(['redact', job]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ostrace: redact: ${job} is a directory; give it the files to redact\n`);
  });
});
