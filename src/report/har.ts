// `--format har`: the client's HTTP session as HAR 1.2, which a browser's developer
// tools import ("Import HAR file" in the Network panel): every request the CLI made,
// with headers, bodies, statuses and timings where the log has them, one page per
// command; of a long session, the `--max-entries` (1000 by default) that matter most, and
// the log's comment says how many were left out. Secrets are masked as in every other
// output unless --show-secrets.
// Requests the log never shows answered get status 0 and `_error` (the reason).
// Times are the log's own wall clock read as UTC, or the response's Date header (whole
// seconds); a request with neither starts at the epoch (HAR needs a date). `_timing`
// says which: log, date-header, timing-table or none.
import { STATUS_CODES } from 'node:http';
import type { DetailLookup, ExchangeDetail } from '../core/analysis.js';
import { headerValue } from '../chain/http.js';
import type { Exchange, RunResult } from '../model/schema.js';
import type { Header } from '../core/records.js';
import { maskText } from '../secrets/mask.js';
import { startOf } from '../stats/timing.js';
import { TOOL_VERSION } from '../version.js';
import { MAX_EXPORT_ITEMS, RowPicker } from './bounded.js';
import { requestCookies, responseCookies } from './har-cookies.js';
import type { Reporter } from './types.js';
import { shellLine } from '../core/shell-words.js';

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

/** A client request while the entries are chosen: only what ranks it. */
interface EntryMark {
  id: number;
  command: number | null;
  failed: boolean;
  ms: number;
}

/**
 * The HAR document in pieces, as `JSON.stringify(har, null, 1)` would write it whole: the
 * pages first (a pass without headers or bodies, which also chooses the entries of a long
 * session: at most `maxEntries`, the failed or unanswered first, then the slowest, in log
 * order; the log's comment says how many were left out), then one entry at a time, its
 * headers and bodies read as it is written, so a long session is never one string or one object.
 */
function* harChunks(
  run: RunResult,
  details: DetailLookup,
  showSecrets: boolean,
  maxEntries: number,
): Generator<string> {
  const clean = (t: string) => (showSecrets ? t : maskText(t));
  const titles = new Map<number, string>();
  for (const c of run.commands) titles.set(c.id, `openstack ${clean(c.name ?? shellLine(c.argv)) || 'command'}`);
  const pageStart = new Map<number, string>();
  const picker =
    maxEntries > 0
      ? new RowPicker<EntryMark>(
          maxEntries,
          (m) => m.failed,
          (m) => m.ms,
        )
      : null;
  let count = 0;
  for (const e of run.exchanges) {
    if (e.side !== 'client') continue;
    count++;
    if (e.command !== null && !pageStart.has(e.command))
      pageStart.set(e.command, new Date(startOf(e) ?? 0).toISOString());
    picker?.push({
      id: e.id,
      command: e.command,
      failed: !e.complete || (e.status !== null && e.status >= 400),
      ms: e.durationMs ?? -1,
    });
  }
  const listed = picker?.listed();
  const kept = listed && listed.hidden > 0 ? listed.rows : null;
  const keptIds = kept ? new Set(kept.map((m) => m.id)) : null;
  const keptPages = kept ? new Set(kept.map((m) => m.command)) : null;
  const pages: object[] = [];
  for (const [id, title] of titles) {
    if (!pageStart.has(id) || (keptPages && !keptPages.has(id))) continue;
    pages.push({ startedDateTime: pageStart.get(id)!, id: `command-${id}`, title, pageTimings: {} });
  }
  const creator = { name: 'ostrace', version: TOOL_VERSION };
  const comment =
    listed && kept
      ? {
          comment:
            `${kept.length} of ${count} entries: the failed or unanswered first` +
            `${listed.hiddenThatMatter > 0 ? ` (${listed.hiddenThatMatter} of them left out)` : ''}, then the slowest;` +
            ' --max-entries all lists every one',
        }
      : {};
  if (count === 0) {
    yield `${JSON.stringify({ log: { version: '1.2', creator, pages, entries: [] } }, null, 1)}\n`;
    return;
  }
  // The document around its entries, cut where a stand-in entry is written.
  const skeleton = JSON.stringify(
    { log: { version: '1.2', creator, ...comment, pages, entries: [ENTRY_MARK] } },
    null,
    1,
  );
  const at = skeleton.indexOf(`"${ENTRY_MARK}"`);
  yield skeleton.slice(0, at - INDENT.length);
  let first = true;
  for (const e of run.exchanges) {
    if (e.side !== 'client' || (keptIds && !keptIds.has(e.id))) continue;
    const entry = JSON.stringify(harEntry(e, details.get(e.id), clean), null, 1);
    yield `${first ? '' : ',\n'}${INDENT}${entry.replaceAll('\n', `\n${INDENT}`)}`;
    first = false;
  }
  yield `${skeleton.slice(at + ENTRY_MARK.length + 2)}\n`;
}

/** A string no entry is: where the entries go in the document's skeleton. */
const ENTRY_MARK = 'ostrace-har-entries';
/** An entry's depth in the document (log → entries → entry), one space a level. */
const INDENT = '   ';

function harEntry(e: Exchange, d: ExchangeDetail | undefined, clean: (t: string) => string): object {
  // A header is masked as the line `Name: value` it was logged as, so the same rules apply.
  const headers = (list: Header[] | null | undefined): HarHeader[] =>
    (list ?? []).map(([name, value]) => {
      const masked = clean(`${name}: ${value}`);
      return { name, value: masked.startsWith(`${name}: `) ? masked.slice(name.length + 2) : masked };
    });
  const started = startOf(e);
  const pageref = e.command === null ? undefined : `command-${e.command}`;
  const time = e.durationMs ?? 0;
  const requestBody = d?.requestBody ?? null;
  const responseBody = d?.responseBody ?? null;
  const responseType = headerValue(d?.responseHeaders, 'Content-Type') ?? '';
  // The cookies are read from the headers as written (masked), so each value is what its header shows.
  const requestHeaders = headers(d?.requestHeaders);
  const responseHeaders = headers(d?.responseHeaders);
  return {
    ...(pageref ? { pageref } : {}),
    startedDateTime: new Date(started ?? 0).toISOString(),
    time,
    request: {
      method: e.method ?? 'GET',
      url: clean(e.url ?? e.path ?? ''),
      httpVersion: 'HTTP/1.1',
      cookies: requestCookies(requestHeaders),
      headers: requestHeaders,
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
      cookies: responseCookies(responseHeaders),
      headers: responseHeaders,
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
  };
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
    return [...harChunks(run, ctx.details, ctx.showSecrets, ctx.maxEntries ?? MAX_EXPORT_ITEMS)].join('');
  },
  chunks: (run, ctx) => harChunks(run, ctx.details, ctx.showSecrets, ctx.maxEntries ?? MAX_EXPORT_ITEMS),
};
