// The HTML report's sections: the markdown report's sections (markdownSections) rendered
// with marked — except those drawn natively here: the summary's cards and the waterfall,
// latency histograms, findings, flow verdict cards, service events and sequence diagrams.
import {
  firstThatMatter,
  firstThatMatterOfJson,
  flowKeys,
  MAX_FINDINGS,
  MAX_FLOWS,
  moreNote,
  type Listed,
} from './bounded.js';
import { STEP_MESSAGES } from '../flows/replay.js';
import { Marked, type Tokens } from 'marked';
import type { RunResult } from '../model/schema.js';
import { familiesOf, familyLookup, UNKNOWN_SERVICE } from '../stats/family.js';
import { durationOf, startOf } from '../stats/timing.js';
import { eventText, listedEvents, type PlacedEvent } from './charts/events.js';
import { histogramSvg } from './charts/histogram.js';
import { sequenceSvg } from './charts/sequence.js';
import { colourMap, escapeXml as escapeHtml, formatMs } from './charts/svg.js';
import { waterfallOf, waterfallSvg, type WaterfallLinks, type WaterfallPanel } from './charts/waterfall.js';
import { exchangeAtLine, markdownSections, type Section } from './markdown.js';
import type { ReportContext } from './types.js';
import { stepStatusLabel } from './step-status.js';
import { shellLine } from '../core/shell-words.js';

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

/**
 * What the page links to: exchanges by id (`#x12`; their detail rows are the ones
 * linked, in a long run) and the service events it lists (`#ev3`).
 */
export interface PageLinks {
  /** The anchor of an exchange's detail row; the exchange is then linked. */
  exchange(id: number): string;
  /** The anchor of a listed service event, or null (not listed in a long run). */
  event(index: number): string | null;
  /** Exchanges linked so far. */
  linked: Set<number>;
  /** The service events listed (a long run lists some). */
  events: Listed<PlacedEvent>;
}

export function pageLinks(events: readonly PlacedEvent[]): PageLinks {
  const listed = listedEvents(events);
  const shown = new Set(listed.rows.map((p) => p.index));
  const linked = new Set<number>();
  return {
    exchange(id) {
      linked.add(id);
      return `#x${id}`;
    },
    event: (index) => (shown.has(index) ? `#ev${index}` : null),
    linked,
    events: listed,
  };
}

