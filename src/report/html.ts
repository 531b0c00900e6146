// `--format html -o report.html`: one self-contained page. The markdown report's
// sections rendered with marked, inline SVG charts (waterfall, latency histograms,
// sequence diagrams) and collapsible exchange details. No script at all, no network:
// a strict Content-Security-Policy, and every piece of log text escaped twice over
// (escaped before it enters the markdown, and marked's renderer escapes raw HTML,
// refuses images and makes only in-page links clickable). The sections are
// html-sections.ts, the stylesheet html-style.ts; the exchange details are here.
import type { ExchangeDetail } from '../core/analysis.js';
import type { Header } from '../core/records.js';
import type { RunResult } from '../model/schema.js';
import { maskText } from '../secrets/mask.js';
import { pathTemplate } from '../stats/template.js';
import { durationOf } from '../stats/timing.js';
import { placeEvents } from './charts/events.js';
import { escapeXml as escapeHtml, formatMs } from './charts/svg.js';
import { MAX_EXCHANGE_DETAILS } from './bounded.js';
import { pageLinks, renderSections, section, type PageLinks } from './html-sections.js';
import { STYLE } from './html-style.js';
import type { ReportContext, Reporter } from './types.js';

export const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export const htmlReporter: Reporter = {
  id: 'html',
  description:
    'Self-contained HTML report (no scripts, no network): tables, waterfall, histograms, flow verdicts, exchange details',
  needsDetails: true,
  render(run, ctx) {
    const clean = (t: string) => (ctx.showSecrets ? t : maskText(t));
    const events = placeEvents(run);
    const links = pageLinks(events);
    const { body, nav } = renderSections(run, ctx, events, clean, links);
    body.push(section('details', detailsHtml(run, ctx, links)));
    nav.push(['details', 'Exchange details']);
    const title = `ostrace report: ${run.inputs.map((i) => i.name).join(', ') || 'no input'}`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(clean(title))}</title>
<style>${STYLE}</style>
</head>
<body>
<nav>${nav.map(([id, t]) => `<a href="#${escapeHtml(id)}">${escapeHtml(t)}</a>`).join('')}</nav>
<main>
${body.join('\n')}
</main>
</body>
</html>
`;
  },
};

// ---- exchange details --------------------------------------------------------------

/**
 * A detail row per exchange; a long run's page has one for each exchange it links to
 * (the rows listed, the flow steps and findings shown, the bars drawn), read as they stream.
 */
function detailsHtml(run: RunResult, ctx: ReportContext, links: PageLinks): string {
  const clean = (t: string) => (ctx.showSecrets ? t : maskText(t));
  const out = ['<h2>Exchange details</h2>'];
  if (ctx.details.size === 0) out.push('<p>Headers and bodies were not kept for this report.</p>');
  const all = run.exchanges.length <= MAX_EXCHANGE_DETAILS;
  if (!all)
    out.push(
      `<p class="muted">${escapeHtml(`The ${links.linked.size} exchanges this page links to, of ${run.exchanges.length}: --format json has every exchange, --format har every header and body.`)}</p>`,
    );
  const findingsBy = new Map<number, string[]>();
  for (const f of run.findings)
    if (f.exchange !== null) {
      const list = findingsBy.get(f.exchange);
      const text = `${f.severity}: ${f.message}`;
      if (list) list.push(text);
      else findingsBy.set(f.exchange, [text]);
    }
  // The other side of the same request, and the step markers logged while serving it.
  const twin = new Map<number, number>();
  for (const p of run.stats?.pairs ?? []) {
    // (a long run: only between detail rows on the page)
    if (!all && !(links.linked.has(p.client) && links.linked.has(p.server))) continue;
    twin.set(p.client, p.server);
    twin.set(p.server, p.client);
  }
  // the service events listed on the page, by the exchange they served
  const eventsBy = new Map<number, Array<{ index: number; marker: string }>>();
  for (const p of links.events.rows)
    if (p.exchange) {
      const item = { index: p.index, marker: p.event.marker };
      const list = eventsBy.get(p.exchange.id);
      if (list) list.push(item);
      else eventsBy.set(p.exchange.id, [item]);
    }
  for (const e of run.exchanges) {
    if (!all && !links.linked.has(e.id)) continue;
    const d = ctx.details.get(e.id);
    const ms = durationOf(e);
    const cls = e.status !== null && e.status >= 400 ? 'err' : !e.complete ? 'warn' : 'ok';
    const summary = `<span class="id">#${e.id}</span> <span class="m">${escapeHtml(e.method ?? '?')}</span> ${escapeHtml(clean(pathTemplate(e.path) ?? '?'))} <span class="st ${cls}">${e.status ?? 'no response'}</span> <span class="svc">${escapeHtml(e.service ?? '')}</span>${ms === null ? '' : ` <span class="ms">${escapeHtml(formatMs(ms))}</span>`}`;
    const parts: string[] = [];
    parts.push(
      `<dl><dt>url</dt><dd><code>${escapeHtml(clean(e.url ?? '?'))}</code></dd><dt>where</dt><dd>${escapeHtml(e.source)}:${e.line}–${e.endLine}</dd>${e.requestId ? `<dt>request id</dt><dd><code>${escapeHtml(e.requestId)}</code></dd>` : ''}${e.startedAt ? `<dt>started</dt><dd>${escapeHtml(e.startedAt)}</dd>` : ''}${e.error?.message ? `<dt>error</dt><dd>${escapeHtml(clean(`${e.error.code ?? 'error'}: ${e.error.message}`))}</dd>` : ''}` +
        `${twin.has(e.id) ? `<dt>${e.side === 'client' ? 'server side' : 'client side'}</dt><dd><a href="#x${twin.get(e.id)!}">#${twin.get(e.id)!}</a></dd>` : ''}` +
        `${
          eventsBy.has(e.id)
            ? `<dt>service events</dt><dd>${eventsBy
                .get(e.id)!
                .map((ev) => `<a href="#ev${ev.index}">${escapeHtml(ev.marker)}</a>`)
                .join(', ')}</dd>`
            : ''
        }</dl>`,
    );
    for (const f of findingsBy.get(e.id) ?? []) parts.push(`<p class="finding">${escapeHtml(clean(f))}</p>`);
    if (d) parts.push(detailBlocks(d, clean));
    out.push(
      `<details id="x${e.id}"${cls === 'err' ? ' class="err"' : ''}><summary>${summary}</summary>${parts.join('')}</details>`,
    );
  }
  return out.join('\n');
}

function detailBlocks(d: ExchangeDetail, clean: (t: string) => string): string {
  const blocks: string[] = [];
  const headers = (title: string, list: Header[] | null) => {
    if (!list || list.length === 0) return;
    blocks.push(`<h4>${title}</h4><pre>${escapeHtml(clean(list.map(([k, v]) => `${k}: ${v}`).join('\n')))}</pre>`);
  };
  const bodyBlock = (title: string, body: string | null) => {
    if (body === null || body === '') return;
    blocks.push(`<h4>${title}</h4><pre>${escapeHtml(clean(pretty(body)))}</pre>`);
  };
  headers('Request headers', d.requestHeaders);
  bodyBlock('Request body', d.requestBody);
  headers('Response headers', d.responseHeaders);
  bodyBlock('Response body', d.responseBody);
  return blocks.join('');
}

/** JSON bodies indented; anything else as logged. */
function pretty(body: string): string {
  const t = body.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.stringify(JSON.parse(t), null, 2);
    } catch {
      return body;
    }
  }
  return body;
}
