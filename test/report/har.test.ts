// `--format har`: the client's session as HAR 1.2, valid against the HAR schema
// (har-schema), every client request with its headers, bodies and status, secrets masked.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';
import { harReporter } from '../../src/report/har.js';
import { analyzed, SAMPLES } from './helpers.js';

const require = createRequire(import.meta.url);
const harSchemas = require('har-schema') as Record<string, object>;
const ajv = new Ajv.default({ strict: false, allErrors: true });
ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
for (const schema of Object.values(harSchemas)) ajv.addSchema(schema);
const validate = ajv.getSchema('har.json#')!;

interface Entry {
  pageref?: string;
  startedDateTime: string;
  time: number;
  _timing: string;
  _exchange: number;
  request: {
    method: string;
    url: string;
    headers: Array<{ name: string; value: string }>;
    postData?: { text: string };
  };
  response: { status: number; content: { text?: string; mimeType: string } };
}
const harOf = (text: string, name = 'client.log') => {
  const { result, details } = analyzeText([{ name, text }], { keepDetails: true });
  const out = JSON.parse(harReporter.render(result, { color: false, showSecrets: false, details })) as {
    log: { pages: Array<{ id: string; title: string }>; entries: Entry[] };
  };
  return { result, har: out };
};
const sample = (p: string) => readFileSync(new URL(`../../samples/${p}`, import.meta.url), 'utf8');

describe('har of a real osc 6 recording (attach answered 409)', () => {
  const { result, har } = harOf(sample('real-osc/server-add-volume-409.log'));

  it('is valid HAR 1.2', () => {
    expect(validate(har), ajv.errorsText(validate.errors)).toBe(true);
  });

  it("has every client request in order, with method, URL and status, under its command's page", () => {
    const client = result.exchanges.filter((e) => e.side === 'client');
    expect(har.log.entries.map((e) => [e._exchange, e.request.method, e.response.status])).toEqual(
      client.map((e) => [e.id, e.method, e.status]),
    );
    expect(har.log.pages).toEqual([expect.objectContaining({ id: 'command-1', title: 'openstack server add volume' })]);
    expect(har.log.entries.every((e) => e.pageref === 'command-1')).toBe(true);
  });

  it("carries headers and bodies: the attach POST body and nova's 409 answer", () => {
    const post = har.log.entries.find(
      (e) => e.request.method === 'POST' && e.request.url.endsWith('/os-volume_attachments'),
    )!;
    expect(JSON.parse(post.request.postData!.text)).toEqual({
      volumeAttachment: expect.objectContaining({ volumeId: expect.any(String) }),
    });
    expect(post.response.status).toBe(409);
    expect(post.response.content.text).toContain('conflictingRequest');
    expect(post.request.headers.some((h) => h.name === 'X-Auth-Token' && h.value.startsWith('{SHA256}'))).toBe(true);
    // the log has no timestamps: the Date header's second places each request
    expect(post._timing).toBe('date-header');
    expect(post.startedDateTime).toMatch(/^2026-11-25T\d\d:\d\d:\d\d\.000Z$/);
  });
});

describe('har of the timed sample', () => {
  const { run, ctx } = analyzed(SAMPLES.timed);
  const har = JSON.parse(harReporter.render(run, ctx)) as { log: { entries: Entry[] } };

  it('takes start and duration from the --log-file timestamps', () => {
    expect(validate(har), ajv.errorsText(validate.errors)).toBe(true);
    const byId = new Map(run.exchanges.map((e) => [e.id, e]));
    const timed = har.log.entries.filter((e) => e._timing === 'log');
    expect(timed.length).toBeGreaterThan(10);
    for (const e of timed) {
      const x = byId.get(e._exchange)!;
      expect(e.startedDateTime).toBe(`${x.startedAt!.replace(' ', 'T')}Z`.replace(/(\.\d{3})\d*Z$/, '$1Z'));
      expect(e.time).toBe(x.durationMs ?? 0);
    }
  });
});

describe('har and secrets', () => {
  it('masks the password of a token request body and a clear token header', () => {
    const text = sample('lint/secrets.log');
    const { har } = harOf(text, 'secrets.log');
    const out = JSON.stringify(har);
    expect(out).not.toContain('gAAAAABbRBMqClearTokenValue0123456789abcdef');
    expect(out).not.toContain('s3cr3t-Pa55');
    expect(out).toContain('***');
  });
});

describe('har of a long session: at most --max-entries entries, the failed first, then the slowest', () => {
  const { run, ctx } = analyzed(SAMPLES.timed);
  type Har = { log: { comment?: string; pages: Array<{ id: string }>; entries: Entry[] } };
  const har = (maxEntries: number) => JSON.parse(harReporter.render(run, { ...ctx, maxEntries })) as Har;
  const client = run.exchanges.filter((e) => e.side === 'client');
  const failed = client.filter((e) => !e.complete || (e.status !== null && e.status >= 400));

  it('keeps failed requests over faster and slower successful ones, in log order, and says so', () => {
    expect(failed.length).toBeGreaterThan(2);
    const out = har(2);
    expect(validate(out), ajv.errorsText(validate.errors)).toBe(true);
    expect(out.log.entries.map((e) => e._exchange)).toEqual(failed.slice(0, 2).map((e) => e.id));
    expect(out.log.entries.every((e) => e.response.status >= 400)).toBe(true);
    expect(out.log.comment).toBe(
      `2 of ${client.length} entries: the failed or unanswered first (${failed.length - 2} of them left out), then the slowest; --max-entries all lists every one`,
    );
    // only the pages of the entries kept
    expect(out.log.pages.map((p) => p.id)).toEqual([...new Set(out.log.entries.map((e) => e.pageref))]);
  });

  it('fills up with the slowest successful requests', () => {
    const out = har(failed.length + 2);
    expect(validate(out), ajv.errorsText(validate.errors)).toBe(true);
    const slowest = client
      .filter((e) => !failed.includes(e))
      .sort((a, b) => b.durationMs! - a.durationMs!)
      .slice(0, 2);
    expect(slowest.map((e) => e.durationMs)).toEqual([1081, 792]);
    expect(out.log.entries.map((e) => e._exchange)).toEqual(
      [...failed, ...slowest].map((e) => e.id).sort((a, b) => a - b),
    );
    expect(out.log.comment).toBe(
      `${failed.length + 2} of ${client.length} entries: the failed or unanswered first, then the slowest; --max-entries all lists every one`,
    );
  });

  it('lists every entry, as without a bound, when they fit', () => {
    const unbounded = harReporter.render(run, { ...ctx, maxEntries: 0 });
    expect(harReporter.render(run, ctx)).toBe(unbounded);
    expect(harReporter.render(run, { ...ctx, maxEntries: client.length })).toBe(unbounded);
    const all = JSON.parse(unbounded) as Har;
    expect(all.log.comment).toBeUndefined();
    expect(all.log.entries).toHaveLength(client.length);
  });
});
