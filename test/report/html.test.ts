// The HTML report as text: self-contained, strict CSP, no script, log text escaped.
import { readFileSync } from 'node:fs';
import { runPipelineOnText } from '../../src/pipeline.js';
import { describe, expect, it } from 'vitest';
import { CSP, htmlReporter } from '../../src/report/html.js';
import { analyzed, analyzedWithServices, SAMPLES } from './helpers.js';

describe('html report of the timed sample', () => {
  const { run, ctx } = analyzed(SAMPLES.timed);
  const html = htmlReporter.render(run, ctx);

  it('is one self-contained page: CSP meta, no script, no external URL in attributes', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${CSP}">`);
    expect(CSP).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\s(src|href)="(?!#)/);
    expect(html).not.toMatch(/<link\b/i);
  });

  it('draws one waterfall bar per timed exchange and one details block per exchange', () => {
    expect(html.match(/<rect class="bar( err)?" data-exchange="\d+"/g)).toHaveLength(run.stats!.timed);
    // errors in red: the 12 answers ≥ 400 of the sample
    expect(html.match(/<rect class="bar err" data-exchange="\d+"/g)).toHaveLength(
      run.exchanges.filter((e) => e.status !== null && e.status >= 400).length,
    );
    expect(html.match(/<details id="x\d+"/g)).toHaveLength(run.exchanges.length);
    expect(html.match(/<svg class="histogram"/g)).toHaveLength(run.stats!.byService.length);
  });

  it('renders the markdown tables and links exchange ids to their details', () => {
    expect(html).toContain('<h2>Exchanges (54)</h2>');
    expect(html).toContain('<a href="#x32">#32</a>');
    expect(html).not.toContain('```mermaid');
  });

  it('pretty-prints JSON bodies in the details', () => {
    expect(html).toContain('&quot;volumeAttachment&quot;: {\n');
  });

  it('is deterministic', () => {
    const again = analyzed(SAMPLES.timed);
    expect(htmlReporter.render(again.run, again.ctx)).toBe(html);
  });
});

describe('html report of hostile log text', () => {
  const { run, ctx } = analyzed(SAMPLES.hostile);
  const html = htmlReporter.render(run, ctx);

  it('escapes every tag and makes no javascript: link', () => {
    expect(html).not.toMatch(/<(script|img|iframe|svg onload|style>body)/i);
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('&lt;script&gt;document.title=');
    expect(html).toContain('&lt;img src=x onerror=');
    // the only <style> is the report's own
    expect(html.match(/<style>/g)).toHaveLength(1);
  });
});

describe('secrets in details', () => {
  it('masks passwords in bodies unless --show-secrets', () => {
    const { run, ctx } = analyzed(SAMPLES.timed);
    const id = run.exchanges.at(0)!.id;
    const d = ctx.details.get(id)!;
    const details = new Map([
      [
        id,
        {
          ...d,
          requestBody: '{"auth": {"identity": {"password": {"user": {"name": "admin", "password": "s3cr3t-pw"}}}}}',
        },
      ],
    ]);
    expect(htmlReporter.render(run, { ...ctx, details })).not.toContain('s3cr3t-pw');
    expect(htmlReporter.render(run, { ...ctx, details, showSecrets: true })).toContain('s3cr3t-pw');
  });
});

describe('html ids', () => {
  it('are unique on the page, with several sequence diagrams (client + service logs)', () => {
    const { run, ctx } = analyzedWithServices();
    const html = htmlReporter.render(run, ctx);
    expect(html.match(/<svg class="sequence"/g)!.length).toBeGreaterThan(1);
    const ids = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]!);
    expect(ids.length).toBeGreaterThan(10);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    // every local reference lands on an id of the page
    const refs = [...html.matchAll(/(?:href="#|url\(#)([^")]+)/g)].map((m) => m[1]!);
    const known = new Set(ids);
    expect(refs.filter((r) => !known.has(r))).toEqual([]);
  });
});

describe('html report: a flow replayed from requests outside any command', () => {
  it('says where its requests start (the legacy `nova volume-update` of minicloud 20)', () => {
    const base = new URL('../../samples/minicloud/20-swap-attached/', import.meta.url);
    const inputs = ['client.log'].map((name) => ({ name, text: readFileSync(new URL(name, base), 'utf8') }));
    const { result, details } = runPipelineOnText(inputs, { keepDetails: true });
    const html = htmlReporter.render(result, { color: false, showSecrets: false, details });
    expect(html).toContain('client/server-swap-volume');
    expect(html).toContain('requests outside any command, from client.log:360');
  });
});
