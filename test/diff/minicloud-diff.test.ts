// `diff` on the real recordings: a clean attach/detach against the failing backend
// names the failed attachment update and the missing completion; clean against clean
// shows no flow divergence. Library level (diffRuns), then the built CLI's exit codes.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diffRuns } from '../../src/diff/index.js';
import type { RunResult } from '../../src/model/schema.js';
import { runPipelineOnText } from '../../src/pipeline.js';
import { ostrace } from '../cli/built-cli.js';

const root = fileURLToPath(new URL('../../samples/minicloud/', import.meta.url));

function run(folder: string): RunResult {
  const dir = readdirSync(root).find((d) => d.startsWith(folder))!;
  const names = readdirSync(`${root}${dir}`)
    .filter((n) => n.endsWith('.log'))
    .sort();
  return runPipelineOnText(names.map((name) => ({ name, text: readFileSync(`${root}${dir}/${name}`, 'utf8') }))).result;
}

describe('diff on samples/minicloud', () => {
  const clean = run('01');

  it('01 clean vs 04 failing backend: the attach diverges at the attachment update, the completion is missing', () => {
    const d = diffRuns(clean, run('04'));
    expect(d.worse).toBe(true);
    const attach = d.flows.filter((f) => f.match === 'matched');
    expect(attach.map((f) => [f.flow, f.command, f.base?.verdict, f.head?.verdict])).toEqual([
      ['server/attach-volume', 'server add volume', 'complete', 'failed'],
    ]);
    const f = attach[0]!;
    expect(f.firstDivergence).toMatchObject({
      step: 'attachment-update',
      change: 'failed',
      base: 'matched',
      head: 'failed',
      source: 'cinder-api.log',
      line: 94,
    });
    expect(f.steps.find((s) => s.step === 'attachment-complete')).toMatchObject({ change: 'missing', head: null });
    expect(f.steps.find((s) => s.step === 'attachment-delete-rollback')?.change).toBe('new');
    expect(d.newHttpErrors.map((e) => [e.service, e.method, e.template, e.status, e.head])).toEqual([
      ['cinder-api', 'PUT', '/v3/{id}/attachments/{id}', 500, 1],
    ]);
    expect(d.newFindingKinds.map((k) => k.ruleId).sort()).toEqual([
      'api/instance-action-error',
      'flow/attach-rolled-back',
      'flow/failed-step',
      'http/server-error',
      'service/error-logged',
    ]);
  });

  it('01 vs 01: every flow instance matched, nothing diverged, not worse', () => {
    const d = diffRuns(clean, run('01'));
    expect(d.worse).toBe(false);
    expect(d.matchedFlows).toBe(clean.flows.length);
    expect(d.flows).toEqual([]);
    expect(d.newHttpErrors).toEqual([]);
    // Same recording: every endpoint timed on both sides, no shift.
    expect(d.latency.length).toBeGreaterThan(0);
    expect(d.latency.every((l) => l.p50Ratio === 1 && l.base.timed === l.head.timed)).toBe(true);
  });

  it('01 vs 06 (another clean recording): the shared flows match without divergence; the old-style detach is only in HEAD', () => {
    const d = diffRuns(clean, run('06'));
    expect(d.worse).toBe(false);
    expect(d.flows.filter((f) => f.match === 'matched')).toEqual([]);
    expect(d.matchedFlows).toBe(3);
    expect(d.flows.filter((f) => f.match === 'head-only').map((f) => [f.flow, f.variant, f.head?.verdict])).toEqual([
      ['server/detach-volume', 'old-style', 'complete'],
    ]);
  });

  it('04 vs 01: the failure fixed is not worse', () => {
    const d = diffRuns(run('04'), clean);
    expect(d.worse).toBe(false);
    const attach = d.flows.find((f) => f.flow === 'server/attach-volume')!;
    expect(attach.steps.find((s) => s.step === 'attachment-update')?.change).toBe('fixed');
  });
});

describe('ostrace diff (built CLI)', () => {
  const a = 'samples/minicloud/01-attach-detach/';
  const b = 'samples/minicloud/04-attach-driver-error/';

  it('exits 1 when HEAD is worse and names the failed step', () => {
    const r = ostrace(['diff', a, b]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('first divergence: failed attachment-update');
    expect(r.stdout).toContain('missing attachment-complete');
  });

  it('exits 0 for the same recording on both sides; JSON and markdown formats', () => {
    const r = ostrace(['diff', a, a, '--format', 'json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { worse: boolean }).worse).toBe(false);
    expect(ostrace(['diff', a, b, '--format', 'markdown']).stdout).toMatch(/^# ostrace diff/);
  });

  it('takes several files per side with --base/--head', () => {
    const r = ostrace([
      'diff',
      '--base',
      `${a}client.log`,
      '--base',
      `${a}cinder-api.log`,
      '--head',
      `${b}client.log`,
      '--head',
      `${b}cinder-api.log`,
      '--format',
      'json',
    ]);
    const d = JSON.parse(r.stdout) as { base: { inputs: string[] }; newHttpErrors: Array<{ status: number }> };
    expect(d.base.inputs).toEqual([`${a}client.log`, `${a}cinder-api.log`]);
    expect(d.newHttpErrors.map((e) => e.status)).toEqual([500]);
    expect(r.code).toBe(1);
  });

  it('reads gzip like analyze: a gzipped copy of a log diffs to the plain one as not worse', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ostrace-diff-'));
    try {
      const gz = join(dir, 'client.log.gz');
      writeFileSync(gz, gzipSync(readFileSync(`${a}client.log`)));
      const r = ostrace(['diff', `${a}client.log`, gz, '--format', 'json']);
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as { matchedFlows: number }).matchedFlows).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 on a usage or input error', () => {
    expect(ostrace(['diff', a]).code).toBe(2);
    expect(ostrace(['diff', a, 'no/such/dir']).code).toBe(2);
    expect(ostrace(['diff', a, b, '--format', 'html']).code).toBe(2);
  });
});

describe('diff pairs operations by the command line that ran them', () => {
  // The client log of 03 (an attach, then a second attach of the same volume refused as in-use),
  // cut at the recording's command markers: HEAD runs the refused attach first.
  const text = readFileSync(`${root}03-attach-in-use-error/client.log`, 'utf8');
  const commands = text.split(/(?=^===== \S+ \S+ \$ )/m);
  const clientRun = (parts: string[]) => runPipelineOnText([{ name: 'client.log', text: parts.join('') }]).result;
  const base = clientRun(commands);
  const head = clientRun([commands[2]!, commands[3]!, commands[0]!, commands[1]!, ...commands.slice(4)]);

  it('an attach meets the attach typed alike, wherever it ran: nothing diverged', () => {
    expect(commands).toHaveLength(6);
    const attaches = base.flows.filter((f) => f.flow === 'client/server-add-volume');
    expect(attaches.map((f) => f.verdict)).toEqual(['complete', 'failed']);
    const d = diffRuns(base, head);
    expect(d.flows).toEqual([]);
    expect(d.matchedFlows).toBe(base.flows.length);
    expect(d.worse).toBe(false);
  });
});
