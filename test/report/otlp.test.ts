// `--format otlp`: the timed requests of the client and service logs as one OTLP/JSON
// trace per command, server requests under the client request that caused them.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CLIENT_SERVICE, otlpReporter } from '../../src/report/otlp.js';
import { analyzed, analyzedWithServices, SAMPLES } from './helpers.js';

const hex = (n: number) => z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`));
const Attr = z.object({
  key: z.string(),
  value: z.union([z.object({ stringValue: z.string() }), z.object({ intValue: z.string().regex(/^-?\d+$/) })]),
});
const Span = z
  .object({
    traceId: hex(32),
    spanId: hex(16),
    parentSpanId: z.union([z.literal(''), hex(16)]),
    name: z.string().min(1),
    kind: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    startTimeUnixNano: z.string().regex(/^\d{19}$/),
    endTimeUnixNano: z.string().regex(/^\d{19}$/),
    attributes: z.array(Attr),
    status: z.object({ code: z.union([z.literal(0), z.literal(2)]), message: z.string().optional() }),
  })
  .strict();
const Otlp = z
  .object({
    resourceSpans: z.array(
      z.object({
        resource: z.object({ attributes: z.array(Attr) }),
        scopeSpans: z.array(
          z.object({ scope: z.object({ name: z.literal('ostrace'), version: z.string() }), spans: z.array(Span) }),
        ),
      }),
    ),
  })
  .strict();
type Span = z.infer<typeof Span>;

function spansOf(json: string): Array<Span & { service: string }> {
  const otlp = Otlp.parse(JSON.parse(json));
  return otlp.resourceSpans.flatMap((rs) => {
    const service = (rs.resource.attributes.find((a) => a.key === 'service.name')!.value as { stringValue: string })
      .stringValue;
    return rs.scopeSpans.flatMap((s) => s.spans.map((span) => ({ ...span, service })));
  });
}
const attr = (s: Span, key: string) => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v === undefined ? undefined : 'stringValue' in v ? v.stringValue : Number(v.intValue);
};

describe('otlp trace of the timed client log with its service logs', () => {
  const { run, ctx } = analyzedWithServices();
  const json = otlpReporter.render(run, ctx);
  const spans = spansOf(json);
  const byId = new Map(spans.map((s) => [s.spanId, s]));

  it('has a span per timed exchange and a root per command, every parent in the same trace', () => {
    const timedClient = run.exchanges.filter(
      (e) => e.side === 'client' && e.startedAt !== null && e.durationMs !== null && e.timing !== 'date-header',
    );
    const timedServer = run.exchanges.filter(
      (e) => e.side === 'server' && e.startedAt !== null && (e.durationMs ?? e.serverTimeMs) !== null,
    );
    expect(spans.filter((s) => s.kind === 3)).toHaveLength(timedClient.length);
    expect(spans.filter((s) => s.kind === 2)).toHaveLength(timedServer.length);
    expect(spans.filter((s) => s.kind === 1)).toHaveLength(new Set(timedClient.map((e) => e.command)).size);
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);
    for (const s of spans) {
      if (s.parentSpanId === '') continue;
      expect(byId.get(s.parentSpanId)?.traceId).toBe(s.traceId);
      expect(BigInt(s.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(s.startTimeUnixNano));
    }
  });

  it("puts nova-api under the client's attach call and cinder-api under nova-api", () => {
    const attach = spans.find(
      (s) =>
        s.kind === 3 &&
        String(attr(s, 'url.path')).endsWith('/os-volume_attachments') &&
        attr(s, 'http.request.method') === 'POST',
    )!;
    expect(attach.service).toBe(CLIENT_SERVICE);
    expect(byId.get(attach.parentSpanId)?.name).toBe('openstack server add volume');
    const nova = spans.filter((s) => s.parentSpanId === attach.spanId);
    expect(nova.map((s) => s.service)).toEqual(['nova-api']);
    expect(attr(nova[0]!, 'openstack.request_id')).toBe(attr(attach, 'openstack.request_id'));
    const cinder = spans.filter(
      (s) =>
        s.service === 'cinder-api' && byId.get(s.parentSpanId)?.service === 'nova-api' && s.traceId === attach.traceId,
    );
    expect(cinder.map((s) => s.name)).toEqual(expect.arrayContaining(['POST /v3/{id}/attachments']));
  });

  it('marks failed requests and commands as errors, with the status as error.type', () => {
    const failed = spans.filter((s) => s.kind === 3 && Number(attr(s, 'http.response.status_code')) >= 400);
    expect(failed.length).toBeGreaterThan(0);
    for (const s of failed) {
      expect(s.status.code).toBe(2);
      expect(attr(s, 'error.type')).toBe(String(attr(s, 'http.response.status_code')));
    }
  });

  it('is deterministic (ids derive from the log, not from chance)', () => {
    const again = analyzedWithServices();
    expect(otlpReporter.render(again.run, again.ctx)).toBe(json);
  });

  it('a long run is written in batches, a resource per service in each, with the same spans', () => {
    const saved = process.env.OSTRACE_SPILL_AFTER;
    process.env.OSTRACE_SPILL_AFTER = '3';
    let batched: string;
    try {
      batched = [...otlpReporter.chunks!(run, ctx)].join('');
    } finally {
      if (saved === undefined) delete process.env.OSTRACE_SPILL_AFTER;
      else process.env.OSTRACE_SPILL_AFTER = saved;
    }
    const resources = Otlp.parse(JSON.parse(batched)).resourceSpans.length;
    expect(resources).toBeGreaterThan(Otlp.parse(JSON.parse(json)).resourceSpans.length);
    const key = (list: Array<Span & { service: string }>) => list.map((s) => JSON.stringify(s)).sort();
    expect(key(spansOf(batched))).toEqual(key(spans));
  });
});

describe('otlp of a log without timing', () => {
  it('has no spans (a request without a start and a duration cannot be drawn)', () => {
    const { run, ctx } = analyzed(SAMPLES.seed);
    expect(spansOf(otlpReporter.render(run, ctx))).toEqual([]);
  });
});

describe('otlp of a long run: at most --max-entries traces, whole, those with a failed span first', () => {
  const { run, ctx } = analyzedWithServices();
  const every = spansOf(otlpReporter.render(run, { ...ctx, maxEntries: 0 }));
  // The traces of the full export: whether a span failed, the slowest span, the spans in log order.
  const traces = new Map<string, { failed: boolean; slowest: bigint; spans: string[] }>();
  for (const s of every) {
    const t = traces.get(s.traceId) ?? { failed: false, slowest: 0n, spans: [] };
    t.failed ||= s.status.code === 2;
    const ms = BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano);
    if (ms > t.slowest) t.slowest = ms;
    t.spans.push(JSON.stringify(s));
    traces.set(s.traceId, t);
  }
  const failed = [...traces.keys()].filter((id) => traces.get(id)!.failed);
  const bounded = (maxEntries: number) => {
    const json = otlpReporter.render(run, { ...ctx, maxEntries });
    const otlp = Otlp.parse(JSON.parse(json));
    const notes = otlp.resourceSpans.map((rs) =>
      Object.fromEntries(rs.resource.attributes.filter((a) => a.key !== 'service.name').map((a) => [a.key, a.value])),
    );
    return { json, spans: spansOf(json), notes };
  };

  it('the sample has failed traces and a successful one slower than some of them', () => {
    expect(failed.length).toBeGreaterThan(1);
    const ok = [...traces.values()].filter((t) => !t.failed);
    expect(ok.some((t) => failed.some((id) => traces.get(id)!.slowest < t.slowest))).toBe(true);
  });

  it('keeps the first failed trace over a slower successful one, whole, and says what it left out', () => {
    const { spans, notes } = bounded(1);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([failed[0]]));
    expect(spans.map((s) => JSON.stringify(s)).sort()).toEqual([...traces.get(failed[0]!)!.spans].sort());
    const left = every.length - spans.length;
    for (const note of notes)
      expect(note).toEqual({
        'ostrace.omitted_traces': { intValue: String(traces.size - 1) },
        'ostrace.omitted_spans': { intValue: String(left) },
        'ostrace.omitted': { stringValue: expect.stringContaining('--max-entries all') },
      });
  });

  it('fills up with the slowest successful traces, every parent in its own trace', () => {
    const { spans } = bounded(failed.length + 2);
    const ok = [...traces.keys()].filter((id) => !traces.get(id)!.failed);
    const slowestOk = [...ok].sort((a, b) => Number(traces.get(b)!.slowest - traces.get(a)!.slowest)).slice(0, 2);
    // not simply the first two successful ones
    expect(slowestOk).not.toEqual(ok.slice(0, 2));
    const kept = [...failed, ...slowestOk];
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set(kept));
    expect(spans.map((s) => JSON.stringify(s)).sort()).toEqual(kept.flatMap((id) => traces.get(id)!.spans).sort());
    const ids = new Set(spans.map((s) => s.spanId));
    for (const s of spans) if (s.parentSpanId !== '') expect(ids.has(s.parentSpanId)).toBe(true);
  });

  it('writes every trace, as without a bound, when they fit', () => {
    const unbounded = otlpReporter.render(run, { ...ctx, maxEntries: 0 });
    expect(otlpReporter.render(run, ctx)).toBe(unbounded);
    const atBound = bounded(traces.size);
    expect(atBound.json).toBe(unbounded);
    expect(atBound.notes.every((n) => Object.keys(n).length === 0)).toBe(true);
  });
});
