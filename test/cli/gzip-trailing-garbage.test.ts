// A .gz log with bytes after its gzip data (junk appended by `cat x.gz; printf junk`, zero padding
// a copy tool left) was "corrupt gzip data", exit 2. It is read as `gzip -dc` reads it: all its
// data, and one warning on stderr naming it. Concatenated members are still one stream, a
// truncated one still an error. Through the built CLI, on the real recordings.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Exchange, Input } from '../../src/model/schema.js';
import { tempDirs } from '../temp-dirs.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'dist/bin/ostrace.js');
const tempDir = tempDirs('ostrace-gzip-tail-');
const seed = readFileSync(join(root, 'samples/seed-attach-volume/client.log'));
const seedLines = seed.toString('utf8').split('\n').length - 1;

const run = (args: string[], options: { input?: Buffer; env?: Record<string, string> } = {}) => {
  const r = spawnSync(process.execPath, [cli, 'analyze', '--format', 'json', ...args], {
    input: options.input,
    env: { ...process.env, ...options.env },
    maxBuffer: 1 << 28,
  });
  return { code: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
};
const parsed = (stdout: string) => JSON.parse(stdout) as { inputs: Input[]; exchanges: Exchange[] };
const put = (name: string, bytes: Buffer) => {
  const file = join(tempDir(), name);
  writeFileSync(file, bytes);
  return file;
};
/** Each exchange as the report shows it, without the input's name. */
const calls = (stdout: string) => parsed(stdout).exchanges.map((e) => [e.method, e.url, e.status, e.line]);
const plain = run([join(root, 'samples/seed-attach-volume/client.log')]);

describe('a gzip log with bytes after its data', () => {
  it.each([
    ['junk appended', Buffer.from('junk')],
    ['zero padding', Buffer.alloc(4096)],
  ])('%s: every line read, one warning naming it (a file and standard input)', (_, tail) => {
    const bytes = Buffer.concat([gzipSync(seed), tail]);
    const file = put('client.log.gz', bytes);
    for (const [args, name] of [
      [[file], file],
      [[], '<stdin>'],
    ] as const) {
      const r = run([...args], { input: args.length === 0 ? bytes : Buffer.alloc(0) });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe(
        `ostrace: warning: ${name}: ${tail.length} bytes after its gzip data ignored (trailing garbage)\n`,
      );
      expect(parsed(r.stdout).inputs[0]!.lines).toBe(seedLines);
      expect(calls(r.stdout)).toEqual(calls(plain.stdout));
    }
  });

  it('concatenated members are one log, read whole, with no warning', () => {
    const file = put('client.log.gz', Buffer.concat([gzipSync(seed), gzipSync(seed)]));
    const r = run([file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(parsed(r.stdout).inputs[0]!.lines).toBe(2 * seedLines);
  });

  it.each([
    ['cut short', gzipSync(seed).subarray(0, -100)],
    ['followed by a member cut after its magic', Buffer.concat([gzipSync(seed), Buffer.from([0x1f, 0x8b, 0x08])])],
  ])('a gzip log %s is still an error: one line, exit 2, no report', (_, bytes) => {
    const file = put('client.log.gz', bytes);
    expect(run([file])).toEqual({ code: 2, stdout: '', stderr: `ostrace: ${file}: truncated gzip data\n` });
  });

  it('read by the second thread, or in a directory: the same warning, once', () => {
    const logs = join(root, 'samples/multi-service/minicloud-attach');
    const compute = readFileSync(join(logs, 'nova-compute.log'));
    const dir = tempDir();
    writeFileSync(join(dir, 'nova-compute.log.gz'), Buffer.concat([gzipSync(compute), Buffer.from('junk!')]));
    const files = ['client.log', 'nova-api.log', 'cinder-api.log'].map((f) => join(logs, f));
    const gz = join(dir, 'nova-compute.log.gz');
    const threaded = run([...files, gz], { env: { OSTRACE_READ_AHEAD_BYTES: '0', OSTRACE_TRACE_STAGES: '1' } });
    expect(threaded.code).toBe(0);
    // the second thread read it (the last input, a service log alone)
    expect(threaded.stderr).toMatch(/\(1 of 4 inputs read by a second thread\)/);
    const warning = `ostrace: warning: ${gz}: 5 bytes after its gzip data ignored (trailing garbage)\n`;
    expect(threaded.stderr.split(warning)).toHaveLength(2);
    const unzipped = run([...files, join(logs, 'nova-compute.log')]);
    expect(calls(threaded.stdout)).toEqual(calls(unzipped.stdout));
    expect(parsed(threaded.stdout).inputs[3]!.lines).toBe(parsed(unzipped.stdout).inputs[3]!.lines);

    const inDirectory = run([dir]);
    expect(inDirectory.code).toBe(0);
    expect(inDirectory.stderr).toBe(`ostrace: ${dir}: read 1 log file\n${warning}`);
  });
});
