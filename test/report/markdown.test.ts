// The markdown report, read back with marked's lexer: sections, tables, columns, rows.
import { Lexer, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { markdownReporter } from '../../src/report/markdown.js';
import { formatMs } from '../../src/report/charts/svg.js';
import { analyzed, SAMPLES } from './helpers.js';

/** Each `##`/`###` heading's first table, by heading text. */
function tablesByHeading(tokens: Token[]): Map<string, Tokens.Table> {
  const out = new Map<string, Tokens.Table>();
  let heading = '';
  for (const t of tokens) {
    if (t.type === 'heading') heading = (t as Tokens.Heading).text;
    if (t.type === 'table' && !out.has(heading)) out.set(heading, t as Tokens.Table);
  }
  return out;
}

const header = (t: Tokens.Table) => t.header.map((c) => c.text);
const column = (t: Tokens.Table, name: string) => t.rows.map((r) => r[header(t).indexOf(name)]!.text);

/** Every token, inline ones included. */
function walk(tokens: Token[], visit: (t: Token) => void): void {
  for (const t of tokens) {
    visit(t);
    const anyT = t as { tokens?: Token[]; items?: Token[]; header?: Tokens.TableCell[]; rows?: Tokens.TableCell[][] };
    if (anyT.tokens) walk(anyT.tokens, visit);
    if (anyT.items) walk(anyT.items, visit);
    if (anyT.header) for (const c of anyT.header) walk(c.tokens, visit);
    if (anyT.rows) for (const r of anyT.rows) for (const c of r) walk(c.tokens, visit);
  }
}

describe('markdown report of the timed sample', () => {
  const { run, ctx } = analyzed(SAMPLES.timed);
  const text = markdownReporter.render(run, ctx);
  const tokens = Lexer.lex(text);
  const tables = tablesByHeading(tokens);

  it('has the sections in order', () => {
    const headings = tokens.filter((t): t is Tokens.Heading => t.type === 'heading' && t.depth <= 2).map((t) => t.text);
    expect(headings).toEqual([
      'ostrace report',
      'Summary',
      'Commands',
      'Exchanges (54)',
      'Findings (0)',
      'Timing',
      'Sequence diagrams',
      'Timeline',
    ]);
  });

  it('summary: inputs, commands with exit codes, exchanges, findings by severity, timing', () => {
    const t = tables.get('Summary')!;
    const rows = Object.fromEntries(t.rows.map((r) => [r[0]!.text, r[1]!.text]));
    expect(rows.commands).toBe('8 (8× exit 0)');
    expect(rows.exchanges).toBe('54 (54 client, 0 server; 12 HTTP errors, 0 incomplete)');
    expect(rows.findings).toBe('0 error, 0 warning, 0 info');
    expect(rows.timing).toBe('54 of 54 exchanges timed (log)');
  });

  it('commands table: one row per command with name, exit code, requests', () => {
    const t = tables.get('Commands')!;
    expect(header(t)).toEqual(['#', 'command', 'where', 'exit', 'requests', 'errors', 'time', 'error']);
    expect(column(t, 'command')).toEqual(run.commands.map((c) => `\`${c.name}\``));
    expect(column(t, 'exit')).toEqual(Array(8).fill('0'));
    expect(column(t, 'requests')).toEqual(['4', '4', '14', '10', '4', '4', '10', '4']);
  });

  it('exchanges table: one row per exchange with its line, status and duration', () => {
    const t = tables.get('Exchanges (54)')!;
    expect(header(t)).toEqual([
      '#',
      'line',
      'cmd',
      'side',
      'method',
      'path',
      'status',
      'service',
      'request id',
      'ms',
      'error',
    ]);
    expect(t.rows).toHaveLength(54);
    const attach = t.rows.find((r) => r[5]!.text.includes('os-volume_attachments') && r[4]!.text === 'POST')!;
    const ex = run.exchanges.find((e) => e.method === 'POST' && e.path?.endsWith('os-volume_attachments'))!;
    expect(attach.map((c) => c.text)).toEqual(
      [
        `#${ex.id}`,
        String(ex.line),
        '4',
        'client',
        'POST',
        `\`${ex.path}\``,
        '200',
        'compute',
        `\`${ex.requestId}\``,
        formatMs(ex.durationMs!),
        ' ',
      ].map((s) => s.trim()),
    );
    // as many as the log's RESP BODY lines with itemNotFound
    expect(column(t, 'error').filter((c) => c.startsWith('itemNotFound'))).toHaveLength(9);
  });

  it('timing tables: by service, by endpoint, by command, slowest', () => {
    const bySvc = tables.get('By service')!;
    expect(header(bySvc)).toEqual([
      'family',
      'side',
      'service',
      'count',
      'errors',
      'timed',
      'min',
      'p50',
      'p90',
      'p99',
      'max',
      'total',
      'server p50',
    ]);
    // client only: each catalog type is its own family
    expect(column(bySvc, 'service')).toEqual(['block-storage', 'compute', 'identity', 'image', 'volumev3']);
    expect(column(bySvc, 'family')).toEqual(column(bySvc, 'service'));
    const compute = run.stats!.byService.find((s) => s.service === 'compute')!;
    expect(bySvc.rows[1]!.slice(6, 12).map((c) => c.text)).toEqual(
      [
        compute.durationMs!.min,
        compute.durationMs!.p50,
        compute.durationMs!.p90,
        compute.durationMs!.p99,
        compute.durationMs!.max,
        compute.durationMs!.total,
      ].map(formatMs),
    );
    expect(column(tables.get('By endpoint')!, 'endpoint')).toContain('`/v2.1/servers/{id}/os-volume_attachments`');
    expect(tables.get('By command')!.rows).toHaveLength(8);
    expect(column(tables.get('Slowest exchanges')!, 'exchange')[0]).toBe(`#${run.stats!.slowest[0]!.exchange}`);
  });

  it('one mermaid sequenceDiagram per command and a gantt with one task per timed exchange', () => {
    const mermaid = tokens.filter((t): t is Tokens.Code => t.type === 'code' && t.lang === 'mermaid');
    const sequences = mermaid.filter((c) => c.text.startsWith('sequenceDiagram'));
    expect(sequences).toHaveLength(8);
    expect(sequences[3]!.text).toContain('p_client->>p_compute: #32 POST /v2.1/servers/{id}/os-volume_attachments');
    const gantt = mermaid.filter((c) => c.text.startsWith('gantt'));
    expect(gantt).toHaveLength(1);
    expect(gantt[0]!.text.split('\n').filter((l) => / :(crit, )?x\d+, \d+, \d+$/.test(l))).toHaveLength(54);
  });

  it('is deterministic and carries no wall-clock time unless asked', () => {
    const again = analyzed(SAMPLES.timed);
    expect(markdownReporter.render(again.run, again.ctx)).toBe(text);
    expect(text).not.toContain('Generated');
    const stamped = markdownReporter.render(run, { ...ctx, generatedAt: '2030-01-02T03:04:05.000Z' });
    expect(stamped).toContain('Generated 2030-01-02T03:04:05.000Z');
  });
});

describe('markdown report without timing (seed log)', () => {
  const { run, ctx } = analyzed(SAMPLES.seed);
  const text = markdownReporter.render(run, ctx);
  const tokens = Lexer.lex(text);

  it('says "no timing" once instead of tables of zeros, and draws no gantt', () => {
    expect(text.match(/no per-request timing/g)).toHaveLength(1);
    const tables = tablesByHeading(tokens);
    expect(tables.has('By service')).toBe(false);
    expect(text).not.toContain('gantt');
    expect(column(tables.get('Exchanges (9)')!, 'ms').every((c) => c === '')).toBe(true);
  });
});

describe('markdown report of hostile log text', () => {
  const { run, ctx } = analyzed(SAMPLES.hostile);
  const text = markdownReporter.render(run, ctx);
  const tokens = Lexer.lex(text);

  it('produces no HTML, no links and no images from log text', () => {
    const kinds = new Set<string>();
    walk(tokens, (t) => kinds.add(t.type));
    expect(kinds.has('html')).toBe(false);
    expect(kinds.has('link')).toBe(false);
    expect(kinds.has('image')).toBe(false);
    expect(text).not.toMatch(/<script|<img|<iframe|<svg|<style/i);
  });

  it('keeps every table row to its columns: pipes in messages do not make cells', () => {
    const tables = tablesByHeading(tokens);
    for (const t of tables.values()) for (const r of t.rows) expect(r).toHaveLength(t.header.length);
    const errors = column(tables.get('Exchanges (10)')!, 'error').filter((c) => c !== '');
    expect(errors).toHaveLength(4);
    // the message survives as text, pipes and backticks included
    expect(errors[0]).toContain('| pipe | \\`tick\\`');
    expect(errors[0]).toContain("&lt;script&gt;document.title='PWNED'");
    const cmd = tables.get('Commands')!;
    expect(cmd.rows[0]![header(cmd).indexOf('error')]!.text).toContain(
      '&lt;img src=x onerror=window.\\_\\_pwned=9&gt;',
    );
  });
});
