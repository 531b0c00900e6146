// A log saved by Windows PowerShell 5's `>` is UTF-16LE with the byte-order mark FF FE and CRLF
// line ends: it was read as bytes, every line unrecognized (found probing the built CLI). Read by
// its mark it gives what its UTF-8 original gives — through a file, gzip, standard input, a
// directory and the second reading thread — and a UTF-8 mark no longer spoils the first line.
// Without a mark, UTF-16 is read as such when its first bytes are ASCII beside NUL bytes. Through
// the built CLI (the thread is the bundle's ostrace-read.js).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'dist/bin/ostrace.js');
const recording = join(root, 'samples/minicloud/01-attach-detach');
const sample = join(root, 'samples/formats/powershell-utf16le-crlf/powershell-utf16le-crlf.log');

const dir = mkdtempSync(join(tmpdir(), 'ostrace-utf16-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The `server add volume` command of the real recording (lines 287–381), as the sample cites it. */
const command = `${readFileSync(join(recording, 'client.log'), 'utf8').split('\n').slice(286, 381).join('\n')}\n`;

const MARK = { le: Buffer.from([0xff, 0xfe]), be: Buffer.from([0xfe, 0xff]), utf8: Buffer.from([0xef, 0xbb, 0xbf]) };
const crlf = (text: string) => text.replace(/\n/g, '\r\n');
const utf16le = (text: string) => Buffer.concat([MARK.le, Buffer.from(crlf(text), 'utf16le')]);
const utf16be = (text: string) => Buffer.concat([MARK.be, Buffer.from(crlf(text), 'utf16le').swap16()]);

/** Each file written into its own folder under the same names, so the runs' JSON can be compared whole. */
function folder(name: string, files: Record<string, Buffer | string>): string {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  for (const [file, bytes] of Object.entries(files)) writeFileSync(join(path, file), bytes);
  return path;
}

function ostrace(args: string[], cwd: string, options: { input?: Buffer; threads?: boolean } = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    input: options.input,
    env: {
      ...process.env,
      NO_COLOR: '1',
      OSTRACE_READ_AHEAD_BYTES: options.threads ? '0' : String(2 ** 50),
      OSTRACE_TRACE_STAGES: '1',
    },
    maxBuffer: 1 << 28,
  });
  const stderr = r.stderr.toString('utf8');
  const note = /\((\d+) of \d+ inputs read by a second thread\)/.exec(stderr);
  return { code: r.status, stdout: r.stdout.toString('utf8'), stderr, taken: note ? Number(note[1]) : 0 };
}

interface Input {
  name: string;
  lines: number;
  bytes: number;
  unrecognizedLines: number;
}

/** `analyze --format json`, and the result without each input's byte count (the encodings' sizes differ). */
function analyze(files: string[], cwd: string, options: { input?: Buffer; threads?: boolean } = {}) {
  const r = ostrace(['analyze', '--format', 'json', ...files], cwd, options);
  expect(r.code, r.stderr).toBe(0);
  const result = JSON.parse(r.stdout) as { inputs: Input[]; flows: Array<{ flow: string; verdict: string }> };
  const bytes = result.inputs.map((i) => i.bytes);
  const comparable = JSON.stringify({ ...result, inputs: result.inputs.map((i) => ({ ...i, bytes: null })) });
  return { result, bytes, comparable, taken: r.taken };
}

