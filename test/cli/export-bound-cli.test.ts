// The HAR and OTLP exports of a long run are bounded by default (`--max-entries`, 1000), through
// the built CLI: a generated `--log-file` log (timed requests) with more client requests than
// that; older nova logs (a trace per request) with such a log (a trace per command) beside them.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_EXPORT_ITEMS } from '../../src/report/bounded.js';
import { generateLogFile } from '../bench/generate.js';
import { generateOldServices } from '../bench/old-services.js';
import { tempDirs } from '../temp-dirs.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'dist/bin/ostrace.js');
const tempDir = tempDirs('ostrace-export-bound-');

interface Har {
  log: {
    comment?: string;
    pages: Array<{ id: string }>;
    entries: Array<{ pageref?: string; _exchange: number; time: number; response: { status: number } }>;
  };
}
const har = (args: string[]) => {
  const r = spawnSync(process.execPath, [cli, 'analyze', '--format', 'har', ...args], { maxBuffer: 1 << 30 });
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout.toString('utf8')) as Har;
};

describe('the HAR of a session longer than the default bound', () => {
  let log = '';
  beforeAll(async () => {
    log = join(tempDir(), 'osc.log');
    await generateLogFile(log, 2_000_000, 7);
  });

  it(`lists ${MAX_EXPORT_ITEMS} entries, every failed one among them, and says how many there were`, () => {
    const all = har(['--max-entries', 'all', log]).log;
    const bounded = har([log]).log;
    expect(all.entries.length).toBeGreaterThan(MAX_EXPORT_ITEMS);
    expect(all.comment).toBeUndefined();
    expect(bounded.entries).toHaveLength(MAX_EXPORT_ITEMS);
    expect(bounded.comment).toMatch(new RegExp(`^${MAX_EXPORT_ITEMS} of ${all.entries.length} entries: `));
    // fewer failed than the bound: all of them kept, the rest the slowest, in log order
    const failed = (h: Har['log']) => h.entries.filter((e) => e.response.status === 0 || e.response.status >= 400);
    expect(failed(all).length).toBeGreaterThan(0);
    expect(failed(bounded).map((e) => e._exchange)).toEqual(failed(all).map((e) => e._exchange));
    // and no successful request left out was slower than one listed
    const listed = new Set(bounded.entries.map((e) => e._exchange));
    const ok = (e: Har['log']['entries'][number]) => e.response.status > 0 && e.response.status < 400;
    const slowestLeftOut = Math.max(...all.entries.filter((e) => ok(e) && !listed.has(e._exchange)).map((e) => e.time));
    const fastestListed = Math.min(...bounded.entries.filter(ok).map((e) => e.time));
    expect(fastestListed).toBeGreaterThanOrEqual(slowestLeftOut);
    expect(fastestListed).toBeGreaterThan(Math.min(...all.entries.map((e) => e.time))); // times differ
    const ids = bounded.entries.map((e) => e._exchange);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // a page for every command with an entry listed, none for the others
    expect(new Set(bounded.pages.map((p) => p.id))).toEqual(new Set(bounded.entries.map((e) => e.pageref)));
  }, 120_000);
});

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: { code: number };
}
interface Otlp {
  resourceSpans: Array<{
    resource: { attributes: Array<{ key: string; value: { intValue?: string; stringValue?: string } }> };
    scopeSpans: Array<{ spans: OtlpSpan[] }>;
  }>;
}
const otlp = (args: string[]) => {
  const r = spawnSync(process.execPath, [cli, 'analyze', '--format', 'otlp', ...args], { maxBuffer: 1 << 30 });
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout.toString('utf8')) as Otlp;
};
/** Each trace's spans, their worst status and their longest span (ns). */
function traces(o: Otlp): Map<string, { spans: OtlpSpan[]; failed: boolean; longest: bigint }> {
  const out = new Map<string, { spans: OtlpSpan[]; failed: boolean; longest: bigint }>();
  for (const span of o.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))) {
    const t = out.get(span.traceId) ?? { spans: [], failed: false, longest: 0n };
    t.spans.push(span);
    t.failed ||= span.status.code === 2;
    const ns = BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano);
    if (ns > t.longest) t.longest = ns;
    out.set(span.traceId, t);
  }
  return out;
}
const omitted = (o: Otlp, key: string) =>
  o.resourceSpans[0]!.resource.attributes.find((a) => a.key === key)?.value.intValue ?? null;

describe('the OTLP export of a run with more traces than the default bound', () => {
  let files: string[] = [];
  beforeAll(async () => {
    const dir = tempDir();
    files = await generateOldServices(dir, 1_500_000, 7);
    const session = join(dir, 'osc.log');
    await generateLogFile(session, 300_000, 11);
    files.push(session);
  });

  it(`writes ${MAX_EXPORT_ITEMS} whole traces, failed first, then the slowest, and says what it left out`, () => {
    const all = otlp(['--max-entries', 'all', ...files]);
    const bounded = otlp(files);
    const every = traces(all);
    const listed = traces(bounded);
    expect(every.size).toBeGreaterThan(MAX_EXPORT_ITEMS);
    expect(omitted(all, 'ostrace.omitted_traces')).toBeNull();
    expect(listed.size).toBe(MAX_EXPORT_ITEMS);
    const spansOf = (m: typeof every) => [...m.values()].reduce((n, t) => n + t.spans.length, 0);
    expect(omitted(bounded, 'ostrace.omitted_traces')).toBe(String(every.size - MAX_EXPORT_ITEMS));
    expect(omitted(bounded, 'ostrace.omitted_spans')).toBe(String(spansOf(every) - spansOf(listed)));
    // whole traces: a command's trace has several spans, all of them listed with their parents
    expect([...listed.values()].some((t) => t.spans.length > 2)).toBe(true);
    for (const [id, t] of listed) expect(t.spans.length).toBe(every.get(id)!.spans.length);
    const spanIds = new Set([...listed.values()].flatMap((t) => t.spans.map((s) => s.spanId)));
    for (const t of listed.values())
      for (const s of t.spans) if (s.parentSpanId) expect(spanIds).toContain(s.parentSpanId);
    // every failed trace (fewer than the bound), then no trace left out slower than a listed one
    const failed = [...every].filter(([, t]) => t.failed).map(([id]) => id);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(MAX_EXPORT_ITEMS);
    for (const id of failed) expect(listed.has(id)).toBe(true);
    const leftOut = [...every].filter(([id]) => !listed.has(id)).map(([, t]) => t.longest);
    const fastestListed = [...listed.values()].filter((t) => !t.failed).map((t) => t.longest);
    const max = (xs: bigint[]) => xs.reduce((a, b) => (b > a ? b : a));
    const min = (xs: bigint[]) => xs.reduce((a, b) => (b < a ? b : a));
    expect(min(fastestListed) >= max(leftOut)).toBe(true);
    expect(min(fastestListed) > min([...every.values()].map((t) => t.longest))).toBe(true); // times differ
  }, 120_000);
});
