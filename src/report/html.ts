// `--format html -o report.html`: one self-contained page. The markdown report's
// sections rendered with marked, inline SVG charts (waterfall, latency histograms,
// sequence diagrams) and collapsible exchange details. No script at all, no network:
// a strict Content-Security-Policy, and every piece of log text escaped twice over
// (escaped before it enters the markdown, and marked's renderer escapes raw HTML,
// refuses images and makes only in-page links clickable).
import { Marked, type Tokens } from 'marked';
import type { ExchangeDetail } from '../core/analysis.js';
import type { Header } from '../core/records.js';
import type { RunResult } from '../model/schema.js';
import { maskText } from '../secrets/mask.js';
import { familiesOf, familyLookup, UNKNOWN_SERVICE } from '../stats/family.js';
import { pathTemplate } from '../stats/template.js';
import { durationOf, startOf } from '../stats/timing.js';
import { eventText, placeEvents, type PlacedEvent } from './charts/events.js';
import { histogramSvg } from './charts/histogram.js';
import { sequenceSvg } from './charts/sequence.js';
import { colourMap, escapeXml as escapeHtml, formatMs } from './charts/svg.js';
import { waterfallPanels, waterfallSvg, type WaterfallLinks, type WaterfallPanel } from './charts/waterfall.js';
import { exchangeAtLine, markdownSections, type Section } from './markdown.js';
import type { ReportContext, Reporter } from './types.js';

export const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** In-page anchors only: `#x12`, `#timing`. */
const SAFE_HREF = /^#[A-Za-z0-9_-]+$/;

function makeMarked(): Marked {
  return new Marked({
    gfm: true,
    renderer: {
      html({ text }: Tokens.HTML | Tokens.Tag) {
        return escapeHtml(text);
      },
      link(token: Tokens.Link) {
        const inner = this.parser.parseInline(token.tokens);
        return SAFE_HREF.test(token.href) ? `<a href="${escapeHtml(token.href)}">${inner}</a>` : inner;
      },
      image({ text }: Tokens.Image) {
        return escapeHtml(text);
      },
    },
  });
}

