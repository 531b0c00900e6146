// `--format html -o report.html`: one self-contained page. The markdown report's
// sections rendered with marked, inline SVG charts (waterfall, latency histograms,
// sequence diagrams) and collapsible exchange details. No script at all, no network:
// a strict Content-Security-Policy, and every piece of log text escaped twice over
// (escaped before it enters the markdown, and marked's renderer escapes raw HTML,
// refuses images and makes only in-page links clickable).
import { Marked, type Tokens } from 'marked';
import type { ExchangeDetail } from '../chain/assembler.js';
import type { Header } from '../records/types.js';
import type { RunResult } from '../model/schema.js';
import { maskText } from '../secrets/mask.js';
import { pathTemplate } from '../stats/template.js';
import { durationOf } from '../stats/timing.js';
import { histogramSvg } from './charts/histogram.js';
import { sequenceSvg } from './charts/sequence.js';
import { colourMap, escapeXml as escapeHtml, formatMs } from './charts/svg.js';
import { waterfallPanels, waterfallSvg } from './charts/waterfall.js';
import { markdownSections, type Section } from './markdown.js';
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
  description: 'Self-contained HTML report (no scripts, no network): tables, waterfall, histograms, exchange details',
  render(run, ctx) {
    const marked = makeMarked();
    const md = (text: string) => marked.parse(text, { async: false });
    const sections = markdownSections(run, ctx, { linkExchanges: true });
    const body: string[] = [];
    const nav: Array<[string, string]> = [];
    const services = [...new Set(run.exchanges.map((e) => e.service ?? 'unknown'))];
    const link = (id: number) => `#x${id}`;
    const serviceColour = colourMap(services);
    const sequenceColour = (p: string) => (services.includes(p) ? serviceColour(p) : '#78909c');
    for (const s of sections) {
      if (s.kind === 'markdown') {
        if (s.id === 'timing') {
          body.push(section('timing', md(s.text) + histograms(run, services)));
        } else if (s.id === 'summary') {
          body.push(section(s.id, md(s.text).replace('</h1>', `</h1>${cards(run)}`)));
        } else {
          body.push(section(s.id, md(s.text)));
        }
        if (s.id !== 'summary') nav.push([s.id, titleOf(s)]);
        if (s.id === 'summary') {
          const panels = waterfallPanels(run);
          if (panels.length > 0) {
            body.push(section('waterfall', `<h2>Waterfall</h2>${legend(services)}${panels.map((p) => `<figure><figcaption>${escapeHtml(ctx.showSecrets ? p.title : maskText(p.title))}</figcaption>${waterfallSvg(p, services, link)}</figure>`).join('')}`));
            nav.push(['waterfall', 'Waterfall']);
          }
        }
      } else if (s.kind === 'sequences') {
        const figures = s.models.map((m) => `<figure><figcaption>${escapeHtml(ctx.showSecrets ? m.title : maskText(m.title))}${m.omitted > 0 ? ` (${m.omitted} more not drawn)` : ''}</figcaption><div class="scroll">${sequenceSvg(m, sequenceColour, link)}</div></figure>`);
        body.push(section(s.id, `<h2>${escapeHtml(s.title)}</h2><p>${escapeHtml(s.intro)}</p>${figures.join('')}`));
        nav.push([s.id, s.title]);
      }
      // The gantt is the markdown report's view of the waterfall: not repeated here.
    }
    body.push(section('details', detailsHtml(run, ctx)));
    nav.push(['details', 'Exchange details']);
    const title = `ostrace report: ${run.inputs.map((i) => i.name).join(', ') || 'no input'}`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(ctx.showSecrets ? title : maskText(title))}</title>
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
    [slowest ? formatMs(slowest.durationMs) : '–', 'slowest exchange', slowest ? `#${slowest.exchange} ${slowest.method ?? ''} ${slowest.template ?? ''}` : 'no timing'],
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

function legend(services: string[]): string {
  const colour = colourMap(services);
  const items = [...services].sort().map((s) => `<span class="key"><i style="background:${colour(s)}"></i>${escapeHtml(s)}</span>`);
  return `<p class="legend">${items.join('')}<span class="key"><i class="err"></i>error or no response</span></p>`;
}

function histograms(run: RunResult, services: string[]): string {
  const colour = colourMap(services);
  const groups = new Map<string, number[]>();
  for (const e of run.exchanges) {
    const d = durationOf(e);
    if (d === null) continue;
    const key = `${e.side}\u0000${e.service ?? 'unknown'}`;
    const list = groups.get(key) ?? [];
    list.push(d);
    groups.set(key, list);
  }
  if (groups.size === 0) return '';
  const keys = [...groups.keys()].sort();
  const charts = keys.map((k) => {
    const [side, service] = k.split('\u0000') as [string, string];
    const values = groups.get(k)!;
    return histogramSvg(`${service} (${side}, ${values.length})`, values, colour(service));
  });
  return `<h3>Latency per service</h3><div class="grid">${charts.join('')}</div>`;
}

// ---- exchange details --------------------------------------------------------------

function detailsHtml(run: RunResult, ctx: ReportContext): string {
  const clean = (t: string) => (ctx.showSecrets ? t : maskText(t));
  const out = ['<h2>Exchange details</h2>'];
  if (ctx.details.size === 0) out.push('<p>Headers and bodies were not kept for this report.</p>');
  const findingsBy = new Map<number, string[]>();
  for (const f of run.findings) if (f.exchange !== null) findingsBy.set(f.exchange, [...(findingsBy.get(f.exchange) ?? []), `${f.severity}: ${f.message}`]);
  for (const e of run.exchanges) {
    const d = ctx.details.get(e.id);
    const ms = durationOf(e);
    const cls = e.status !== null && e.status >= 400 ? 'err' : !e.complete ? 'warn' : 'ok';
    const summary = `<span class="id">#${e.id}</span> <span class="m">${escapeHtml(e.method ?? '?')}</span> ${escapeHtml(clean(pathTemplate(e.path) ?? '?'))} <span class="st ${cls}">${e.status ?? 'no response'}</span> <span class="svc">${escapeHtml(e.service ?? '')}</span>${ms === null ? '' : ` <span class="ms">${escapeHtml(formatMs(ms))}</span>`}`;
    const parts: string[] = [];
    parts.push(`<dl><dt>url</dt><dd><code>${escapeHtml(clean(e.url ?? '?'))}</code></dd><dt>where</dt><dd>${escapeHtml(e.source)}:${e.line}–${e.endLine}</dd>${e.requestId ? `<dt>request id</dt><dd><code>${escapeHtml(e.requestId)}</code></dd>` : ''}${e.startedAt ? `<dt>started</dt><dd>${escapeHtml(e.startedAt)}</dd>` : ''}${e.error?.message ? `<dt>error</dt><dd>${escapeHtml(clean(`${e.error.code ?? 'error'}: ${e.error.message}`))}</dd>` : ''}</dl>`);
    for (const f of findingsBy.get(e.id) ?? []) parts.push(`<p class="finding">${escapeHtml(clean(f))}</p>`);
    if (d) parts.push(detailBlocks(d, clean));
    out.push(`<details id="x${e.id}"${cls === 'err' ? ' class="err"' : ''}><summary>${summary}</summary>${parts.join('')}</details>`);
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
.key i.err{background:#fff;border:2px solid var(--err)}
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
`;
