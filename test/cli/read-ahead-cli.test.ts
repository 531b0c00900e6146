// A multi-file run reads its service logs in a second thread (src/cli/read-ahead.ts) while the
// program's thread reads the inputs before them, and takes their parts in input order. The
// result must be the one a single thread gives: same JSON on real recordings, with inputs the
// second thread must hand back (a client log, year-less journald lines) and a line rule's
// finding in a log it read. Through the built CLI (the thread is the bundle's ostrace-read.js).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { partReader } from '../../src/cli/read-ahead.js';
import { openSource, type LineSource } from '../../src/input/read.js';
import type { Finding } from '../../src/model/schema.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'dist/bin/ostrace.js');
const recording = join(root, 'samples/minicloud/01-attach-detach');
const logsOf = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => join(dir, f));

/** `threads`: whether a second thread may read (the size it needs set to 0 or out of reach). */
const analyze = (files: string[], threads: boolean) => {
  const r = spawnSync(process.execPath, [cli, 'analyze', '--format', 'json', ...files], {
    env: {
      ...process.env,
      OSTRACE_READ_AHEAD_BYTES: threads ? '0' : String(2 ** 50),
      OSTRACE_TRACE_STAGES: '1',
    },
    maxBuffer: 1 << 28,
  });
  expect(r.status).toBe(0);
  const note = /stage read .*\((\d+) of (\d+) inputs read by a second thread\)/.exec(r.stderr.toString());
  return { json: r.stdout.toString('utf8'), taken: note ? Number(note[1]) : 0 };
};

describe('service logs read by a second thread', () => {
  it('gives the JSON one thread gives on the real attach/detach recording', () => {
    const files = logsOf(recording);
    const one = analyze(files, false);
    const two = analyze(files, true);
    expect(one.taken).toBe(0);
    // the second thread read service logs from the last one back (how many depends on how fast
    // each thread goes: this one reads the first ones meanwhile)
    expect(two.taken).toBeGreaterThan(0);
    expect(two.json).toBe(one.json);
    // the service-side flows are rebuilt from the logs it read
    const result = JSON.parse(two.json) as { flows: Array<{ flow: string; verdict: string }> };
    expect(result.flows.filter((f) => f.flow.startsWith('server/')).map((f) => [f.flow, f.verdict])).toEqual([
      ['server/volume-create', 'complete'],
      ['server/attach-volume', 'complete'],
      ['server/detach-volume', 'complete'],
    ]);
  });

  it('hands back what only the run can read, and forwards the lines a line rule reads', () => {
    const files = logsOf(recording).filter((f) => !f.endsWith('client.log'));
    // last, so the second thread tries them first: a client log (its exchanges are numbered in
    // the run's order), journald lines without a year (the run's year), a cinder-api log whose
    // ERROR line is a known bug (rule known-bug/lp-2004555 reads it)
    const knownBug = join(root, 'samples/lint/known-bug-2004555.log');
    const handed = [
      join(recording, 'client.log'),
      join(root, 'samples/field/lxc-devstack-journal-uwsgi/lxc-devstack-journal-uwsgi.log'),
      knownBug,
    ];
    const one = analyze([...files, ...handed], false);
    const two = analyze([...files, ...handed], true);
    expect(two.taken).toBeGreaterThan(0);
    expect(two.json).toBe(one.json);
    const findings = (JSON.parse(two.json) as { findings: Finding[] }).findings;
    expect(findings.filter((f) => f.ruleId === 'known-bug/lp-2004555').map((f) => [f.source, f.line])).toEqual([
      [knownBug, 2],
    ]);
    expect(findings.some((f) => f.ruleId === 'secret/password' && f.source?.endsWith('client.log'))).toBe(true);
  });

  it('leaves a pipe given as a file (`<(…)`) to the run: it can be read only once', () => {
    const files = logsOf(recording).filter((f) => !f.endsWith('client.log'));
    const client = join(recording, 'client.log');
    // bash's process substitution: the client log as /dev/fd/N, a pipe, last (the second thread's first pick)
    const r = spawnSync(
      'bash',
      ['-c', `"$0" "$@" <(cat "${client}")`, process.execPath, cli, 'analyze', '--format', 'json', ...files],
      {
        env: { ...process.env, OSTRACE_READ_AHEAD_BYTES: '0' },
        maxBuffer: 1 << 28,
      },
    );
    expect(r.status).toBe(0);
    const piped = JSON.parse(r.stdout.toString('utf8')) as {
      inputs: Array<{ name: string; lines: number }>;
      commands: unknown[];
    };
    const given = JSON.parse(analyze([...files, client], false).json) as typeof piped;
    expect(piped.inputs.at(-1)!.name).toMatch(/^\/dev\/fd\/\d+$/);
    expect(piped.inputs.at(-1)!.lines).toBe(given.inputs.at(-1)!.lines);
    expect(piped.commands.length).toBe(given.commands.length);
  });
});

describe('the reading thread', () => {
  it('says how far it has read a file before it hands the part over, for the progress bar', async () => {
    // the real nova-api log of the recording, repeated to a few MB
    const dir = mkdtempSync(join(tmpdir(), 'ostrace-read-'));
    try {
      const api = readFileSync(join(recording, 'nova-api.log'), 'utf8');
      const file = join(dir, 'nova-api.log');
      writeFileSync(file, api.repeat(Math.ceil((2 * 1024 * 1024) / api.length)));
      const worker = new Worker(join(root, 'dist/bin/ostrace-read.js'), {
        workerData: { lineInterests: [], progressEveryMs: 0 },
      });
      const messages: Array<{ id: number; bytes?: number; result?: { bytesRead?: number; fallback?: string } }> = [];
      await new Promise<void>((resolve, reject) => {
        worker.on('error', reject);
        worker.on('message', (m: (typeof messages)[number]) => {
          messages.push(m);
          if (m.result) resolve();
        });
        worker.postMessage({ id: 7, path: file });
      });
      await worker.terminate();
      const done = messages.at(-1)!;
      expect(done.result?.fallback).toBeUndefined();
      expect(done.result?.bytesRead).toBe(statSync(file).size);
      const progress = messages.slice(0, -1).map((m) => m.bytes!);
      expect(messages.every((m) => m.id === 7)).toBe(true);
      expect(progress.length).toBeGreaterThan(1);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(progress.at(-1)).toBeLessThanOrEqual(statSync(file).size);

      // The run's side: the thread's progress moves that input's bytes and the bar while it reads.
      const sources = await Promise.all([join(recording, 'client.log'), file].map((p) => openSource(p)));
      const seen: number[] = [];
      const onProgress = (s: LineSource) => void (s === sources[1] && seen.push(s.bytesRead()));
      const previous = process.env.OSTRACE_READ_AHEAD_BYTES;
      process.env.OSTRACE_READ_AHEAD_BYTES = '0';
      const reader = partReader(
        sources,
        { lineInterests: [], onProgress },
        { script: pathToFileURL(join(root, 'dist/bin/ostrace-read.js')), progressEveryMs: 0 },
      );
      if (previous === undefined) delete process.env.OSTRACE_READ_AHEAD_BYTES;
      else process.env.OSTRACE_READ_AHEAD_BYTES = previous;
      const result = await reader!.read(sources[1]!);
      reader!.close();
      expect('part' in result).toBe(true);
      expect(seen.length).toBeGreaterThan(1);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(seen.at(-1)).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
