// `--label FILE=service` took any file and any service: a typo in either labelled nothing and the
// run went on without a word (the file's lines read as no service's). A file that is none of the
// inputs, nor a source read inside one, and a service ostrace does not know are usage errors: one
// line, exit 2, nothing on stdout. Through the built CLI, on the real minicloud recording.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../temp-dirs.js';
import { ostrace, root } from './built-cli.js';

const recording = join(root, 'samples/multi-service/minicloud-attach');
const compute = join(recording, 'nova-compute.log');
const seed = join(root, 'samples/seed-attach-volume/client.log');
const tempDir = tempDirs('ostrace-label-');
const services = (stdout: string) =>
  (JSON.parse(stdout) as { inputs: Array<{ name: string; service: string | null }> }).inputs.map((i) => [
    i.name,
    i.service,
  ]);
const HINT = "(an input's path as given, its base name, or a source read inside one)";

describe('--label checks its file and its service', () => {
  it('a service ostrace does not know is a usage error naming those it knows', () => {
    for (const command of ['analyze', 'lint'])
      expect(ostrace([command, '--label', 'nova-compute.log=nova-cmpute', compute])).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'ostrace: --label nova-compute.log=nova-cmpute: unknown service "nova-cmpute"; one of nova-api, nova-compute, ' +
          'nova-conductor, nova-scheduler, nova-metadata, nova-novncproxy, cinder-api, cinder-volume, cinder-scheduler, ' +
          'cinder-backup, glance-api, neutron-server, placement-api, keystone, client\n',
      });
  });

  it('a file that is none of the inputs is a usage error, also where lint streams its findings', () => {
    expect(ostrace(['analyze', '--label', 'n-cpu.log=nova-compute', compute])).toEqual({
      code: 2,
      stdout: '',
      stderr: `ostrace: --label n-cpu.log=nova-compute: no input is named n-cpu.log ${HINT}\n`,
    });
    // lint's text output streams a finding of this log as soon as it is certain: held back here
    expect(ostrace(['lint', seed]).stdout).toMatch(/client\.log:38 {2}warning/);
    expect(ostrace(['lint', '--label', 'seed.log=client', seed])).toEqual({
      code: 2,
      stdout: '',
      stderr: `ostrace: --label seed.log=client: no input is named seed.log ${HINT}\n`,
    });
  });

  it('labels an input by its path as given, its base name, or a source read inside one', () => {
    const uwsgi = join(tempDir(), 'uwsgi-3318.txt');
    writeFileSync(uwsgi, readFileSync(join(recording, 'nova-api-uwsgi.log')));
    for (const file of [uwsgi, 'uwsgi-3318.txt']) {
      const r = ostrace(['analyze', '-f', 'json', '--label', `${file}=nova-metadata`, uwsgi]);
      expect(r.code).toBe(0);
      expect(services(r.stdout)).toEqual([[uwsgi, 'nova-metadata']]);
    }
    // grep over two logs: each is a source of its own, labelled by --label as if given apart
    const grep = join(tempDir(), 'grep.txt');
    const prefixed = (prefix: string, log: string) =>
      readFileSync(join(recording, log), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => `${prefix}:${l}\n`)
        .join('');
    writeFileSync(
      grep,
      prefixed('/var/log/nova/nova-api.log', 'nova-api.log') + prefixed('/var/log/cinder/api.log', 'cinder-api.log'),
    );
    const r = ostrace(['lint', '-f', 'json', '--label', 'api.log=cinder-volume', grep]);
    expect(r.stderr).toBe('');
    expect(services(r.stdout)).toEqual([
      [`${grep} » /var/log/nova/nova-api.log`, 'nova-api'],
      [`${grep} » /var/log/cinder/api.log`, 'cinder-volume'],
    ]);
  });

  it('diff: a file of either side is an input', () => {
    const api = join(recording, 'nova-api.log');
    expect(ostrace(['diff', '--label', 'nova-compute.log=nova-compute', compute, api]).code).not.toBe(2);
    expect(ostrace(['diff', '--label', 'nova-api.log=nova-api', compute, api]).code).not.toBe(2);
    expect(ostrace(['diff', '--label', 'n-cpu.log=nova-compute', compute, api])).toEqual({
      code: 2,
      stdout: '',
      stderr: `ostrace: --label n-cpu.log=nova-compute: no input is named n-cpu.log ${HINT}\n`,
    });
  });
});
