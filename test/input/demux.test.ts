// The demultiplexer on real streams: GNU grep and tail run here over the real minicloud
// recording in samples/multi-service/minicloud-attach, and lines of a public data set.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Demultiplexer, logFileOfCommand } from '../../src/input/demux.js';

const recording = fileURLToPath(new URL('../../samples/multi-service/minicloud-attach/', import.meta.url));
const ATTACH = 'req-a5a69932-4355-4503-9fbf-31582c12abc4';

function run(cmd: string, args: string[]): string[] {
  const out = execFileSync(cmd, args, { cwd: recording, encoding: 'utf8' });
  return out.split('\n').slice(0, -1);
}

function splitAll(lines: string[]) {
  const d = new Demultiplexer();
  return { parts: lines.map((l) => d.split(l)), shape: d.shape };
}

describe('Demultiplexer', () => {
  // A part's rest is text, never a source's prefix, though another stream's line came between
  // (containerd writes each stream from its own goroutine, pkg/cri/io/logger.go redirectLogs).
  it('a CRI part’s rest after another stream’s line: still text, no grep prefix read in it', () => {
    const d = new Demultiplexer();
    const stamp = (n: number) => `2026-12-05T01:48:42.04${n}123456+00:00`;
    expect(d.split(`${stamp(1)} stderr P see /var/log/nova/nova-api.`)).toMatchObject({
      source: null,
      cri: { partial: true },
    });
    expect(d.split(`${stamp(2)} stdout F +----+`)).toMatchObject({ source: null, text: '+----+' });
    expect(d.split(`${stamp(3)} stderr F nova-api.log:12:2026-12-05 01:48:42.040 ERROR x`)).toMatchObject({
      source: null,
      text: 'nova-api.log:12:2026-12-05 01:48:42.040 ERROR x',
      shape: null,
      cri: { stream: 'stderr', partial: false },
    });
  });

  it("grep -rn -C2: names each line's file and line, matches and context alike, and the group separators", () => {
    const lines = run('grep', ['-rn', '-C2', ATTACH, '--include=*.log', '.']);
    const { parts, shape } = splitAll(lines);
    expect(shape).toBe('grep');
    for (const [i, p] of parts.entries()) {
      if (lines[i] === '--') {
        expect(p.structural).toBe(true);
        continue;
      }
      expect(p.source, lines[i]).toMatch(/^\.\/[a-z-]+\.log$/);
      expect(p.sourceLine).toBeGreaterThan(0);
      // The text is the file's own line, byte for byte.
      const own = run('sed', ['-n', `${p.sourceLine}p`, p.source!])[0];
      expect(p.text).toBe(own);
    }
    expect(new Set(parts.map((p) => p.source))).toContain('./cinder-api.log');
  });

  it('grep -r without -n: a dash context line before any match is still read by its dated record', () => {
    const lines = run('grep', ['-r', '-B1', ATTACH, 'nova-api.log', 'cinder-api.log']);
    const { parts } = splitAll(lines);
    expect(parts[0]!.source).toBe('nova-api.log');
    expect(parts[0]!.text).toMatch(/^2026-11-25 /);
    expect(
      parts.filter((p) => !p.structural).every((p) => p.source === 'nova-api.log' || p.source === 'cinder-api.log'),
    ).toBe(true);
  });

  it('tail of several files: the header names the source of the unprefixed lines below it', () => {
    const lines = run('tail', ['-n', '2', 'nova-api.log', 'cinder-volume.log']);
    const { parts, shape } = splitAll(lines);
    expect(shape).toBe('tail');
    expect(parts[0]).toMatchObject({ source: 'nova-api.log', structural: true });
    expect(parts[1]).toMatchObject({ source: 'nova-api.log', structural: false, text: lines[1] });
    const vol = lines.indexOf('==> cinder-volume.log <==');
    expect(parts[vol + 1]).toMatchObject({ source: 'cinder-volume.log', text: lines[vol + 1] });
  });

  it("a public data set's lines (loghub OpenStack_2k.log): the file name with its rotation and date suffix", () => {
    // logpai/loghub OpenStack/OpenStack_2k.log, lines 1 and 44 (public research data set).
    const { parts, shape } = splitAll([
      'nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server [req-38101a0b-2096-447d-96ea-a692162415ae 113d3a99c3da401fbd62cc2caa5b96d2 54fadb412c4e40cdbaed9335e4c35a9e - - -] 10.11.10.1 "GET /v2/54fadb412c4e40cdbaed9335e4c35a9e/servers/detail HTTP/1.1" status: 200 len: 1893 time: 0.2477829',
      'nova-compute.log.1.2017-05-16_13:55:31 2017-05-16 00:00:04.500 2931 INFO nova.compute.manager [req-3ea4052c-895d-4b64-9e2d-04d64c4d94ab - - - - -] [instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] VM Started (Lifecycle Event)',
    ]);
    expect(shape).toBe('dataset');
    expect(parts.map((p) => p.source)).toEqual([
      'nova-api.log.1.2017-05-16_13:53:08',
      'nova-compute.log.1.2017-05-16_13:55:31',
    ]);
    expect(parts[0]!.text).toMatch(/^2017-05-16 00:00:00\.008 25746 INFO nova\.osapi_compute/);
  });

  it('plain logs keep no source: oslo.log, client debug, Zuul job output, journald', () => {
    const lines = [
      ...run('head', ['-n', '3', 'nova-api.log']),
      ...run('head', ['-n', '40', 'client.log']),
      '2023-05-12 10:11:12.123456 | controller | + ./stack.sh:main:1234 :   echo_summary',
      'Dec 04 10:11:12 host devstack@n-api.service[15067]: INFO nova.api.openstack.requestlog [None req-x admin admin] 1.2.3.4 "GET /compute/v2.1/" status: 200 len: 389 microversion: 2.1 time: 0.016996',
    ];
    const { parts, shape } = splitAll(lines);
    expect(shape).toBeNull();
    expect(parts.every((p, i) => p.source === null && p.text === lines[i])).toBe(true);
  });

  it('kubectl --prefix and docker compose name the pod/container and the service', () => {
    const { parts } = splitAll([
      '[pod/nova-api-0/nova-api-osapi] 2024-03-01 10:00:00.000 1 INFO nova.api.openstack.requestlog [None req-1 - - - - - -] 10.0.0.1 "GET /v2.1/servers" status: 200 len: 10 microversion: 2.1 time: 0.01',
    ]);
    expect(parts[0]).toMatchObject({ source: 'pod/nova-api-0/nova-api-osapi', shape: 'kubectl' });
    const compose = splitAll(['nova_api-1  | 2024-03-01 10:00:00.000 1 INFO x [-] y', 'cinder_volume-1 | line']);
    expect(compose.parts.map((p) => [p.source, p.text])).toEqual([
      ['nova_api-1', '2024-03-01 10:00:00.000 1 INFO x [-] y'],
      ['cinder_volume-1', 'line'],
    ]);
  });

  it("docker-compose 1.29's own lines (recorded here, samples/field/compose-v1-*) are the stream's, and --timestamps is cut", () => {
    const field = fileURLToPath(new URL('../../samples/field/', import.meta.url));
    // compose ends its progress lines with CR LF (ostrace's readers drop the CR).
    const sample = (name: string) => readFileSync(`${field}${name}/${name}.log`, 'utf8').split(/\r?\n/).slice(0, -1);
    const up = sample('compose-v1-up-attach');
    const { parts, shape } = splitAll(up);
    expect(shape).toBe('compose');
    const own = parts.flatMap((p, i) => (p.own === true ? [up[i]!] : []));
    // Every line of compose's own (progress, attaching, exits) and no log line.
    expect(own).toEqual(up.filter((l) => !l.includes(' | ')));
    expect(own).toHaveLength(13);
    expect(own).toContain('Creating minicloud_cinder_api_1    ... ');
    expect(own).toContain('Creating minicloud_nova_api_1      ... done');
    expect(own).toContain('minicloud_nova_api_1 exited with code 0');
    expect(parts.every((p) => (p.own === true ? p.structural && p.source === null : p.source !== null))).toBe(true);
    // With --timestamps each source's text is what it is without them, line for line.
    const bySource = (lines: string[]) => {
      const out = new Map<string, string[]>();
      for (const p of splitAll(lines).parts.filter((q) => !q.structural))
        out.set(p.source!, [...(out.get(p.source!) ?? []), p.text]);
      return out;
    };
    const plain = bySource(sample('compose-v1-logs-attach'));
    expect([...plain.keys()].sort()).toEqual(['cinder_api_1', 'cinder_volume_1', 'nova_api_1', 'nova_compute_1']);
    expect(bySource(sample('compose-v1-logs-timestamps-attach'))).toEqual(plain);
    expect(plain.get('nova_compute_1')).toEqual(
      readFileSync(`${recording}nova-compute.log`, 'utf8').split('\n').slice(0, -1),
    );
    // The engine's stamp inside a long line (a chunk stored apart) goes; a date of the log's own stays.
    const stamped = splitAll([
      'nova_api-1  | 2026-12-06T04:06:07.123456789Z GET /v2.1 created_at 2026-11-25T21:02:53Z x 2026-12-06T04:09:00Z y',
      'nova_api-1  | 2026-12-06T04:06:07.123456789Z POST /v2.1/serv2026-12-06T04:06:07.1234568Z ers 200',
    ]).parts.map((p) => p.text);
    expect(stamped).toEqual([
      'GET /v2.1 created_at 2026-11-25T21:02:53Z x 2026-12-06T04:09:00Z y',
      'POST /v2.1/servers 200',
    ]);
    // Outside compose output the same words are the stream's own lines as before.
    expect(splitAll(['Attaching to instance 42']).parts[0]).toMatchObject({ source: null, structural: false });
    expect(splitAll(['nova_api_1 exited with code 0']).parts[0]).toMatchObject({ source: null, structural: false });
  });

  it("terraform's provisioner output names the resource whose shell printed the line", () => {
    const { parts, shape } = splitAll([
      'null_resource.openstack-sample-workload-common (remote-exec): usage: openstack security group rule create [-h]',
      'module.cloud.null_resource.setup[0] (local-exec): $ openstack server list',
      'null_resource.x (remote-exec):',
      // terraform's own lines name no provisioner: left as they are.
      'null_resource.x: Still creating... [10s elapsed]',
    ]);
    expect(shape).toBe('terraform');
    expect(parts.map((p) => [p.source, p.text])).toEqual([
      ['null_resource.openstack-sample-workload-common', 'usage: openstack security group rule create [-h]'],
      ['module.cloud.null_resource.setup[0]', '$ openstack server list'],
      ['null_resource.x', ''],
      [null, 'null_resource.x: Still creating... [10s elapsed]'],
    ]);
  });

  it('a command reading one log names it; several, a glob, a directory or another program name none', () => {
    expect(logFileOfCommand('tail -200 /var/log/nova/nova-api.log | grep -B 5 -A 5 57a44b05')).toBe(
      '/var/log/nova/nova-api.log',
    );
    expect(logFileOfCommand('grep req-560d2ee8 api.log')).toBe('api.log');
    expect(logFileOfCommand("grep -E 'POST .*/servers|x.log' /tmp/e44-debug.txt | head")).toBe('/tmp/e44-debug.txt');
    expect(logFileOfCommand('sudo zcat nova-compute.log.2.gz')).toBe('nova-compute.log.2.gz');
    expect(logFileOfCommand('tail -f nova-api.log cinder-api.log')).toBeNull();
    expect(logFileOfCommand('tail -f /var/log/cinder/*.log')).toBeNull();
    expect(logFileOfCommand('grep -r req-1 /var/log/nova/')).toBeNull();
    expect(logFileOfCommand('openstack --debug --log-file osc.log server list')).toBeNull();
    expect(logFileOfCommand('grep req-1')).toBeNull();
  });

  it("a heading naming one log heads the lines under it: a name alone, a colon after it, a shell comment's `# `", () => {
    const sample = (p: string) =>
      readFileSync(new URL(`../../samples/field/${p}`, import.meta.url), 'utf8')
        .split('\n')
        .slice(0, -1);
    // the 2013 issue's two blocks (samples/field/grizzly-attaching), as one paste under their headings
    const paste = [...sample('grizzly-attaching/cinder-api.log'), ...sample('grizzly-attaching/nova-compute.log')];
    const { parts } = splitAll(paste);
    expect(parts[0]).toMatchObject({ source: 'cinder-api.log', shape: 'heading', structural: true });
    expect(parts.slice(1, 9).every((p) => p.source === 'cinder-api.log' && !p.structural)).toBe(true);
    expect(parts[9]).toMatchObject({ source: 'nova-compute.log', structural: true });
    expect(parts.slice(10).every((p) => p.source === 'nova-compute.log' && p.text.startsWith('2013-'))).toBe(true);
    // rcbops/ansible-lxc-rpc#561: a comment heading inside a code block
    const block = splitAll(sample('lxc-rpc-comment-heading/lxc-rpc-comment-heading.log')).parts;
    expect(block[0]!.source).toBeNull();
    expect(block[1]).toMatchObject({ source: '/var/log/nova/nova-compute.log', shape: 'heading', structural: true });
    expect(block.slice(2).every((p) => p.source === '/var/log/nova/nova-compute.log')).toBe(true);
    expect(new Demultiplexer().split('nova-api.log:')).toMatchObject({ source: 'nova-api.log', structural: true });
    // A heading that names the stream itself heads the stream's own lines.
    const own = new Demultiplexer('samples/x/cinder-api.log');
    expect(own.split('cinder-api.log')).toMatchObject({ source: null, structural: true });
    expect(own.split(paste[1]!).source).toBeNull();
    // In grep's output `x.log:` is a matched empty line, and prose after a name no heading.
    const grep = new Demultiplexer();
    grep.split('nova-api.log:2017-05-12 18:24:47.231 4499 INFO nova.api');
    expect(grep.split('nova-api.log:')).toMatchObject({ source: 'nova-api.log', shape: 'grep', structural: false });
    expect(new Demultiplexer().split('# nova-api.log is where the answer is').structural).toBe(false);
    // nii-cloud/dodai-deploy#18: words after the colon make it a heading, before any grep line
    const prose = new Demultiplexer();
    expect(prose.split('/var/log/nova-compute.log: On Compute Server #1')).toMatchObject({
      source: '/var/log/nova-compute.log',
      shape: 'heading',
      structural: true,
    });
    expect(prose.split('2012-07-05 22:00:30 TRACE nova.rpc.amqp     rv = list(rv)').source).toBe(
      '/var/log/nova-compute.log',
    );
    expect(grep.split('nova-api.log: Calling method').shape).toBe('grep');
  });

  it('a markdown heading naming the log as a code span heads the block under it (samples/field/vi-notes-cinder-backup)', () => {
    const lines = readFileSync(
      new URL('../../samples/field/vi-notes-cinder-backup/vi-notes-cinder-backup.log', import.meta.url),
      'utf8',
    ).split('\n');
    const { parts } = splitAll(lines);
    // Lines 12 'File `volume.log`:' and 60 'File `backup.log`' (1-based): the notes' two logs.
    expect(parts[11]).toMatchObject({ source: 'volume.log', shape: 'heading', structural: true });
    expect(parts[13]).toMatchObject({ source: 'volume.log', structural: false });
    expect(parts[13]!.text).toMatch(/^2020-08-01 13:47:29\.009 4520 INFO cinder\.volume\.flows/);
    expect(parts[59]).toMatchObject({ source: 'backup.log', shape: 'heading', structural: true });
    expect(parts[61]!.text).toMatch(/^2020-08-01 14:34:42\.343 5085 INFO cinder\.backup\.manager/);
    expect(parts[61]!.source).toBe('backup.log');
    // The heading of the first line names no single log; the prose before the first heading is the stream's own.
    expect(parts.slice(0, 11).every((p) => p.source === null && !p.structural)).toBe(true);
    // A code span in prose is no heading: two words before it, words after it.
    expect(new Demultiplexer().split('Check the `nova-api.log`').structural).toBe(false);
    expect(new Demultiplexer().split('`nova-api.log` is where the answer is').structural).toBe(false);
    expect(new Demultiplexer().split('`nova-api.log`')).toMatchObject({ source: 'nova-api.log', structural: true });
  });
});
