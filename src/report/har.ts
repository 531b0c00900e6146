// `--format har`: the client's HTTP session as HAR 1.2, which a browser's developer
// tools import ("Import HAR file" in the Network panel): every request the CLI made,
// with headers, bodies, statuses and timings where the log has them, one page per
// command. Secrets are masked as in every other output unless --show-secrets.
// Requests the log never shows answered get status 0 and `_error` (the reason).
// Times are the log's own wall clock read as UTC, or the response's Date header (whole
// seconds); a request with neither starts at the epoch (HAR needs a date). `_timing`
// says which: log, date-header, timing-table or none.
import { STATUS_CODES } from 'node:http';
import type { ExchangeDetail } from '../core/analysis.js';
import { headerValue } from '../chain/http.js';
import type { Exchange, RunResult } from '../model/schema.js';
import type { Header } from '../core/records.js';
import { maskText } from '../secrets/mask.js';
import { startOf } from '../stats/timing.js';
import { TOOL_VERSION } from '../version.js';
import type { Reporter } from './types.js';

interface HarHeader {
  name: string;
  value: string;
}

/** The query's pairs in order, repeats kept (HAR's queryString). */
function queryOf(url: string | null): HarHeader[] {
  const q = url?.indexOf('?') ?? -1;
  if (url === null || q < 0) return [];
  return [...new URLSearchParams(url.slice(q + 1))].map(([name, value]) => ({ name, value }));
}

export function toHar(run: RunResult, details: Map<number, ExchangeDetail>, showSecrets: boolean): object {
  const clean = (t: string) => (showSecrets ? t : maskText(t));
  // A header is masked as the line `Name: value` it was logged as, so the same rules apply.
  const headers = (list: Header[] | null | undefined): HarHeader[] =>
    (list ?? []).map(([name, value]) => {
      const masked = clean(`${name}: ${value}`);
      return { name, value: masked.startsWith(`${name}: `) ? masked.slice(name.length + 2) : masked };
    });
  const pages: object[] = [];
  const commandTitles = new Map<number, string>();
  for (const c of run.commands) commandTitles.set(c.id, `openstack ${clean(c.name ?? c.argv.join(' ')) || 'command'}`);
  const pageStart = new Map<number, string>();
  const entries: object[] = [];
  for (const e of run.exchanges) {
    if (e.side !== 'client') continue;
    const d = details.get(e.id);
    const started = startOf(e);
    const startedDateTime = new Date(started ?? 0).toISOString();
    const pageref = e.command === null ? undefined : `command-${e.command}`;
    if (e.command !== null && !pageStart.has(e.command)) pageStart.set(e.command, startedDateTime);
    const time = e.durationMs ?? 0;
    const requestBody = d?.requestBody ?? null;
    const responseBody = d?.responseBody ?? null;
    const responseType = headerValue(d?.responseHeaders, 'Content-Type') ?? '';
    entries.push({
      ...(pageref ? { pageref } : {}),
      startedDateTime,
      time,
      request: {
        method: e.method ?? 'GET',
        url: clean(e.url ?? e.path ?? ''),
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: headers(d?.requestHeaders),
        queryString: queryOf(e.url === null ? null : clean(e.url)),
        ...(requestBody !== null
          ? {
              postData: {
                mimeType: headerValue(d?.requestHeaders, 'Content-Type') ?? 'application/json',
                text: clean(requestBody),
              },
            }
          : {}),
        headersSize: -1,
        bodySize: requestBody === null ? 0 : Buffer.byteLength(requestBody),
      },
      response: {
        status: e.status ?? 0,
        statusText: e.status === null ? '' : (STATUS_CODES[e.status] ?? ''),
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: headers(d?.responseHeaders),
        content: {
          size: responseBody === null ? 0 : Buffer.byteLength(responseBody),
          mimeType: responseType,
          ...(responseBody !== null ? { text: clean(responseBody) } : {}),
        },
        redirectURL: clean(headerValue(d?.responseHeaders, 'Location') ?? ''),
        headersSize: -1,
        bodySize: -1,
      },
      cache: {},
      timings: { send: 0, wait: time, receive: 0 },
      ...extras(e, clean),
    });
  }
  for (const [id, title] of commandTitles) {
    if (!pageStart.has(id)) continue;
    pages.push({ startedDateTime: pageStart.get(id)!, id: `command-${id}`, title, pageTimings: {} });
  }
  return { log: { version: '1.2', creator: { name: 'ostrace', version: TOOL_VERSION }, pages, entries } };
}

/** ostrace's own fields (HAR allows custom ones with a leading underscore). */
function extras(e: Exchange, clean: (t: string) => string): Record<string, unknown> {
  return {
    _timing: e.timing ?? 'none',
    _source: e.source,
    _line: e.line,
    _exchange: e.id,
    ...(e.requestId ? { _requestId: e.requestId } : {}),
    ...(e.service ? { _service: e.service } : {}),
    ...(!e.complete && e.incompleteReason ? { _error: clean(e.incompleteReason) } : {}),
  };
}

export const harReporter: Reporter = {
  id: 'har',
  description: "The client's HTTP session as HAR 1.2 (browser developer tools import it), headers and bodies included",
  needsDetails: true,
  render(run, ctx) {
    return `${JSON.stringify(toHar(run, ctx.details, ctx.showSecrets), null, 1)}\n`;
  },
};