export const htmlReporter: Reporter = {
  id: 'html',
  description:
    'Self-contained HTML report (no scripts, no network): tables, waterfall, histograms, flow verdicts, exchange details',
  needsDetails: true,
  render(run, ctx) {
    const marked = makeMarked();
    const md = (text: string) => marked.parse(text, { async: false });
    const clean = (t: string) => (ctx.showSecrets ? t : maskText(t));
    const sections = markdownSections(run, ctx, { linkExchanges: true });
    const body: string[] = [];
    const nav: Array<[string, string]> = [];
    const families = familiesOf(run);
    const familyOf = familyLookup(families);
    // One colour per service family: compute and nova-api are one service.
    const colour = colourMap([
      ...families.map((f) => f.family),
      ...(run.serviceEvents ?? []).map((e) => familyOf('server', e.service)),
    ]);
    const sequenceColour = (p: string) => colour(p);
    const events = placeEvents(run);
    const links = {
      exchange: (id: number) => `#x${id}`,
      event: (index: number) => (events.length >= index ? `#ev${index}` : null),
    };
    for (const s of sections) {
      if (s.kind === 'markdown') {
        if (s.id === 'timing') {
          body.push(section('timing', md(s.text) + histograms(run, colour)));
        } else if (s.id === 'summary') {
          body.push(section(s.id, md(s.text).replace('</h1>', `</h1>${cards(run)}`)));
        } else if (s.id === 'findings') {
          body.push(section(s.id, findingsHtml(run, clean)));
        } else if (s.id === 'flows') {
          body.push(section(s.id, flowsHtml(run, events, clean)));
        } else if (s.id === 'events') {
          body.push(section(s.id, eventsHtml(events, colour, familyOf, clean)));
        } else {
          body.push(section(s.id, md(s.text)));
        }
        if (s.id !== 'summary') nav.push([s.id, titleOf(s)]);
        if (s.id === 'summary') {
          const panels = waterfallPanels(run);
          if (panels.length > 0) {
            body.push(
              section(
                'waterfall',
                `<h2>Waterfall</h2>${legend(run, colour, familyOf, events.length > 0)}${panels.map((p) => waterfallFigure(p, panels.length, colour, links, clean)).join('')}`,
              ),
            );
            nav.push(['waterfall', 'Waterfall']);
          }
        }
      } else if (s.kind === 'sequences') {
        const figures = s.models.map(
          (m) =>
            `<figure><figcaption>${escapeHtml(clean(m.title))}${m.omitted > 0 ? ` (${m.omitted} more not drawn)` : ''}</figcaption><div class="scroll">${sequenceSvg(m, sequenceColour, links)}</div></figure>`,
        );
        body.push(section(s.id, `<h2>${escapeHtml(s.title)}</h2><p>${escapeHtml(s.intro)}</p>${figures.join('')}`));
        nav.push([s.id, s.title]);
      }
      // The gantt is the markdown report's view of the waterfall: not repeated here.
    }
    body.push(section('details', detailsHtml(run, ctx, events)));
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

function waterfallFigure(
  p: WaterfallPanel,
  panels: number,
  colour: (f: string) => string,
  links: WaterfallLinks,
  clean: (t: string) => string,
): string {
  const bars = p.rows.filter((r) => r.kind === 'bar').length;
  const marks = p.rows.length - bars;
  const caption = `${escapeHtml(clean(p.title))} <small>${bars} exchange(s)${marks > 0 ? `, ${marks} service event(s)` : ''}</small>`;
  const svg = `<div class="scroll">${waterfallSvg(p, colour, links)}</div>`;
  // What no command claimed (token checks, periodic tasks) is often long: folded away.
  if (p.command === null && panels > 1) return `<details class="panel"><summary>${caption}</summary>${svg}</details>`;
  return `<figure><figcaption>${caption}</figcaption>${svg}</figure>`;
}

// ---- findings, flows, service events ------------------------------------------------

function findingsHtml(run: RunResult, clean: (t: string) => string): string {
  const out = [`<h2>Findings (${run.findings.length})</h2>`];
  if (run.findings.length === 0) return `${out[0]}<p>No findings.</p>`;
  const exchangeAt = exchangeAtLine(run);
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const sorted = run.findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank[a.f.severity] - rank[b.f.severity] || a.i - b.i);
  out.push(
    '<table class="findings"><thead><tr><th>severity</th><th>rule</th><th>exchange</th><th>where</th><th>message</th></tr></thead><tbody>',
  );
  for (const { f } of sorted) {
    const x = f.exchange ?? exchangeAt(f.source, f.line);
    const where = f.source === null ? '' : `${escapeHtml(f.source)}${f.line === null ? '' : `:${f.line}`}`;
    out.push(
      `<tr class="sev-${f.severity}"><td><span class="badge ${f.severity}">${f.severity}</span></td><td><code>${escapeHtml(f.ruleId)}</code></td>` +
        `<td>${x === null ? '' : `<a href="#x${x}">#${x}</a>`}</td><td class="where">${where}</td><td class="msg">${escapeHtml(clean(f.message))}</td></tr>`,
    );
  }
  out.push('</tbody></table>');
  return out.join('');
}

const VERDICT_RANK: Record<string, number> = { failed: 0, incomplete: 1, complete: 2 };

/** One verdict card per flow instance, problems first: what went wrong, where to look, each step linked. */
function flowsHtml(run: RunResult, events: PlacedEvent[], clean: (t: string) => string): string {
  const commandName = new Map(run.commands.map((c) => [c.id, c.name ?? c.argv.join(' ')] as const));
  const eventAt = (source: string | null, line: number | null) =>
    source === null || line === null
      ? undefined
      : events.find((p) => p.event.source === source && p.event.line <= line && line <= p.event.endLine);
  const order = run.flows
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (VERDICT_RANK[a.f.verdict] ?? 3) - (VERDICT_RANK[b.f.verdict] ?? 3) || a.i - b.i);
  const out = [
    `<h2>Flows (${run.flows.length})</h2>`,
    `<p class="muted">${escapeHtml(countWords(run.flows.map((f) => f.verdict)))}. Each card is one replay of a known OpenStack flow against the logs; every step links to the exchange or service log line that matched it.</p>`,
  ];
  for (const { f } of order) {
    const where = [
      f.variant ? `variant ${f.variant}` : '',
      f.command === null ? '' : `command ${f.command}: ${commandName.get(f.command) ?? ''}`,
      f.requestId ? `request ${f.requestId}` : '',
    ]
      .filter((w) => w !== '')
      .join(' · ');
    const chips = f.steps.map((st, i) => {
      const ev = st.exchange === null ? eventAt(st.source, st.line) : undefined;
      const href = st.exchange !== null ? `#x${st.exchange}` : ev ? `#ev${ev.index}` : null;
      const target = st.exchange !== null ? ` #${st.exchange}` : st.line !== null ? ` ${st.observer}:${st.line}` : '';
      const tip = `${i + 1}. ${st.step}: ${st.status}${st.line === null ? '' : ` at ${st.source ?? ''}:${st.line}`} (seen by ${st.observer})`;
      const inner = `<span class="n">${i + 1}</span>${escapeHtml(st.step)}<small>${escapeHtml(target)}</small>`;
      return href === null
        ? `<span class="step ${escapeHtml(st.status)}" title="${escapeHtml(clean(tip))}">${inner}</span>`
        : `<a class="step ${escapeHtml(st.status)}" href="${escapeHtml(href)}" title="${escapeHtml(clean(tip))}">${inner}</a>`;
    });
    const problems = f.steps
      .map((st, i) => ({ st, i }))
      .filter(({ st }) => st.status !== 'matched' && st.status !== 'skipped');
    const list =
      problems.length === 0
        ? ''
        : `<ol class="problems">${problems
            .map(({ st, i }) => {
              const ev = st.exchange === null ? eventAt(st.source, st.line) : undefined;
              const ref =
                st.exchange !== null
                  ? ` <a href="#x${st.exchange}">#${st.exchange}</a>`
                  : ev
                    ? ` <a href="#ev${ev.index}">${escapeHtml(st.observer)}:${st.line}</a>`
                    : '';
              return `<li value="${i + 1}"><span class="badge ${escapeHtml(st.status)}">${escapeHtml(st.status)}</span> <code>${escapeHtml(st.step)}</code>${ref}<br>${escapeHtml(clean(st.message ?? 'no message'))}</li>`;
            })
            .join('')}</ol>`;
    const counts = countWords(f.steps.map((st) => st.status));
    out.push(
      `<div class="verdict ${escapeHtml(f.verdict)}"><div class="vhead"><span class="badge ${escapeHtml(f.verdict)}">${escapeHtml(f.verdict)}</span> <b>${escapeHtml(f.flow)}</b> <span class="muted">${escapeHtml(clean(where))}</span><span class="counts">${escapeHtml(counts)}</span></div>` +
        `<div class="steps">${chips.join('')}</div>${list}</div>`,
    );
  }
  return out.join('');
}

function eventsHtml(
  events: PlacedEvent[],
  colour: (f: string) => string,
  familyOf: (side: 'client' | 'server', s: string | null) => string,
  clean: (t: string) => string,
): string {
  const out = [
    `<h2>Service events (${events.length})</h2>`,
    '<p class="muted">Step markers the services logged, with the request they worked for (matched by request id, or by the global request id the caller passed on). They are drawn on the waterfall and in the request chains.</p>',
    '<table class="events"><thead><tr><th>#</th><th>time</th><th>service</th><th>marker</th><th>message</th><th>request</th><th>chain</th><th>where</th></tr></thead><tbody>',
  ];
  for (const p of events) {
    const e = p.event;
    out.push(
      `<tr id="ev${p.index}"><td>${p.index}</td><td class="nowrap">${escapeHtml(e.timestamp ?? '')}</td>` +
        `<td class="nowrap"><i class="dot" style="background:${colour(familyOf('server', e.service))}"></i>${escapeHtml(e.service)}</td><td class="nowrap"><code>${escapeHtml(e.marker)}</code></td>` +
        `<td class="msg" title="${escapeHtml(clean(e.message))}">${escapeHtml(clean(eventText(e)))}</td>` +
        `<td>${p.exchange ? `<a href="#x${p.exchange.id}">#${p.exchange.id}</a>` : ''}</td><td>${p.chain ?? ''}</td><td class="where">${escapeHtml(e.source)}:${e.line}</td></tr>`,
    );
  }
  out.push('</tbody></table>');
  return out.join('');
}

function countWords(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
}

/** The numbers a reader looks for first. */
function cards(run: RunResult): string {
  const failed = run.commands.filter((c) => c.exitCode !== 0).length;
  const httpErrors = run.exchanges.filter((e) => e.status !== null && e.status >= 400).length;
  const errorFindings = run.findings.filter((f) => f.severity === 'error').length;
  const slowest = run.stats?.slowest[0];
  const items: Array<[string, string, string]> = [
    [String(run.commands.length), 'commands', failed > 0 ? `${failed} failed` : 'all exit 0'],
    [String(run.exchanges.length), 'HTTP exchanges', `${httpErrors} answered ≥ 400`],
    [String(run.findings.length), 'findings', `${errorFindings} error`],
    [
      slowest ? formatMs(slowest.durationMs) : '–',
      'slowest exchange',
      slowest ? `#${slowest.exchange} ${slowest.method ?? ''} ${slowest.template ?? ''}` : 'no timing',
    ],
  ];
  const bad = (i: number) => (i === 0 && failed > 0) || (i === 2 && errorFindings > 0);
  return `<div class="cards">${items.map(([n, label, sub], i) => `<div class="card${bad(i) ? ' bad' : ''}"><b>${escapeHtml(n)}</b><span>${escapeHtml(label)}</span><small>${escapeHtml(sub)}</small></div>`).join('')}</div>`;
}

