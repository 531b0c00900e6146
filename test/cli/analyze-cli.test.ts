// The built CLI, end to end: stdin, several files, gzip, unreadable input, colour.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunResult } from '../../src/model/schema.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'dist/bin/ostrace.js');
const seedPath = join(root, 'samples/seed-attach-volume/client.log');
const seed = readFileSync(seedPath, 'utf8');

function ostrace(args: string[], input?: string | Buffer, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    input,
    cwd: root,
    env: { ...process.env, NO_COLOR: '', ...env },
  });
  return { code: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

const json = (s: string) =>
  JSON.parse(s) as {
    inputs: Array<{ name: string; lines: number }>;
    exchanges: Array<{ source: string; status: number; path: string }>;
    commands: unknown[];
  };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ostrace-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ostrace analyze', () => {
  it('reads standard input when no file is given (the piped use)', () => {
    const r = ostrace(['analyze', '--format', 'json'], seed);
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out.inputs[0]!.name).toBe('<stdin>');
    expect(out.exchanges).toHaveLength(9);
  });

  it('is the default command', () => {
    const r = ostrace(['--format', 'json', seedPath]);
    expect(r.code).toBe(0);
    expect(json(r.stdout).exchanges).toHaveLength(9);
  });

  it('analyzes several files together, each exchange remembering its source', () => {
    const second = join(dir, 'second.log');
    writeFileSync(second, seed);
    const r = ostrace(['analyze', '--format', 'json', seedPath, second]);
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out.inputs.map((i) => i.name)).toEqual([seedPath, second]);
    expect(out.exchanges).toHaveLength(18);
    expect(out.exchanges[0]!.source).toBe(seedPath);
    expect(out.exchanges[17]!.source).toBe(second);
    expect(out.commands).toHaveLength(2);
  });

  it('detects gzip by its magic bytes, from a file and from stdin', () => {
    const gz = join(dir, 'seed.log.gz');
    writeFileSync(gz, gzipSync(seed));
    expect(json(ostrace(['analyze', '-f', 'json', gz]).stdout).exchanges).toHaveLength(9);
    expect(json(ostrace(['analyze', '-f', 'json', '-'], gzipSync(seed)).stdout).exchanges).toHaveLength(9);
  });

  it('reads CRLF line ends and keeps a last line without newline', () => {
    const crlf = seed.trimEnd().replace(/\n/g, '\r\n');
    const out = json(ostrace(['analyze', '-f', 'json'], crlf).stdout);
    expect(out.exchanges).toHaveLength(9);
    expect(out.inputs[0]!.lines).toBe(seed.trimEnd().split('\n').length);
    expect(out.exchanges[2]!.path).toBe('/compute/v2.1/servers/vm-ml-1');
  });

  it('replaces invalid UTF-8 instead of failing', () => {
    const bad = Buffer.concat([
      Buffer.from(seed.slice(0, 200)),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from(seed.slice(200)),
    ]);
    const r = ostrace(['analyze', '-f', 'json'], bad);
    expect(r.code).toBe(0);
    expect(json(r.stdout).exchanges).toHaveLength(9);
  });

  it('exits 2 with one line naming an unreadable file', () => {
    const missing = ostrace(['analyze', join(dir, 'nope.log')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('nope.log');
    const locked = join(dir, 'locked.log');
    writeFileSync(locked, seed);
    chmodSync(locked, 0o000);
    const r = ostrace(['analyze', locked]);
    // root can read anything; then the file simply analyzes.
    expect(r.code === 2 ? r.stderr.includes('locked.log') : r.code === 0).toBe(true);
  });

  it('exits 2 on a usage error', () => {
    const r = ostrace(['analyze', '--format', 'yaml', seedPath]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('yaml');
  });

  it('--max-entries bounds the HAR and OTLP exports; a bad value is a usage error (exit 2, one line)', () => {
    const timed = join(root, 'samples/timed/client.log');
    const har = ostrace(['analyze', '--format', 'har', '--max-entries', '2', timed]);
    expect(har.code).toBe(0);
    const log = (
      JSON.parse(har.stdout) as { log: { comment: string; entries: Array<{ response: { status: number } }> } }
    ).log;
    expect(log.entries.map((e) => e.response.status)).toEqual([404, 404]);
    expect(log.comment).toMatch(/^2 of 54 entries: /);
    expect(har.stderr).toBe('');
    const all = ostrace(['analyze', '--format', 'har', '--max-entries', 'all', timed]);
    expect(JSON.parse(all.stdout).log.entries).toHaveLength(54);
    expect(ostrace(['analyze', '--format', 'har', timed]).stdout).toBe(all.stdout);
    const otlp = ostrace(['analyze', '--format', 'otlp', '--max-entries', '1', timed]);
    const traces = new Set(
      (
        JSON.parse(otlp.stdout) as {
          resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ traceId: string }> }> }>;
        }
      ).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans.map((x) => x.traceId))),
    );
    expect(traces.size).toBe(1);
    for (const bad of ['-1', 'ten', '1.5', '']) {
      const r = ostrace(['analyze', '--format', 'har', '--max-entries', bad, timed]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('--max-entries');
    }
  });

  it('never colours with NO_COLOR, even when asked', () => {
    const plain = ostrace(['analyze', '--color', seedPath], undefined, { NO_COLOR: '1' });
    expect(plain.stdout).not.toMatch(/\x1b\[/);
    const coloured = ostrace(['analyze', '--color', seedPath]);
    expect(coloured.stdout).toMatch(/\x1b\[/);
    expect(ostrace(['analyze', seedPath]).stdout).not.toMatch(/\x1b\[/); // not a TTY
  });

  it('writes JSON that its own zod schema accepts, one array element per line', () => {
    const multi = ['client.log', 'nova-api.log', 'nova-compute.log', 'cinder-api.log', 'cinder-volume.log'].map((f) =>
      join(root, 'samples/multi-service/minicloud-attach', f),
    );
    for (const args of [[seedPath], multi]) {
      const r = ostrace(['analyze', '-f', 'json', ...args]);
      expect(r.code).toBe(0);
      const parsed = RunResult.safeParse(JSON.parse(r.stdout));
      expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
      const lines = r.stdout.split('\n').filter((l) => l.startsWith('    {"id":'));
      expect(lines.length).toBeGreaterThanOrEqual(9);
    }
  });

  it('prints the JSON Schema of its output', () => {
    const r = ostrace(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['schemaVersion', 'inputs', 'exchanges', 'commands', 'findings']),
    );
  });

  it('writes the report to a file with -o', () => {
    const out = join(dir, 'report.json');
    const r = ostrace(['analyze', '-f', 'json', '-o', out, seedPath]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(json(readFileSync(out, 'utf8')).exchanges).toHaveLength(9);
  });

  it('stops quietly when the reader closes the pipe (`… | head -1`)', () => {
    // A report far larger than a pipe's buffer: the writer meets the closed pipe.
    const big = join(dir, 'many.log');
    writeFileSync(big, Array.from({ length: 300 }, () => seed).join('\n'));
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" analyze -f json "${big}" | head -1`], {
      cwd: root,
    });
    expect(r.stdout.toString()).toBe('{\n');
    expect(r.stderr.toString()).toBe('');
  });

  it('keeps the run in memory, with a one-line warning, when no temporary file can be written', () => {
    const timed = join(root, 'samples/timed/client.log');
    const normal = ostrace(['analyze', '-f', 'json', timed]);
    const r = ostrace(['analyze', '-f', 'json', timed], undefined, {
      TMPDIR: join(dir, 'missing'),
      OSTRACE_SPILL_AFTER: '1',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(normal.stdout);
    expect(r.stderr).toMatch(
      /^ostrace: cannot write temporary files in .*missing.*; keeping the whole run in memory\n$/,
    );
  });
});
