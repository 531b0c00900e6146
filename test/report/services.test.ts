// Reports of a run with the services' logs too (the real minicloud run: timed client log,
// nova-api, nova-compute, cinder-api, cinder-volume): service families, capped critical
// paths, service step markers on the timeline views, flow verdict cards and links.
import type { FlowResult } from '../../src/model/flow-schema.js';
import type { Finding } from '../../src/model/schema.js';
import { readFileSync } from 'node:fs';
import { Lexer, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { htmlReporter } from '../../src/report/html.js';
import { markdownReporter, MAX_CRITICAL_PATHS } from '../../src/report/markdown.js';
import { analyzed, analyzedWithServices, samplePath, SAMPLES } from './helpers.js';

const novaCompute = readFileSync(samplePath('samples/timed/services/nova-compute.log'), 'utf8').split('\n');
/** The line number of the first nova-compute.log line containing a text. */
const novaComputeLine = (text: string) => novaCompute.findIndex((l) => l.includes(text)) + 1;

describe('markdown report with service logs', () => {
  const { run, ctx } = analyzedWithServices();
  const text = markdownReporter.render(run, ctx);
  const tokens = Lexer.lex(text);
  const headings = tokens.filter((t): t is Tokens.Heading => t.type === 'heading').map((t) => t.text);

  it('shows only the longest critical paths, longest first, and says how many were left out', () => {
    const all = run.stats!.criticalPath;
    expect(all.length).toBeGreaterThan(MAX_CRITICAL_PATHS);
    const shown = headings.filter((h) => h.startsWith('Critical path of chain '));
    expect(shown).toHaveLength(MAX_CRITICAL_PATHS);
    const chainIds = shown.map((h) => Number(/chain (\d+)/.exec(h)![1]));
    const spanOf = (id: number) => run.chains.find((c) => c.id === id)!.spanMs!;
    const longest = [...run.chains]
      .filter((c) => all.some((p) => p.chain === c.id))
      .sort((a, b) => b.spanMs! - a.spanMs!)
      .slice(0, MAX_CRITICAL_PATHS)
      .map((c) => c.id);
    expect(chainIds).toEqual(longest);
    expect(chainIds.map(spanOf)).toEqual(chainIds.map(spanOf).sort((a, b) => b - a));
    expect(text).toContain(`${all.length - MAX_CRITICAL_PATHS} shorter chain(s) left out`);
  });

  it('groups the by-service table by family so compute sits with nova-api', () => {
    const i = tokens.findIndex((t) => t.type === 'heading' && (t as Tokens.Heading).text === 'By service');
    const table = tokens.slice(i).find((t): t is Tokens.Table => t.type === 'table')!;
    const rows = table.rows.map((r) => r.slice(0, 3).map((c) => c.text));
    const at = rows.findIndex((r) => r[2] === 'compute');
    expect(rows[at]).toEqual(['compute ↔ nova-api', 'client', 'compute']);
    // the family is named once, on its first row
    expect(rows[at + 1]).toEqual(['', 'server', 'nova-api']);
  });

  it('lists the service events with the request they served', () => {
    const i = tokens.findIndex((t) => t.type === 'heading' && (t as Tokens.Heading).text.startsWith('Service events'));
    expect(i).toBeGreaterThan(0);
    const table = tokens.slice(i).find((t): t is Tokens.Table => t.type === 'table')!;
    expect(table.rows).toHaveLength(run.serviceEvents.length);
    const cols = table.header.map((c) => c.text);
    const attach = table.rows.find((r) => r[cols.indexOf('marker')]!.text === '`nova.attach.start`')!;
    // nova-compute works under nova-api's request id, which is the client's attach POST
    const post = run.exchanges.find(
      (e) => e.side === 'client' && e.method === 'POST' && e.path?.endsWith('/os-volume_attachments'),
    )!;
    expect(attach[cols.indexOf('exchange')]!.text).toBe(`#${post.id}`);
    expect(attach[cols.indexOf('command')]!.text).toBe(String(post.command));
    expect(attach[cols.indexOf('where')]!.text).toBe(
      `samples/timed/services/nova-compute.log:${novaComputeLine('Attaching volume')}`,
    );
  });

  it('draws the markers as notes in the sequence diagram of their command, on the right lifeline', () => {
    const seq = tokens.filter(
      (t): t is Tokens.Code => t.type === 'code' && t.lang === 'mermaid' && t.text.startsWith('sequenceDiagram'),
    );
    const attach = seq.find((c) => c.text.includes('Attaching volume'))!;
    expect(attach.text).toContain('participant p_compute___nova_api as compute ↔ nova-api');
    expect(attach.text).toMatch(
      /^ {4}Note over p_nova_compute: Attaching volume a0f00d83-6c4e-40b7-bca0-f372e48e57aa to \/dev\/sdb$/m,
    );
    // cinder's attachment update came from nova-compute (RPC worker), not from nova-api
    expect(attach.text).toMatch(
      /p_nova_compute->>p_block_storage__volumev3___cinder_api: #\d+ PUT \/v3\/\{id\}\/attachments\/\{id\}/,
    );
    // the note sits between the calls it happened between (by time)
    const lines = attach.text.split('\n');
    const note = lines.findIndex((l) => l.includes('Attaching volume'));
    const put = lines.findIndex((l) => l.includes('PUT /v3/{id}/attachments/{id}'));
    expect(note).toBeLessThan(put);
  });

  it('is deterministic', () => {
    const again = analyzedWithServices();
    expect(markdownReporter.render(again.run, again.ctx)).toBe(text);
  });
});

describe('html report with service logs', () => {
  const { run, ctx } = analyzedWithServices();
  const html = htmlReporter.render(run, ctx);
  const ids = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!));

  it('every in-page link has a target', () => {
    const hrefs = [...html.matchAll(/ href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(100);
    for (const h of hrefs) {
      expect(h.startsWith('#')).toBe(true);
      expect(ids.has(h.slice(1)), h).toBe(true);
    }
  });

  it('marks each timed service event on the waterfall and as a note in its chain', () => {
    const timedEvents = run.serviceEvents.filter((e) => e.timestamp !== null);
    // 4 of the volume create (cinder-api, cinder-volume), 12 of the attach and detach.
    expect(timedEvents.length).toBe(16);
    expect(html.match(/<path class="event" data-event="\d+"/g)).toHaveLength(timedEvents.length);
    expect(html.match(/<g class="note">/g)).toHaveLength(run.serviceEvents.length);
    expect(html).toContain('Attaching volume a0f00d83-6c4e-40b7-bca0-f372e48e57aa to /dev/sdb');
    for (let i = 1; i <= run.serviceEvents.length; i++) expect(ids.has(`ev${i}`)).toBe(true);
  });

  it('draws one flow verdict card per flow instance, each step linked to its exchange or log line', () => {
    expect(html.match(/<div class="verdict (complete|incomplete|failed)">/g)).toHaveLength(run.flows.length);
    const attachFlow = run.flows.find((f) => f.flow === 'server/attach-volume')!;
    for (const s of attachFlow.steps.filter((st) => st.exchange !== null))
      expect(html).toContain(`<a class="step matched" href="#x${s.exchange}"`);
    // a step seen only in nova-compute's log links to that line's event row
    const start = attachFlow.steps.find((s) => s.step === 'compute-attach-start')!;
    expect(start.line).toBe(novaComputeLine('Attaching volume'));
    const ev = [...run.serviceEvents].findIndex((e) => e.line === start.line && e.source === start.source) + 1;
    expect(html).toContain(`<a class="step matched" href="#ev${ev}"`);
  });

  it("links an exchange's details to the other side of the request and to the markers logged for it", () => {
    const post = run.exchanges.find(
      (e) => e.side === 'client' && e.method === 'POST' && e.path?.endsWith('/os-volume_attachments'),
    )!;
    const server = run.exchanges.find((e) => e.side === 'server' && e.requestId === post.requestId)!;
    const block = new RegExp(`<details id="x${post.id}"[^>]*>.*?</details>`, 's').exec(html)![0];
    expect(block).toContain(`<dt>server side</dt><dd><a href="#x${server.id}">#${server.id}</a></dd>`);
    const attachStart = [...run.serviceEvents].findIndex((e) => e.marker === 'nova.attach.start') + 1;
    expect(block).toContain(`<a href="#ev${attachStart}">nova.attach.start</a>`);
  });

  it('colours one service family the same on both sides', () => {
    const legend = /<p class="legend">(.*?)<\/p>/.exec(html)![1]!;
    expect(legend).toContain('compute ↔ nova-api');
    expect(legend).not.toMatch(/<\/i>compute</);
  });
});

describe('html findings and failed flows (attach answered 409)', () => {
  const { run, ctx } = analyzed('samples/lint/attach-409.log');
  // the rules stage is not part of the helper's analysis: a finding as the rules write it
  const attach = run.exchanges.find((e) => e.method === 'POST' && e.path?.endsWith('/os-volume_attachments'))!;
  (run.findings as Finding[]).push(
    {
      ruleId: 'http/unexpected-client-error',
      severity: 'error',
      message: 'POST returned 409 <b>conflict</b>',
      source: attach.source,
      line: attach.line,
      exchange: attach.id,
    },
    // a rule that names only the line: linked to the exchange that line belongs to
    {
      ruleId: 'log/truncated-exchange',
      severity: 'warning',
      message: 'cut',
      source: attach.source,
      line: attach.endLine,
      exchange: null,
    },
  );
  run.flows = [
    ...run.flows,
    {
      flow: 'client/server-add-volume',
      variant: 'openstacksdk',
      command: attach.command,
      verdict: 'failed',
      family: 'client',
      requestId: null,
      explains: [],
      steps: [
        {
          step: 'get-server-by-name',
          status: 'matched',
          exchange: 1,
          line: 1,
          message: null,
          source: attach.source,
          observer: 'client',
          after: null,
          requestId: null,
        },
        {
          step: 'attach',
          status: 'failed',
          exchange: attach.id,
          line: attach.line,
          message: 'Attach failed: HTTP 409 <script>x</script>',
          source: attach.source,
          observer: 'client',
          after: null,
          requestId: null,
        },
      ],
    } as FlowResult,
  ];
  const html = htmlReporter.render(run, ctx);

  it('links every finding to its exchange details, by exchange or by line', () => {
    const table = /<table class="findings">(.*?)<\/table>/s.exec(html)![1]!;
    expect(table.match(new RegExp(`<a href="#x${attach.id}">#${attach.id}</a>`, 'g'))).toHaveLength(2);
    expect(html).toContain(`<details id="x${attach.id}"`);
    expect(table).toContain('<span class="badge error">error</span>');
    expect(table).toContain('409 &lt;b&gt;conflict&lt;/b&gt;');
  });

  it('puts the failed step and its message on a red card, failed flows first', () => {
    const first = /<div class="verdict (\w+)">/.exec(html)![1];
    expect(first).toBe('failed');
    const card = /<div class="verdict failed">.*?<\/ol><\/div>/s.exec(html)![0];
    expect(card).toContain(`<a class="step failed" href="#x${attach.id}"`);
    expect(card).toContain('<span class="badge failed">failed</span> <code>attach</code>');
    expect(card).toContain('Attach failed: HTTP 409 &lt;script&gt;x&lt;/script&gt;');
    expect(card).not.toContain('<script>');
  });
});

describe('hostile log text in the new sections', () => {
  // the whole pipeline, so the hostile 400's message reaches the flow card
  const text = readFileSync(samplePath(SAMPLES.hostile), 'utf8');
  const { result, details } = runPipelineOnText([{ name: SAMPLES.hostile, text }], { keepDetails: true });
  const html = htmlReporter.render(result, { color: false, showSecrets: false, details });

  it("shows the failed step's message on the card as text, markup escaped", () => {
    const card = /<div class="verdict failed">.*?<\/ol><\/div>/s.exec(html)![0];
    expect(card).toContain(
      '&lt;script&gt;window.__pwned=6&lt;/script&gt; &lt;iframe src=&quot;http://198.51.100.7/frame&quot;&gt;',
    );
    expect(card).not.toMatch(/<(script|iframe|style)/i);
    expect(html).not.toMatch(/<(script|img|iframe)/i);
  });
});

describe('expected 4xx on the waterfall', () => {
  it('draws the name-lookup 404s of the attach as expected, not as errors, on the server side too', async () => {
    const { runPipelineOnText } = await import('../../src/pipeline.js');
    const { htmlReporter } = await import('../../src/report/html.js');
    const { readFileSync } = await import('node:fs');
    const dir = new URL('../../samples/multi-service/minicloud-attach/', import.meta.url);
    const inputs = [
      'client.log',
      'nova-api.log',
      'nova-api-uwsgi.log',
      'nova-compute.log',
      'cinder-api.log',
      'cinder-api-uwsgi.log',
      'cinder-volume.log',
    ].map((name) => ({ name, text: readFileSync(new URL(name, dir), 'utf8') }));
    const { result, details } = runPipelineOnText(inputs);
    const html = htmlReporter.render(result, { color: false, showSecrets: false, details });
    const lookup = result.exchanges.find((e) => e.side === 'server' && e.service === 'nova-api' && e.status === 404)!;
    expect(html).toMatch(new RegExp(`<rect class="bar" data-exchange="${lookup.id}"`));
    expect(html).toContain('404 expected');
    expect(html).not.toMatch(new RegExp(`<rect class="bar err" data-exchange="${lookup.id}"`));
  });
});