function section(id: string, html: string): string {
  return `<section id="${escapeHtml(id)}">${html}</section>`;
}

function titleOf(s: Section): string {
  if (s.kind !== 'markdown') return s.kind === 'sequences' ? s.title : 'Timeline';
  const first = s.text.split('\n').find((l) => l.startsWith('## '));
  return first ? first.slice(3).replace(/ \(\d+\)$/, '') : s.id;
}

function legend(
  run: RunResult,
  colour: (f: string) => string,
  familyOf: (side: 'client' | 'server', s: string | null) => string,
  withEvents: boolean,
): string {
  const used = [
    ...new Set(
      run.exchanges
        .filter((e) => startOf(e) !== null && durationOf(e) !== null)
        .map((e) => familyOf(e.side, e.service)),
    ),
  ].sort();
  const items = used.map((f) => `<span class="key"><i style="background:${colour(f)}"></i>${escapeHtml(f)}</span>`);
  if (run.exchanges.some((e) => e.side === 'server' && durationOf(e) !== null))
    items.push('<span class="key"><i class="srv"></i>lighter: the server\'s own time</span>');
  items.push('<span class="key"><i class="err"></i>error or no response</span>');
  if (withEvents) items.push('<span class="key"><i class="ev"></i>service event</span>');
  return `<p class="legend">${items.join('')}</p>`;
}