/** The page's sections in order, and the navigation bar's links to them. */
export function renderSections(
  run: RunResult,
  ctx: ReportContext,
  events: PlacedEvent[],
  clean: (t: string) => string,
  links: PageLinks,
): { body: string[]; nav: Array<[string, string]> } {
  const marked = makeMarked();
  const md = (text: string) => marked.parse(text, { async: false });
  const sections = markdownSections(run, ctx, { linkExchanges: true, linked: links.linked });
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
  for (const s of sections) {
    if (s.kind === 'markdown') {
      if (s.id === 'timing') {
        body.push(section('timing', md(s.text) + histograms(run, colour)));
      } else if (s.id === 'summary') {
        body.push(section(s.id, md(s.text).replace('</h1>', `</h1>${cards(run)}`)));
      } else if (s.id === 'findings') {
        body.push(section(s.id, findingsHtml(run, clean, links)));
      } else if (s.id === 'flows') {
        body.push(section(s.id, flowsHtml(run, events, clean, links)));
      } else if (s.id === 'events') {
        body.push(section(s.id, eventsHtml(links, colour, familyOf, clean)));
      } else {
        body.push(section(s.id, md(s.text)));
      }
      if (s.id !== 'summary') nav.push([s.id, titleOf(s)]);
      if (s.id === 'summary') {
        const { panels, commandsNotDrawn } = waterfallOf(run);
        if (panels.length > 0) {
          const more =
            commandsNotDrawn === 0
              ? ''
              : `<p class="muted">${commandsNotDrawn} more commands not drawn: the failed and the busiest are; --format json has every exchange.</p>`;
          body.push(
            section(
              'waterfall',
              `<h2>Waterfall</h2>${legend(run, colour, familyOf, events.length > 0)}${panels.map((p) => waterfallFigure(p, panels.length, colour, links, clean)).join('')}${more}`,
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
  return { body, nav };
}

function waterfallFigure(
  p: WaterfallPanel,
  panels: number,
  colour: (f: string) => string,
  links: WaterfallLinks,
  clean: (t: string) => string,
): string {
  const bars = p.rows.filter((r) => r.kind === 'bar').length;
  const marks = p.rows.length - bars;
  const notDrawn =
    p.barsNotDrawn + p.marksNotDrawn === 0
      ? ''
      : ` (${[p.barsNotDrawn > 0 ? `${p.barsNotDrawn} more exchange(s)` : '', p.marksNotDrawn > 0 ? `${p.marksNotDrawn} more service event(s)` : ''].filter((t) => t !== '').join(', ')} not drawn: errors and the slowest are)`;
  const caption = `${escapeHtml(clean(p.title))} <small>${bars} exchange(s)${marks > 0 ? `, ${marks} service event(s)` : ''}${notDrawn}</small>`;
  const svg = `<div class="scroll">${waterfallSvg(p, colour, links)}</div>`;
  // What no command claimed (token checks, periodic tasks) is often long: folded away.
  if (p.command === null && panels > 1) return `<details class="panel"><summary>${caption}</summary>${svg}</details>`;
  return `<figure><figcaption>${caption}</figcaption>${svg}</figure>`;
}

// ---- findings, flows, service events ------------------------------------------------

function findingsHtml(run: RunResult, clean: (t: string) => string, links: PageLinks): string {
  const out = [`<h2>Findings (${run.findings.length})</h2>`];
  if (run.findings.length === 0) return `${out[0]}<p>No findings.</p>`;
  const exchangeAt = exchangeAtLine(run);
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const listed = firstThatMatter(run.findings, MAX_FINDINGS, (f) => f.severity === 'error');
  const sorted = listed.rows
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
        `<td>${x === null ? '' : `<a href="${links.exchange(x)}">#${x}</a>`}</td><td class="where">${where}</td><td class="msg">${escapeHtml(clean(f.message))}</td></tr>`,
    );
  }
  out.push('</tbody></table>');
  if (listed.hidden > 0) out.push(`<p class="muted">${escapeHtml(moreNote(listed, 'findings', 'errors'))}</p>`);
  return out.join('');
}

const VERDICT_RANK: Record<string, number> = { failed: 0, incomplete: 1, complete: 2 };

/** One verdict card per flow instance, problems first: what went wrong, where to look, each step linked. */
function flowsHtml(run: RunResult, events: PlacedEvent[], clean: (t: string) => string, links: PageLinks): string {
  const commandName = new Map(run.commands.map((c) => [c.id, c.name ?? shellLine(c.argv)] as const));
  const eventAt = eventAtLine(events.filter((p) => links.event(p.index) !== null));
  // A long run's cards: the unfinished first, up to a limit (the rest are counted below them).
  const listed = firstThatMatterOfJson(
    run.flows,
    MAX_FLOWS,
    flowKeys,
    (f) => f.verdict !== 'complete',
    (f) => (f.verdict === 'failed' ? 1 : 0),
    STEP_MESSAGES,
  );
  const order = listed.rows
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
      f.command === null && !f.requestId
        ? `requests outside any command${f.source ? `, from ${f.source}:${f.line}` : ''}`
        : '',
    ]
      .filter((w) => w !== '')
      .join(' · ');
    const chips = f.steps.map((st, i) => {
      const ev = st.exchange === null ? eventAt(st.source, st.line) : undefined;
      const href = st.exchange !== null ? links.exchange(st.exchange) : ev ? links.event(ev.index) : null;
      const target = st.exchange !== null ? ` #${st.exchange}` : st.line !== null ? ` ${st.observer}:${st.line}` : '';
      const tip = `${i + 1}. ${st.step}: ${stepStatusLabel(st)}${st.line === null ? '' : ` at ${st.source ?? ''}:${st.line}`} (seen by ${st.observer})`;
      const inner = `<span class="n">${i + 1}</span>${escapeHtml(st.step)}<small>${escapeHtml(target)}</small>`;
      // A step the log leaves out is drawn as one not seen (dashed), not as one that never happened.
      const cls = st.notShown === true ? 'skipped' : st.status;
      return href === null
        ? `<span class="step ${escapeHtml(cls)}" title="${escapeHtml(clean(tip))}">${inner}</span>`
        : `<a class="step ${escapeHtml(cls)}" href="${escapeHtml(href)}" title="${escapeHtml(clean(tip))}">${inner}</a>`;
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
                  ? ` <a href="${links.exchange(st.exchange)}">#${st.exchange}</a>`
                  : ev
                    ? ` <a href="#ev${ev.index}">${escapeHtml(st.observer)}:${st.line}</a>`
                    : '';
              return `<li value="${i + 1}"><span class="badge ${escapeHtml(st.notShown === true ? 'skipped' : st.status)}">${escapeHtml(stepStatusLabel(st))}</span> <code>${escapeHtml(st.step)}</code>${ref}<br>${escapeHtml(clean(st.message ?? 'no message'))}</li>`;
            })
            .join('')}</ol>`;
    const counts = countWords(f.steps.map(stepStatusLabel));
    out.push(
      `<div class="verdict ${escapeHtml(f.verdict)}"><div class="vhead"><span class="badge ${escapeHtml(f.verdict)}">${escapeHtml(f.verdict)}</span> <b>${escapeHtml(f.flow)}</b> <span class="muted">${escapeHtml(clean(where))}</span><span class="counts">${escapeHtml(counts)}</span></div>` +
        `<div class="steps">${chips.join('')}</div>${list}</div>`,
    );
  }
  if (listed.hidden > 0)
    out.push(`<p class="muted">${escapeHtml(moreNote(listed, 'flow instances', 'unfinished'))}</p>`);
  return out.join('');
}

/** The service event whose lines hold a line of an input: by input, in line order, found by binary search. */
function eventAtLine(
  events: readonly PlacedEvent[],
): (source: string | null, line: number | null) => PlacedEvent | undefined {
  const bySource = new Map<string, PlacedEvent[]>();
  for (const p of events) {
    const list = bySource.get(p.event.source);
    if (list) list.push(p);
    else bySource.set(p.event.source, [p]);
  }
  for (const list of bySource.values()) list.sort((a, b) => a.event.line - b.event.line);
  return (source, line) => {
    if (source === null || line === null) return undefined;
    const list = bySource.get(source);
    if (!list) return undefined;
    // past the events starting at or before the line
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.event.line <= line) lo = mid + 1;
      else hi = mid;
    }
    // (records of one input rarely overlap: a few back suffice; the first in the events' order wins, as a scan would pick it)
    let hit: PlacedEvent | undefined;
    for (let i = lo - 1; i >= 0 && i >= lo - 8; i--)
      if (line <= list[i]!.event.endLine && (hit === undefined || list[i]!.index < hit.index)) hit = list[i];
    return hit;
  };
}

function eventsHtml(
  links: PageLinks,
  colour: (f: string) => string,
  familyOf: (side: 'client' | 'server', s: string | null) => string,
  clean: (t: string) => string,
): string {
  const listed = links.events;
  const out = [
    `<h2>Service events (${listed.rows.length + listed.hidden})</h2>`,
    '<p class="muted">Step markers the services logged, with the request they worked for (matched by request id, or by the global request id the caller passed on). They are drawn on the waterfall and in the request chains.</p>',
    '<table class="events"><thead><tr><th>#</th><th>time</th><th>service</th><th>marker</th><th>message</th><th>request</th><th>chain</th><th>where</th></tr></thead><tbody>',
  ];
  for (const p of listed.rows) {
    const e = p.event;
    out.push(
      `<tr id="ev${p.index}"><td>${p.index}</td><td class="nowrap">${escapeHtml(e.timestamp ?? '')}</td>` +
        `<td class="nowrap"><i class="dot" style="background:${colour(familyOf('server', e.service))}"></i>${escapeHtml(e.service)}</td><td class="nowrap"><code>${escapeHtml(e.marker)}</code></td>` +
        `<td class="msg" title="${escapeHtml(clean(e.message))}">${escapeHtml(clean(eventText(e)))}</td>` +
        `<td>${p.exchange ? `<a href="${links.exchange(p.exchange.id)}">#${p.exchange.id}</a>` : ''}</td><td>${p.chain ?? ''}</td><td class="where">${escapeHtml(e.source)}:${e.line}</td></tr>`,
    );
  }
  out.push('</tbody></table>');
  if (listed.hidden > 0)
    out.push(
      `<p class="muted">${escapeHtml(moreNote(listed, 'service events', 'warnings or errors', 'the earliest'))}</p>`,
    );
  return out.join('');
}

function countWords(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
}

/** The numbers a reader looks for first. */
function cards(run: RunResult): string {
  let failed = 0;
  for (const c of run.commands) if (c.exitCode !== 0) failed++;
  let httpErrors = 0;
  for (const e of run.exchanges) if (e.status !== null && e.status >= 400) httpErrors++;
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

export function section(id: string, html: string): string {
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
  const families = new Set<string>();
  let serverTimed = false;
  for (const e of run.exchanges) {
    if (e.side === 'server' && durationOf(e) !== null) serverTimed = true;
    if (startOf(e) !== null && durationOf(e) !== null) families.add(familyOf(e.side, e.service));
  }
  const used = [...families].sort();
  const items = used.map((f) => `<span class="key"><i style="background:${colour(f)}"></i>${escapeHtml(f)}</span>`);
  if (serverTimed) items.push('<span class="key"><i class="srv"></i>lighter: the server\'s own time</span>');
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
    const list = groups.get(key);
    if (list) list.push(d);
    else groups.set(key, [d]);
  }
  // In the by-service table's order: by family, client before server.
  const charts = st.byService.flatMap((s) => {
    const values = groups.get(`${s.side}\u0000${s.service}`);
    return values ? [histogramSvg(`${s.service} (${s.side}, ${values.length})`, values, colour(s.family))] : [];
  });
  return charts.length === 0 ? '' : `<h3>Latency per service</h3><div class="grid">${charts.join('')}</div>`;
}
