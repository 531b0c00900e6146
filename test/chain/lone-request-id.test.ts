// keystoneauth's summary line (`GET call to volumev3 for http://… used request id req-…`) read
// with, or without, the REQ/urllib3/RESP lines of the same request, on a real recording
// (minicloud 01's client log) and on real published lines: a request is one exchange.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const CLIENT = readFileSync(new URL('../../samples/minicloud/01-attach-detach/client.log', import.meta.url), 'utf8');
const SUMMARY = / used request id req-/;
const REQ_OR_URLLIB3 = /^REQ: |^http:\/\/\S+ "[A-Z]+ \S+ HTTP\/1\.1" \d+/;

const analyze = (lines: string[]) =>
  runPipelineOnText([{ name: 'client.log', text: lines.join('\n') }]).result.exchanges.filter(
    (e) => e.side === 'client',
  );
const lines = CLIENT.split('\n');
const full = analyze(lines);
const byRequestId = new Map(full.map((e) => [e.requestId, e]));

describe('keystoneauth summary line', () => {
  it('adds no exchange to a request shown with its REQ, urllib3 and RESP lines', () => {
    const withoutSummaries = analyze(lines.filter((l) => !SUMMARY.test(l)));
    expect(lines.filter((l) => SUMMARY.test(l)).length).toBeGreaterThan(10);
    expect(full.map((e) => [e.method, e.path, e.status, e.requestId])).toEqual(
      withoutSummaries.map((e) => [e.method, e.path, e.status, e.requestId]),
    );
  });

  it('alone, is one exchange with method, path and request id, status unknown', () => {
    const summaries = lines.filter((l) => SUMMARY.test(l));
    const lone = analyze(summaries);
    expect(lone).toHaveLength(summaries.length);
    for (const e of lone) {
      const seen = byRequestId.get(e.requestId);
      expect(seen, e.requestId ?? 'no id').toBeDefined();
      expect([e.method, e.path, e.status, e.complete]).toEqual([seen!.method, seen!.path, null, true]);
    }
  });

  it('after a RESP shown without its REQ, names that response’s method and path', () => {
    const cut = analyze(lines.filter((l) => !REQ_OR_URLLIB3.test(l)));
    const named = lines.filter((l) => SUMMARY.test(l)).join('\n');
    const summarised = full.filter((e) => e.requestId !== null && named.includes(e.requestId));
    expect(summarised.length).toBeGreaterThan(10);
    for (const e of summarised) {
      const seen = cut.find((x) => x.requestId === e.requestId);
      expect(seen, e.requestId ?? 'no id').toBeDefined();
      expect([seen!.method, seen!.path, seen!.status]).toEqual([e.method, e.path, e.status]);
    }
  });

  it('logged twice (keystoneauth and novaclient) is one exchange', () => {
    const text = readFileSync(new URL('../../samples/formats/ksa-pre35-nova-cli.log', import.meta.url), 'utf8');
    const all = text.split('\n');
    const ids = all.filter((l) => SUMMARY.test(l)).map((l) => l.slice(l.lastIndexOf(' ') + 1));
    expect(new Set(ids).size).toBeLessThan(ids.length);
    expect(analyze(all).filter((e) => e.status === null)).toEqual([]);
  });
});