function histograms(run: RunResult, colour: (f: string) => string): string {
  const st = run.stats;
  if (!st) return '';
  const groups = new Map<string, number[]>();
  for (const e of run.exchanges) {
    const d = durationOf(e);
    if (d === null) continue;
    const key = `${e.side}\u0000${e.service ?? UNKNOWN_SERVICE}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  // In the by-service table's order: by family, client before server.
  const charts = st.byService.flatMap((s) => {
    const values = groups.get(`${s.side}\u0000${s.service}`);
    return values ? [histogramSvg(`${s.service} (${s.side}, ${values.length})`, values, colour(s.family))] : [];
  });
  return charts.length === 0 ? '' : `<h3>Latency per service</h3><div class="grid">${charts.join('')}</div>`;
}

// ---- exchange details --------------------------------------------------------------

function detailsHtml(run: RunResult, ctx: ReportContext, events: PlacedEvent[]): string {
  const clean = (t: string) => (ctx.showSecrets ? t : maskText(t));
  const out = ['<h2>Exchange details</h2>'];
  if (ctx.details.size === 0) out.push('<p>Headers and bodies were not kept for this report.</p>');
  const findingsBy = new Map<number, string[]>();
  for (const f of run.findings)
    if (f.exchange !== null)
      findingsBy.set(f.exchange, [...(findingsBy.get(f.exchange) ?? []), `${f.severity}: ${f.message}`]);
  // The other side of the same request, and the step markers logged while serving it.
  const twin = new Map<number, number>();
  for (const p of run.stats?.pairs ?? []) {
    twin.set(p.client, p.server);
    twin.set(p.server, p.client);
  }
  const eventsBy = new Map<number, number[]>();
  for (const p of events)
    if (p.exchange) eventsBy.set(p.exchange.id, [...(eventsBy.get(p.exchange.id) ?? []), p.index]);
  for (const e of run.exchanges) {
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
                .map((i) => `<a href="#ev${i}">${escapeHtml(events[i - 1]!.event.marker)}</a>`)
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

const STYLE = `
:root{--fg:#1f2933;--muted:#607080;--line:#e3e8ee;--bg:#f7f9fb;--accent:#0b5cad;--err:#c62828;--warn:#b26a00;--ok:#2e7d32}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
nav{position:sticky;top:0;z-index:1;display:flex;flex-wrap:wrap;gap:4px 14px;padding:8px 24px;background:#17324d;}
nav a{color:#dbe8f5;text-decoration:none;font-size:13px}
nav a:hover{color:#fff;text-decoration:underline}
main{max-width:1280px;margin:0 auto;padding:8px 24px 48px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:4px 20px 16px;margin:16px 0;overflow-x:auto}
h1{font-size:24px;margin:14px 0 6px}
h2{font-size:19px;margin:14px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:16px 0 6px;color:#2b3d50}
table{border-collapse:collapse;margin:6px 0;font-size:12.5px}
th,td{border-bottom:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f0f4f8;font-weight:600;white-space:nowrap}
tr:hover td{background:#f8fbff}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f3f5f7;border-radius:3px;padding:0 3px;overflow-wrap:anywhere}
pre{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f6f8fa;border:1px solid var(--line);border-radius:6px;padding:8px 10px;overflow-x:auto;white-space:pre-wrap;word-break:break-all;max-height:420px}
a{color:var(--accent)}
figure{margin:10px 0 18px}
figcaption{font-weight:600;margin:4px 0;color:#2b3d50}
.scroll{overflow-x:auto}
.grid{display:flex;flex-wrap:wrap;gap:8px 18px}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12px;color:var(--muted)}
.key i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-2px}
svg text{font:11px system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;fill:#37474f}
svg text.label,svg text.msg{font:11px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
svg text.tick,svg text.dur,svg text.reply{fill:#78909c;font-size:10px}
svg text.htitle{font-weight:600}
svg text.pname{fill:#fff;font-weight:600}
svg a text{fill:var(--accent)}
details{border-bottom:1px solid var(--line);padding:3px 0}
details[open]{background:#fbfcfd}
details.err>summary .st{color:var(--err)}
summary{cursor:pointer;font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2px 0}
summary .id{color:var(--muted)}
summary .m{font-weight:700}
summary .svc,summary .ms{color:var(--muted)}
.st.ok{color:var(--ok)}.st.err{color:var(--err)}.st.warn{color:var(--warn)}
details:target{outline:2px solid var(--accent);outline-offset:2px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0;font-size:12.5px}
dt{color:var(--muted)}
dd{margin:0}
h4{margin:10px 0 4px;font-size:12.5px;color:var(--muted)}
.finding{color:var(--err);margin:4px 0}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0 4px}
.card{flex:1 1 180px;border:1px solid var(--line);border-left:4px solid var(--accent);border-radius:6px;padding:8px 12px;background:#fbfdff}
.card.bad{border-left-color:var(--err)}
.card b{display:block;font-size:22px;line-height:1.2}
.card span{display:block;font-weight:600;color:#2b3d50}
.card small{display:block;color:var(--muted);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
td{max-width:560px;overflow-wrap:break-word}
td code{overflow-wrap:anywhere}
th,td.num{white-space:nowrap}
td code{white-space:normal}
td.nowrap code{overflow-wrap:normal}
td.nowrap,.nowrap{white-space:nowrap}
td.where{color:var(--muted);font-size:12px;max-width:320px}
.muted{color:var(--muted)}
small{color:var(--muted);font-weight:400}
.badge{display:inline-block;padding:0 7px;border-radius:9px;font-size:11.5px;font-weight:700;line-height:18px;text-transform:uppercase;letter-spacing:.02em;background:#eceff1;color:#37474f}
.badge.error,.badge.failed,.badge.missing,.badge.mismatched{background:#fdecea;color:var(--err)}
.badge.warning,.badge.incomplete,.badge.out-of-order,.badge.unexpected{background:#fff4e0;color:var(--warn)}
.badge.info,.badge.skipped{background:#e8f0fe;color:var(--accent)}
.badge.complete,.badge.matched{background:#e8f5e9;color:var(--ok)}
tr.sev-error td.msg{color:#8e1b1b}
.verdict{border:1px solid var(--line);border-left:6px solid var(--ok);border-radius:8px;padding:10px 14px;margin:12px 0;background:#fcfefc}
.verdict.failed{border-left-color:var(--err);background:#fffafa}
.verdict.incomplete{border-left-color:var(--warn);background:#fffdf7}
.vhead{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 10px;margin-bottom:8px}
.vhead b{font:600 14px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.vhead .counts{margin-left:auto;color:var(--muted);font-size:12px}
.steps{display:flex;flex-wrap:wrap;gap:5px}
.step{display:inline-flex;align-items:baseline;gap:4px;padding:2px 8px;border-radius:4px;font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-decoration:none;border:1px solid #c8e6c9;background:#f1f8f1;color:#1b5e20}
a.step:hover{text-decoration:underline}
.step .n{color:var(--muted);font-size:10.5px}
.step small{font-size:10.5px}
.step.skipped{border-color:#cfd8dc;background:#f5f7f8;color:#607d8b;border-style:dashed}
.step.failed,.step.missing,.step.mismatched{border-color:#ef9a9a;background:#fdecea;color:var(--err);font-weight:700}
.step.out-of-order,.step.unexpected{border-color:#ffcc80;background:#fff4e0;color:var(--warn);font-weight:700}
.problems{margin:10px 0 2px;padding-left:26px}
.problems li{margin:6px 0;overflow-wrap:anywhere}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:5px}
.key i.srv{background:#90a4ae;opacity:.55}
.key i.err{background:var(--err);border:0}
.key i.ev{background:#8e24aa;transform:rotate(45deg) scale(.8);border-radius:1px}
details.panel{border:0;margin:10px 0}
details.panel>summary{font:600 14px system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#2b3d50}
figcaption small,details.panel small{margin-left:6px;font-size:12px}
svg text.psub{fill:#fff;font-size:10px;opacity:.9}
svg text.note{font:11px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;fill:#4a148c}
svg text.reply.err,svg text.dur.err{fill:var(--err);font-weight:600}
svg text.label.event{fill:#6a1b9a}
svg a text.label.event{fill:#6a1b9a}
svg text.clock{font-weight:600;fill:#455a64}
tr:target td{background:#fff8e1}
`;