describe('a log with a byte-order mark', () => {
  const utf8 = folder('utf8', { 'client.log': command });
  let original: ReturnType<typeof analyze>;
  beforeAll(() => {
    original = analyze(['client.log'], utf8);
  });

  it('is the sample: the recording converted as PowerShell 5 writes it', () => {
    expect(readFileSync(sample)).toEqual(utf16le(command));
    // something to compare: the command, its calls and its flow
    expect(original.result.flows.map((f) => [f.flow, f.verdict])).toEqual([['client/server-add-volume', 'complete']]);
    expect(original.result.inputs[0]).toMatchObject({ lines: 95, unrecognizedLines: 2 });
  });

  const variants: Record<string, Buffer> = {
    'UTF-16LE (FF FE, CRLF)': utf16le(command),
    'UTF-16BE (FE FF, CRLF)': utf16be(command),
    'UTF-8 with its mark (EF BB BF)': Buffer.concat([MARK.utf8, Buffer.from(command)]),
    'gzip of UTF-16LE': gzipSync(utf16le(command)),
  };
  for (const [name, bytes] of Object.entries(variants)) {
    it(`reads ${name} as its UTF-8 original: same lines, calls, commands, flows and findings`, () => {
      const cwd = folder(name.replace(/\W+/g, '-'), { 'client.log': bytes });
      const got = analyze(['client.log'], cwd);
      expect(got.comparable).toBe(original.comparable);
      // progress and the report count the file's bytes as they are on disk
      expect(got.bytes).toEqual([bytes.length]);
      const explained = ostrace(['explain', 'client.log'], cwd);
      expect(explained.stdout).toBe(ostrace(['explain', 'client.log'], utf8).stdout);
    });
  }

  it('reads UTF-16 from standard input', () => {
    const piped = analyze(['-'], utf8, { input: utf16le(command) });
    const pipedUtf8 = analyze(['-'], utf8, { input: Buffer.from(command) });
    expect(piped.comparable).toBe(pipedUtf8.comparable);
    expect(piped.bytes).toEqual([utf16le(command).length]);
  });

  it('reads UTF-16 service logs in the second thread as in the program’s', () => {
    const names = ['client.log', 'nova-api.log', 'nova-compute.log'];
    const text = Object.fromEntries(names.map((n) => [n, readFileSync(join(recording, n), 'utf8')]));
    const cwd16 = folder('services-utf16', Object.fromEntries(names.map((n) => [n, utf16le(text[n]!)])));
    const cwd8 = folder('services-utf8', text);
    const one = analyze(names, cwd8, { threads: false });
    const two = analyze(names, cwd16, { threads: true });
    expect(two.taken).toBeGreaterThan(0);
    expect(two.comparable).toBe(one.comparable);
    expect(two.bytes).toEqual(names.map((n) => statSync(join(cwd16, n)).size));
    // the service side of the attach and detach is read from them (incomplete: cinder's logs are not given)
    expect(two.result.flows.filter((f) => f.flow.startsWith('server/')).map((f) => f.flow)).toEqual([
      'server/attach-volume',
      'server/detach-volume',
    ]);
  });

  it('reads a UTF-16 log in a directory, not skipped as binary', () => {
    const parent = folder('directory', {});
    folder('directory/logs', { 'client.log': utf16le(command) });
    const r = ostrace(['analyze', '--format', 'json', 'logs'], parent);
    expect(r.stderr).toContain('logs: read 1 log file\n');
    const result = JSON.parse(r.stdout) as { inputs: Input[] };
    expect(result.inputs.map((i) => [i.lines, i.unrecognizedLines])).toEqual([[95, 2]]);
  });
});

// UTF-16 without its mark (`iconv -t UTF-16LE`, Python's `encoding='utf-16-le'` write none) was
// read as UTF-8, a NUL between letters, every line unrecognized; its first bytes, ASCII
// code units beside NUL bytes, tell it. A binary file's NUL bytes still tell nothing of the kind.
describe('a UTF-16 log without its mark', () => {
  const utf8 = folder('unmarked-utf8', { 'client.log': command });
  let original: ReturnType<typeof analyze>;
  beforeAll(() => {
    original = analyze(['client.log'], utf8);
  });
  const le = (text: string) => Buffer.from(crlf(text), 'utf16le');
  const be = (text: string) => le(text).swap16();

  const variants: Record<string, Buffer> = {
    'UTF-16LE': le(command),
    'UTF-16BE': be(command),
    'gzip of UTF-16LE': gzipSync(le(command)),
  };
  for (const [name, bytes] of Object.entries(variants)) {
    it(`reads ${name} without a mark as its UTF-8 original`, () => {
      const cwd = folder(`unmarked-${name.replace(/\W+/g, '-')}`, { 'client.log': bytes });
      const got = analyze(['client.log'], cwd);
      expect(got.comparable).toBe(original.comparable);
      expect(got.bytes).toEqual([bytes.length]);
      const explained = ostrace(['explain', 'client.log'], cwd);
      expect(explained.stdout).toBe(ostrace(['explain', 'client.log'], utf8).stdout);
      // no warning: a file read by its mark gets none either
      expect(explained.stderr).not.toContain('warning');
    });
  }

  it('reads it from standard input', () => {
    const piped = analyze(['-'], utf8, { input: le(command) });
    expect(piped.comparable).toBe(analyze(['-'], utf8, { input: Buffer.from(command) }).comparable);
  });

  it('reads service logs without a mark in the second thread as in the program’s', () => {
    const names = ['client.log', 'nova-api.log', 'nova-compute.log'];
    const text = Object.fromEntries(names.map((n) => [n, readFileSync(join(recording, n), 'utf8')]));
    const cwd16 = folder('unmarked-services', Object.fromEntries(names.map((n) => [n, le(text[n]!)])));
    const one = analyze(names, folder('unmarked-services-utf8', text), { threads: false });
    const two = analyze(names, cwd16, { threads: true });
    expect(two.taken).toBeGreaterThan(0);
    expect(two.comparable).toBe(one.comparable);
  });

  it('reads it in a directory, where a binary file is still skipped', () => {
    const parent = folder('unmarked-directory', {});
    folder('unmarked-directory/logs', {
      'client.log': le(command),
      // NUL bytes, but no ASCII text beside them
      'core.log': Buffer.concat([Buffer.from('7f454c46020101000000000000000000', 'hex'), Buffer.alloc(200)]),
    });
    const r = ostrace(['analyze', '--format', 'json', 'logs'], parent);
    expect(r.stderr).toContain('logs: read 1 log file, skipped 1 (binary)\n');
    const result = JSON.parse(r.stdout) as { inputs: Input[] };
    expect(result.inputs.map((i) => [i.name, i.lines, i.unrecognizedLines])).toEqual([['logs/client.log', 95, 2]]);
  });
});
