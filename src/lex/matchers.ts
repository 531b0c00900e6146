// Custom chevrotain matchers for message shapes whose structure a plain regex
// would only capture with backtracking (quoted curl arguments, bodies up to the
// last quote, python dict reprs) or whose fields we want as a ready payload.
// Every matcher scans forward once: no regex here can backtrack on a long line.
import type { CustomPatternMatcherReturn } from 'chevrotain';
import { CLIENT_PROGRAMS } from '../core/clients.js';
import type { AccessPayload, ConnectionPayload, RequestIdPayload, Urllib3Payload } from '../core/records.js';

type Matcher = (text: string, offset: number) => CustomPatternMatcherReturn | null;

function match(text: string, start: number, end: number, payload: unknown): CustomPatternMatcherReturn {
  const m = [text.slice(start, end)] as unknown as CustomPatternMatcherReturn;
  m.payload = payload;
  return m;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isSpace = (c: number) => c === 32 || c === 9;

export interface HeaderPayload {
  name: string;
  value: string;
}

/**
 * `-H "Name: value"`, `-H 'Name: value'` or cinderclient's glued `-H 'Name: value'-H …`.
 * The closing quote is the first one followed by a space, `-`, the other quote (a b'…' repr's
 * end) or the end. keystoneauth writes the value as it is, quotes too: a quote followed by the
 * same quote is the value's last character (`-H "Cookie: sid="abc""`), the second one closes.
 */
export const matchHeaderOption: Matcher = (text, offset) => {
  if (!text.startsWith('-H', offset)) return null;
  let i = offset + 2;
  while (isSpace(text.charCodeAt(i))) i++;
  const q = text[i];
  if (q !== '"' && q !== "'") return null;
  let close = text.indexOf(q, i + 1);
  while (close >= 0) {
    const next = text.charCodeAt(close + 1);
    const other = q === '"' ? 39 : 34;
    if (Number.isNaN(next) || isSpace(next) || next === 45 /* - */ || next === other) break;
    close = text.indexOf(q, close + 1);
  }
  if (close < 0) close = text.length; // truncated line: keep what is there
  const inner = text.slice(i + 1, close);
  const colon = inner.indexOf(':');
  const name = colon >= 0 ? inner.slice(0, colon).trim() : inner.trim();
  const value = colon >= 0 ? inner.slice(colon + 1).trim() : '';
  return match(text, offset, Math.min(close + 1, text.length), { name, value } satisfies HeaderPayload);
};

/** `-d '<body>'`: the body runs to the last `'` of the line (bodies are not escaped). */
export const matchDataOption: Matcher = (text, offset) => {
  if (!text.startsWith('-d ', offset)) return null;
  let i = offset + 3;
  while (isSpace(text.charCodeAt(i))) i++;
  const q = text[i];
  if (text.startsWith("\\'", i)) {
    // neutronclient's `b'curl … -d \'{…}\''`: the bytes repr escapes the body's quotes.
    const last = text.lastIndexOf("\\'");
    const closed = last > i;
    const body = (closed ? text.slice(i + 2, last) : text.slice(i + 2)).replaceAll("\\'", "'");
    return match(text, offset, closed ? last + 2 : text.length, { body, truncated: !closed });
  }
  if (q !== "'" && q !== '"') {
    return match(text, offset, text.length, { body: text.slice(i), truncated: false });
  }
  let last = text.lastIndexOf(q);
  // neutronclient wraps the whole curl in b'…': the final quote closes that, not the body.
  if (last > i && text.endsWith("''")) last = text.length - 2;
  const closed = last > i;
  const body = closed ? text.slice(i + 1, last) : text.slice(i + 1);
  return match(text, offset, closed ? last + 1 : text.length, { body, truncated: !closed });
};

/** `--cacert "<path>"` or `--cacert <path>`. */
export const matchCacertOption: Matcher = (text, offset) => {
  if (!text.startsWith('--cacert ', offset)) return null;
  let i = offset + 9;
  const q = text[i];
  let end: number;
  if (q === '"' || q === "'") {
    const close = text.indexOf(q, i + 1);
    end = close < 0 ? text.length : close + 1;
    i++;
  } else {
    end = i;
    while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
  }
  return match(text, offset, end, { path: text.slice(i, q === '"' || q === "'" ? end - 1 : end) });
};

/** A URL argument: quoted (`"…"`, `'…'`) or bare, starting with a scheme or `/`. */
export const matchUrlArgument: Matcher = (text, offset) => {
  const c = text[offset];
  if (c === '"' || c === "'") {
    if (!text.startsWith('http', offset + 1) && text[offset + 1] !== '/') return null;
    const close = text.indexOf(c, offset + 1);
    const end = close < 0 ? text.length : close + 1;
    return match(text, offset, end, { url: text.slice(offset + 1, close < 0 ? end : close), quoted: true });
  }
  if (!text.startsWith('http://', offset) && !text.startsWith('https://', offset)) return null;
  let end = offset;
  while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
  return match(text, offset, end, { url: text.slice(offset, end), quoted: false });
};

/**
 * urllib3's response line: `http://h:80 "GET /p?q HTTP/1.1" 200 270`, or before
 * urllib3 1.17 `"GET /p HTTP/1.1" 200 270` (no origin).
 */
export const matchUrllib3Response: Matcher = (text, offset) => {
  let i = offset;
  let scheme: string | null = null;
  let host: string | null = null;
  let port: number | null = null;
  if (text.startsWith('http://', i) || text.startsWith('https://', i)) {
    const sep = text.indexOf('://', i);
    scheme = text.slice(i, sep);
    const sp = text.indexOf(' ', sep + 3);
    if (sp < 0) return null;
    const origin = text.slice(sep + 3, sp);
    const colon = origin.lastIndexOf(':');
    if (colon > 0 && /^\d+$/.test(origin.slice(colon + 1))) {
      host = origin.slice(0, colon);
      port = Number(origin.slice(colon + 1));
    } else host = origin;
    i = sp + 1;
  }
  if (text[i] !== '"') return null;
  const mEnd = scanUpper(text, i + 1);
  if (mEnd === i + 1 || text[mEnd] !== ' ') return null;
  const method = text.slice(i + 1, mEnd);
  const closeQuote = text.indexOf('" ', mEnd);
  if (closeQuote < 0) return null;
  const inner = text.slice(mEnd + 1, closeQuote);
  const vs = inner.lastIndexOf(' HTTP/');
  if (vs < 0) return null;
  const target = inner.slice(0, vs);
  const httpVersion = inner.slice(vs + 1);
  let j = closeQuote + 2;
  const sStart = j;
  while (isDigit(text.charCodeAt(j))) j++;
  if (j - sStart !== 3) return null;
  const status = Number(text.slice(sStart, j));
  let length: number | null = null;
  if (text[j] === ' ') {
    const lStart = j + 1;
    let k = lStart;
    while (isDigit(text.charCodeAt(k))) k++;
    if (k > lStart) {
      length = Number(text.slice(lStart, k));
      j = k;
    } else if (text.startsWith('None', lStart)) j = lStart + 4;
  }
  const tail = j < text.length ? text.slice(j).trim() : '';
  // A pasted line cut short after the status (`… 200 12…`, `… 200 …`) still says what it must.
  if (tail !== '' && tail !== '…' && tail !== '...') return null;
  if (tail !== '') length = null;
  return match(text, offset, text.length, {
    scheme,
    host,
    port,
    method,
    target,
    httpVersion,
    status,
    length,
  } satisfies Urllib3Payload);
};

function scanUpper(text: string, i: number): number {
  while (isUpper(text.charCodeAt(i))) i++;
  return i;
}

/** `GET call to compute for http://… used request id req-…` (service part optional). */
export const matchRequestIdLine: Matcher = (text, offset) => {
  const mEnd = scanUpper(text, offset);
  if (mEnd === offset || !text.startsWith(' call to ', mEnd)) return null;
  const marker = text.lastIndexOf(' used request id ');
  if (marker < mEnd) return null;
  const requestId = text.slice(marker + 17).trim();
  let middle = text.slice(mEnd + 9, marker);
  let service: string | null = null;
  const forAt = middle.indexOf(' for ');
  if (forAt >= 0 && !middle.startsWith('http')) {
    service = middle.slice(0, forAt);
    middle = middle.slice(forAt + 5);
  }
  return match(text, offset, text.length, {
    method: text.slice(offset, mEnd),
    service,
    url: middle,
    requestId,
  } satisfies RequestIdPayload);
};

/** `Starting new HTTP connection (1): host:port` and `Resetting dropped connection: host`. */
export const matchConnectionLine: Matcher = (text, offset) => {
  if (text.startsWith('Resetting dropped connection: ', offset)) {
    const host = text.slice(offset + 30).trim();
    return match(text, offset, text.length, {
      event: 'reset',
      scheme: null,
      number: null,
      host,
      port: null,
    } satisfies ConnectionPayload);
  }
  if (!text.startsWith('Starting new HTTP', offset)) return null;
  let i = offset + 17;
  let scheme = 'http';
  if (text[i] === 'S') {
    scheme = 'https';
    i++;
  }
  if (!text.startsWith(' connection (', i)) return null;
  const close = text.indexOf('): ', i);
  if (close < 0) return null;
  const number = Number(text.slice(i + 13, close));
  const origin = text.slice(close + 3).trim();
  const colon = origin.lastIndexOf(':');
  const hasPort = colon > 0 && /^\d+$/.test(origin.slice(colon + 1));
  return match(text, offset, text.length, {
    event: 'new',
    scheme,
    number: Number.isFinite(number) ? number : null,
    host: hasPort ? origin.slice(0, colon) : origin,
    port: hasPort ? Number(origin.slice(colon + 1)) : null,
  } satisfies ConnectionPayload);
};

/**
 * nova requestlog `10.0.0.5 "POST /compute/v2.1/…" status: 200 len: 194 microversion: 2.89 time: 0.823114`
 * and the eventlet form `10.0.0.5 "POST /v2.1/… HTTP/1.1" status: 200  len: 388 time: 0.8231140`.
 */
export const matchWsgiAccessLine: Matcher = (text, offset) => {
  const q = text.indexOf(' "', offset);
  if (q < 0 || q - offset > 96) return null;
  const client = text.slice(offset, q);
  if (client.includes(' ')) return client.includes(' - ') ? matchEventletCombined(text, offset, q) : null;
  const mEnd = scanUpper(text, q + 2);
  if (mEnd === q + 2 || text[mEnd] !== ' ') return null;
  const close = text.indexOf('" status: ', mEnd);
  if (close < 0) return null;
  let target = text.slice(mEnd + 1, close);
  let style: AccessPayload['style'] = 'nova-requestlog';
  const vs = target.lastIndexOf(' HTTP/');
  if (vs >= 0) {
    target = target.slice(0, vs);
    style = 'eventlet';
  }
  const fields = text.slice(close + 2);
  const status = numberAfter(fields, 'status: ');
  const length = numberAfter(fields, 'len: ');
  const time = numberAfter(fields, 'time: ');
  const mvAt = fields.indexOf('microversion: ');
  let microversion: string | null = null;
  if (mvAt >= 0) {
    const end = fields.indexOf(' ', mvAt + 14);
    microversion = fields.slice(mvAt + 14, end < 0 ? undefined : end);
    if (microversion === '-') microversion = null;
  }
  return match(text, offset, text.length, {
    style,
    method: text.slice(q + 2, mEnd),
    target,
    status,
    length,
    microversion,
    timeMs: time === null ? null : Math.round(time * 1e6) / 1e3,
    client,
  } satisfies AccessPayload);
};

/**
 * eventlet.wsgi's default log format, Apache-style, as glance and keystone log it:
 * `192.168.137.11 - - [18/Mar/2022 12:57:30] "GET /v2/schemas/image HTTP/1.1" 401 566 0.827830`
 * (client, `-`, user, date, request line, status, body length, seconds).
 */
const EVENTLET_COMBINED = /^(\S+) - \S+ \[[^\]]{8,40}\]$/;
const EVENTLET_TAIL = /^ (\d{3}) (\d+|-) (\d+\.\d+)\s*$/;
/**
 * Apache's own `combined` access log, where mod_wsgi serves the API (Ubuntu's and Charmed
 * OpenStack's `/var/log/apache2/nova-api-os-compute_access.log`): after the request line come
 * status, bytes, the quoted referer and user agent; no duration, no request id.
 */
const APACHE_COMBINED_TAIL = /^ (\d{3}) (\d+|-) "[^"]*" "[^"]*"\s*$/;

function matchEventletCombined(text: string, offset: number, q: number): ReturnType<Matcher> {
  const head = EVENTLET_COMBINED.exec(text.slice(offset, q));
  if (!head) return null;
  const mEnd = scanUpper(text, q + 2);
  if (mEnd === q + 2 || text[mEnd] !== ' ') return null;
  const close = text.lastIndexOf('"');
  if (close <= mEnd) return null;
  const vs = text.lastIndexOf(' HTTP/', close);
  if (vs <= mEnd) return null;
  const line = { text, offset, q, mEnd, client: head[1]! };
  const tail = EVENTLET_TAIL.exec(text.slice(close + 1));
  if (tail) return apacheShaped(line, 'eventlet', vs, tail, Math.round(Number(tail[3]) * 1e6) / 1e3);
  // Apache's combined log: the request line closes at its ` HTTP/x.y"`, the referer and user agent are quoted too.
  const reqEnd = text.indexOf(' HTTP/', mEnd);
  const reqClose = reqEnd < 0 ? -1 : text.indexOf('"', reqEnd);
  const combined = reqClose < 0 ? null : APACHE_COMBINED_TAIL.exec(text.slice(reqClose + 1));
  return combined ? apacheShaped(line, 'apache', reqEnd, combined, null) : null;
}

/** The access record of an Apache-shaped line: method and target of its request line, status and length of its tail. */
function apacheShaped(
  line: { text: string; offset: number; q: number; mEnd: number; client: string },
  style: 'eventlet' | 'apache',
  versionAt: number,
  tail: RegExpExecArray,
  timeMs: number | null,
): ReturnType<Matcher> {
  const { text, offset, q, mEnd, client } = line;
  return match(text, offset, text.length, {
    style,
    method: text.slice(q + 2, mEnd),
    target: text.slice(mEnd + 1, versionAt),
    status: Number(tail[1]),
    length: tail[2] === '-' ? null : Number(tail[2]),
    microversion: null,
    timeMs,
    client,
  } satisfies AccessPayload);
}

function numberAfter(s: string, key: string): number | null {
  const at = s.indexOf(key);
  if (at < 0) return null;
  let i = at + key.length;
  while (s[i] === ' ') i++;
  let j = i;
  while (j < s.length && (isDigit(s.charCodeAt(j)) || s[j] === '.')) j++;
  return j > i ? Number(s.slice(i, j)) : null;
}

/**
 * uwsgi's default request log:
 * `[pid: 3318|app: 0|req: 41/99] 127.0.0.1 () {34 vars in 656 bytes} [Wed Nov 25 21:02:45 2026] GET /v2.1/flavors/m1.tiny => generated 80 bytes in 161 msecs (HTTP/1.1 404) 9 headers in 380 bytes (1 switches on core 0)`
 */
export const matchUwsgiLine: Matcher = (text, offset) => {
  if (!text.startsWith('[pid: ', offset)) return null;
  // The request line follows the `{N vars in M bytes} [date]` block; a line trimmed of it
  // (`192.168.122.1 () ... GET …`) has no request line we can point at: not read.
  const vars = text.indexOf('} [', offset);
  if (vars < 0) return null;
  const dateClose = text.indexOf('] ', vars);
  if (dateClose < 0) return null;
  const arrow = text.indexOf(' => generated ', dateClose);
  if (arrow < 0) return null;
  const reqLine = text.slice(dateClose + 2, arrow);
  const sp = reqLine.indexOf(' ');
  if (sp < 0 || !HTTP_METHODS.has(reqLine.slice(0, sp))) return null;
  const tail = text.slice(arrow + 14);
  const length = numberAfter(' ' + tail, ' ');
  const inAt = tail.indexOf(' bytes in ');
  let timeMs: number | null = null;
  if (inAt >= 0) {
    const n = numberAfter(tail.slice(inAt), ' bytes in ');
    if (n !== null) timeMs = tail.startsWith('micros', tail.indexOf(' ', inAt + 10) + 1) ? n / 1000 : n;
  }
  const paren = tail.indexOf('(HTTP/');
  const status = paren >= 0 ? numberAfter(tail.slice(paren), ' ') : null;
  const clientStart = text.indexOf('] ', offset) + 2;
  const clientEnd = text.indexOf(' ', clientStart);
  return match(text, offset, text.length, {
    style: 'uwsgi',
    method: reqLine.slice(0, sp),
    target: reqLine.slice(sp + 1),
    status,
    length,
    microversion: null,
    timeMs,
    client: clientStart > 1 && clientEnd > clientStart ? text.slice(clientStart, clientEnd) : null,
  } satisfies AccessPayload);
};

/** cinder-api `POST http://h/volume/v3/…` (request start) and `<url> returned with HTTP 200`. */
export const matchCinderApiLine: Matcher = (text, offset) => {
  const ret =
    text.startsWith('http://', offset) || text.startsWith('https://', offset)
      ? text.lastIndexOf(' returned with HTTP ')
      : -1;
  if (ret > offset) {
    // Three digits: a paste wrapped inside the status (`HTTP 20` / `0`) has none yet.
    const statusText = text.slice(ret + 20).trim();
    if (!/^\d{3}$/.test(statusText)) return null;
    const status = Number(statusText);
    return match(text, offset, text.length, {
      style: 'cinder-returned',
      method: null,
      target: text.slice(offset, ret),
      status,
      length: null,
      microversion: null,
      timeMs: null,
      client: null,
    } satisfies AccessPayload);
  }
  const mEnd = scanUpper(text, offset);
  if (mEnd === offset || mEnd - offset > 7 || text[mEnd] !== ' ') return null;
  const method = text.slice(offset, mEnd);
  if (!HTTP_METHODS.has(method)) return null;
  const url = text.slice(mEnd + 1);
  if (!(url.startsWith('http://') || url.startsWith('https://')) || url.includes(' ')) return null;
  return match(text, offset, text.length, {
    style: 'cinder-request',
    method,
    target: url,
    status: null,
    length: null,
    microversion: null,
    timeMs: null,
    client: null,
  } satisfies AccessPayload);
};

export const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'COPY']);

/** Python dict repr (`{'a': 'b', …}`) possibly wrapped in `CaseInsensitiveDict(…)`. */
export const matchDictRepr: Matcher = (text, offset) => {
  let i = offset;
  if (text.startsWith('CaseInsensitiveDict(', i)) i += 20;
  if (text[i] !== '{') return null;
  const end = scanBalanced(text, i);
  let stop = end;
  if (i !== offset && text[stop] === ')') stop++;
  return match(text, offset, stop, { pairs: parseDictPairs(text.slice(i, end)) });
};

/** Scan a `{…}` block to its closing brace, skipping quoted strings; linear. */
export function scanBalanced(text: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

/** A python string literal starting at `open` (its quote): the unescaped value and the index after it. */
export function readPythonString(src: string, open: number): { value: string; end: number } {
  const quote = src[open];
  let j = open + 1;
  let value = '';
  while (j < src.length && src[j] !== quote) {
    if (src[j] === '\\' && j + 1 < src.length) {
      value += src[j + 1];
      j += 2;
      continue;
    }
    value += src[j];
    j++;
  }
  return { value, end: j + 1 };
}

/** Key/value pairs of a flat python dict repr of strings. */
export function parseDictPairs(src: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let key: string | null = null;
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === "'" || c === '"') {
      const { value, end } = readPythonString(src, i);
      i = end;
      if (key === null) key = value;
      else {
        out.push([key, value]);
        key = null;
      }
      continue;
    }
    i++;
  }
  return out;
}

/** A client error message carrying `(HTTP 404) (Request-ID: req-…)`. */
export const matchClientErrorLine: Matcher = (text, offset) => {
  const at = text.indexOf('(Request-ID: req-', offset);
  if (at < 0) return null;
  const close = text.indexOf(')', at);
  if (close < 0) return null;
  const requestId = text.slice(at + 13, close);
  const httpAt = text.lastIndexOf('(HTTP ', at);
  const status = httpAt >= 0 ? Number(text.slice(httpAt + 6, text.indexOf(')', httpAt))) : null;
  return match(text, offset, text.length, {
    message: text.slice(offset, httpAt >= 0 ? httpAt : at).trim(),
    status: Number.isInteger(status) ? status : null,
    requestId,
  });
};

/** osc's network commands turn the SDK's HttpException into this (openstackclient/network/common.py). */
const OSC_COMMAND_ERROR = 'Error while executing command: ';
/** The SDK's message when the response gave none: the exception's class name and the status. */
const SDK_STATUS_MESSAGE = /^[A-Za-z_][\w.]{0,80}: (\d{3})(?:, |$)/;
/** The legacy clients' `main()` (novaclient, cinderclient…): `ERROR (%(type)s): %(msg)s`, then exit. */
const LEGACY_COMMAND_ERROR = /^ERROR \([A-Za-z_][\w.]{0,80}\): /;
/**
 * osc before 2.x (Kilo, Liberty) logged a failed command's error to stderr in its console format
 * `%(levelname)s: %(name)s %(message)s`: `ERROR: openstack No group with a name or ID of 'x' exists.`
 */
const OSC_CONSOLE_ERROR = 'ERROR: openstack ';
/**
 * osc 5+ printing openstacksdk's HttpException as it is (`ConflictException: 409: Client Error for
 * url: http://…/servers/…/action, Instance … is not ready`): its status, the URL it called and the
 * server's message; the method is not told. openstacksdk exceptions.HttpException.__str__.
 */
const SDK_HTTP_ERROR = /^[A-Z]\w{0,60}Exception: (\d{3}): (Client|Server) Error for url: (https?:\/\/[^\s,]+),? ?/;
/** novaclient's ClientException text before request ids were added: `… (HTTP 500)` at its end. */
const TRAILING_HTTP_STATUS = / \(HTTP (\d{3})\)\s*$/;

/**
 * The one line osc prints for a command that failed before or without an HTTP error, fixed texts
 * of the libraries under it (a run without --debug prints nothing else): osc-lib's
 * `utils.find_resource` (`No server with a name or ID of 'vm1' exists.`, osc's identity
 * `No service with a type, name or ID of 's3' exists.`, `More than one … exists with the name
 * '…'.`), openstacksdk's `Resource.find` (`No Volume found for vol9`, the class's name), osc-lib's
 * auth check (`Missing value auth-url required for auth plugin password`), keystoneauth's
 * `Session.request` when no answer came (`Unable to establish connection to URL: …`, `Request to
 * URL timed out`, `SSL exception connecting to URL: …`, `Unexpected exception for URL: …`) and its
 * generic identity plugin's DiscoveryFailure (`Could not find versioned identity endpoints when
 * attempting to authenticate. …`, with the discovery's answer: `Bad Request (HTTP 400)`).
 */
const CLIENT_FAILURE_TEXTS = [
  /^No [a-z][\w ]{0,40} with a (?:[a-z, ]{1,40} )?name or ID of '.*' exists\.$/,
  /^More than one [A-Za-z][\w ]{0,40} exists with the name '.*'\.$/,
  /^No [A-Z][A-Za-z]{0,40} found for \S.*$/,
  /^Missing value [\w-]{1,40} required for auth plugin [\w-]{1,60}$/,
  /^(?:Unable to establish connection to|SSL exception connecting to|Unexpected exception for) https?:\/\/\S+: \S/,
  /^Request to https?:\/\/\S+ timed out$/,
  /^Could not find versioned identity endpoints when attempting to authenticate\. /,
];
/** The first characters CLIENT_FAILURE_TEXTS start with: most lines are passed over on their first. */
const CLIENT_FAILURE_FIRST = new Set(['N', 'M', 'U', 'S', 'R', 'C']);

/**
 * argparse's error for a command line it cannot parse, after the command's usage: `openstack server
 * add volume: error: the following arguments are required: <volume>` (`%(prog)s: error: %(message)s`,
 * then exit 2). prog is the program and the command's words.
 */
const ARGPARSE_ERROR = /^([a-z][\w-]*)(?: [a-z][\w-]*)*: error: (\S.*)$/;

/**
 * A CLI's last word on a failed command when no request id came with it: osc's
 * `Error while executing command: HttpException: 500, Request Failed: …` (the status only when
 * the SDK wrote it, as `Name: NNN`; the server's message after the comma), older osc's
 * `ERROR: openstack Missing parameter(s):`, or a legacy client's
 * `ERROR (CommandError): Unable to reboot the specified server(s).` (a status only from a
 * trailing `(HTTP NNN)`). A request id is unknown (null).
 */
export const matchCommandErrorLine: Matcher = (text, offset) => {
  if (text.charCodeAt(offset) === 69 /* E */ && LEGACY_COMMAND_ERROR.test(text.slice(offset, offset + 100))) {
    const message = text.slice(offset).trim();
    const http = TRAILING_HTTP_STATUS.exec(message);
    return match(text, offset, text.length, {
      message: http ? message.slice(0, http.index).trim() : message,
      status: http ? Number(http[1]) : null,
      requestId: null,
      endsRun: true,
    });
  }
  if (text.startsWith(OSC_CONSOLE_ERROR, offset)) {
    const message = text.slice(offset + OSC_CONSOLE_ERROR.length).trim();
    const http = TRAILING_HTTP_STATUS.exec(message);
    if (message === '') return null;
    return match(text, offset, text.length, {
      message: http ? message.slice(0, http.index).trim() : message,
      status: http ? Number(http[1]) : null,
      requestId: null,
      // The lines after it may go on with the message (`Missing parameter(s):` lists what is missing).
      endsRun: false,
      osc: true,
    });
  }
  const argparse = text.includes(': error: ', offset)
    ? ARGPARSE_ERROR.exec(text.slice(offset, offset + 2000).trimEnd())
    : null;
  if (argparse !== null && CLIENT_PROGRAMS.has(argparse[1]!))
    return match(text, offset, text.length, {
      message: argparse[2]!,
      status: null,
      requestId: null,
      endsRun: true,
      exitCode: 2,
      argparse: true,
      ...(argparse[1] === 'openstack' ? { osc: true as const } : {}),
    });
  if (CLIENT_FAILURE_FIRST.has(text[offset]!)) {
    const message = text.slice(offset).trim();
    // No status: a DiscoveryFailure's `(HTTP 400)` is the version discovery's answer, not the command's call's.
    if (CLIENT_FAILURE_TEXTS.some((t) => t.test(message)))
      return match(text, offset, text.length, { message, status: null, requestId: null, endsRun: false, osc: true });
  }
  const http = SDK_HTTP_ERROR.exec(text.slice(offset, offset + 2_000));
  if (http) {
    // The whole line, as osc printed it: the command's error reads the same as any exception line's.
    return match(text, offset, text.length, {
      message: text.slice(offset).trim(),
      status: Number(http[1]),
      requestId: null,
      endsRun: false,
      osc: true,
      url: http[3]!,
    });
  }
  if (!text.startsWith(OSC_COMMAND_ERROR, offset)) return null;
  const rest = text.slice(offset + OSC_COMMAND_ERROR.length).trim();
  const sdk = SDK_STATUS_MESSAGE.exec(rest);
  const details = sdk ? rest.slice(sdk[0].length).trim() : '';
  return match(text, offset, text.length, {
    message: details || rest,
    status: sdk ? Number(sdk[1]) : null,
    requestId: null,
    // osc may print the command's usage after it.
    endsRun: false,
    osc: true,
  });
};

/**
 * nova's fault of a server as osc prints it (python's repr of the dict, keys in nova's order):
 * `{'code': 500, 'created': '2026-03-23T07:18:15Z', 'message': 'No valid host was found. …',
 * 'details': 'Traceback …'}` — `server show -f value -c fault`, or the `fault` row of its table.
 * The code, message and created; null unless the text is such a dict whose message is whole.
 */
export function serverFaultOf(text: string): { code: number; message: string; created: string | null } | null {
  const head = /^\{'code': (\d{3}), (?:'created': '([^'\\]*)', )?'message': (?=['"])/.exec(text);
  if (head === null) return null;
  const { value, end } = readPythonString(text, head[0].length);
  if (end > text.length) return null;
  return { code: Number(head[1]), message: value, created: head[2] ?? null };
}

/** A line that is a server's fault dict alone (`server show -f value -c fault`): see serverFaultOf. */
export const matchServerFaultLine: Matcher = (text, offset) => {
  if (!text.startsWith("{'code': ", offset)) return null;
  const fault = serverFaultOf(text.slice(offset).trimEnd());
  return fault === null ? null : match(text, offset, text.length, fault);
};

/**
 * argparse's usage line of a client's command: `usage: openstack security group rule create [-h]`.
 * The command's words are those after the program up to the first option, placeholder or
 * choice (cliff names a command's parser after the command).
 */
export const matchUsageLine: Matcher = (text, offset) => {
  if (!text.startsWith('usage: ', offset)) return null;
  const words = text
    .slice(offset + 7)
    .trim()
    .split(/\s+/);
  const program = words[0] ?? '';
  if (!CLIENT_PROGRAMS.has(program)) return null;
  const command: string[] = [];
  for (const w of words.slice(1)) {
    if (!/^[a-z][a-z0-9-]*$/.test(w)) break;
    command.push(w);
  }
  return match(text, offset, text.length, { program, command: command.join(' ') });
};

/**
 * Where a `RESP:` header name starting at `offset` ends (after its colon), or -1. A header
 * name is `Name:` followed by a space, a tab or the end of the line.
 */
function headerNameEnd(text: string, offset: number): number {
  const first = text.charCodeAt(offset);
  if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122))) return -1;
  let i = offset + 1;
  for (;;) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || isDigit(c) || c === 95 || c === 45) i++;
    else break;
  }
  if (text.charCodeAt(i) !== 58 /* : */) return -1;
  const after = text.charCodeAt(i + 1);
  if (!(Number.isNaN(after) || isSpace(after))) return -1;
  return i + 1;
}

export interface HeaderRunPayload {
  headers: Array<[name: string, value: string]>;
}

/**
 * The `Name: value Name: value …` run of a keystoneauth RESP line, as one token: a header
 * name (see `headerNameEnd`) starts a header, the words up to the next name are its value,
 * joined by single spaces; words before the first name belong to no header. Words are split
 * at spaces and tabs. The run stops before a word where a python dict repr starts (which
 * lexes as `DictRepr` and leaves the line to the grammar) and at a newline. One forward scan.
 */
export const matchHeaderRun: Matcher = (text, offset) => {
  const n = text.length;
  const headers: Array<[string, string]> = [];
  // The current header's value: a slice [vStart, vEnd) of the text while its words are one
  // space apart (the usual case), else the words joined so far in `value`.
  let name: string | null = null;
  let vStart = -1;
  let vEnd = -1;
  let value = '';
  let i = offset;
  let end = offset;
  for (;;) {
    let w = i;
    while (w < n) {
      const c = text.charCodeAt(w);
      if (c === 32 || c === 9 || c === 10) break;
      w++;
    }
    if (w === i) break; // a newline: no token matches it
    // A name is a whole word ending in `:`; only such words need the full check.
    const nameEnd = text.charCodeAt(w - 1) === 58 ? headerNameEnd(text, i) : -1;
    if (nameEnd >= 0) {
      if (name !== null) headers.push([name, vStart >= 0 ? text.slice(vStart, vEnd) : value]);
      name = text.slice(i, nameEnd - 1);
      vStart = -1;
      value = '';
    } else if (name !== null) {
      if (vStart < 0 && value === '') {
        vStart = i;
        vEnd = w;
      } else if (vStart >= 0 && i === vEnd + 1 && text.charCodeAt(vEnd) === 32) vEnd = w;
      else {
        if (vStart >= 0) {
          value = text.slice(vStart, vEnd);
          vStart = -1;
        }
        value = `${value} ${text.slice(i, w)}`;
      }
    }
    end = w;
    let s = w;
    while (s < n && isSpace(text.charCodeAt(s))) s++;
    if (s >= n) break;
    const c = text.charCodeAt(s);
    // `{'` or `{"` opens a dict repr or a JSON body; `{SHA256}…` is a masked header's value.
    if (c === 123 /* { */) {
      const next = text.charCodeAt(s + 1);
      if (next === 39 /* ' */ || next === 34 /* " */ || next === 125 /* } */ || Number.isNaN(next)) break;
    }
    if (c === 67 /* C */ && text.startsWith('CaseInsensitiveDict({', s)) break;
    i = s;
  }
  if (end === offset) return null;
  if (name !== null) headers.push([name, vStart >= 0 ? text.slice(vStart, vEnd) : value]);
  return match(text, offset, end, { headers } satisfies HeaderRunPayload);
};

/**
 * A row of osc's `--timing` table printed as CSV (when the command used a non-table
 * formatter, reference §A12): `"URL","Seconds"`, `"GET http://h/p",0.003481`, `"Total",0.0143`.
 * Exactly two fields, the first quoted.
 */
export const matchTimingCsvRow: Matcher = (text, offset) => {
  if (text[offset] !== '"') return null;
  const close = text.indexOf('",', offset + 1);
  if (close < 0) return null;
  const first = text.slice(offset + 1, close);
  let second = text.slice(close + 2).trim();
  if (second.startsWith('"') && second.endsWith('"') && second.length >= 2) second = second.slice(1, -1);
  if (first.includes('"') || second.includes('"') || second.includes(',')) return null;
  const isHeader = first === 'URL' && second === 'Seconds';
  const sp = first.indexOf(' ');
  const isRow =
    (first === 'Total' || (sp > 0 && HTTP_METHODS.has(first.slice(0, sp)))) &&
    Number.isFinite(Number(second)) &&
    second !== '';
  if (!isHeader && !isRow) return null;
  return match(text, offset, text.length, { cells: [first, second] });
};

/** What python's http.client prints with `debuglevel` 1 (Essex-era novaclient's `--debug`, httplib2 too). */
export type WirePayload =
  | {
      kind: 'wire-send';
      /** Null for a send that carries only the body. */
      method: string | null;
      target: string | null;
      host: string | null;
      headers: Array<[string, string]>;
      body: string | null;
    }
  | { kind: 'wire-reply'; status: number; reason: string }
  | { kind: 'wire-header'; name: string; value: string };

/** A python str/bytes repr's content (`b'…'`, `u'…'`, `'…'`), escapes decoded; null if it is none. */
function pythonLiteral(text: string, i: number): string | null {
  if (text[i] === 'b' || text[i] === 'u') i++;
  const quote = text[i];
  if (quote !== "'" && quote !== '"') return null;
  let out = '';
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j]!;
    if (c === quote) return out;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = text[++j];
    if (e === 'r') out += '\r';
    else if (e === 'n') out += '\n';
    else if (e === 't') out += '\t';
    else if (e === 'x') {
      out += String.fromCharCode(Number.parseInt(text.slice(j + 1, j + 3), 16));
      j += 2;
    } else if (e !== undefined) out += e;
  }
  // A cut line keeps what it has.
  return out;
}

/**
 * http.client's wire dump: `send: b'GET /v2.1/servers HTTP/1.1\r\nHost: h:8774\r\n…\r\n\r\n'`
 * (a second `send:` may carry the body), `reply: 'HTTP/1.1 200 OK\r\n'`, `header: Name: value`.
 */
export const matchWireDebugLine: Matcher = (text, offset) => {
  const c = text.charCodeAt(offset);
  if (c === 115 /* s */ && text.startsWith('send: ', offset)) {
    const data = pythonLiteral(text, offset + 6);
    if (data === null) return null;
    const lineEnd = data.indexOf('\r\n');
    const first = lineEnd < 0 ? data : data.slice(0, lineEnd);
    const parts = first.split(' ');
    if (parts.length === 3 && HTTP_METHODS.has(parts[0]!) && parts[2]!.startsWith('HTTP/')) {
      const headers: Array<[string, string]> = [];
      let at = lineEnd < 0 ? data.length : lineEnd + 2;
      let body: string | null = null;
      while (at < data.length) {
        const end = data.indexOf('\r\n', at);
        const line = data.slice(at, end < 0 ? undefined : end);
        if (line === '') {
          if (end >= 0 && end + 2 < data.length) body = data.slice(end + 2);
          break;
        }
        const colon = line.indexOf(':');
        if (colon > 0) headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
        if (end < 0) break;
        at = end + 2;
      }
      const host = headers.find(([n]) => n.toLowerCase() === 'host')?.[1] ?? null;
      return match(text, offset, text.length, {
        kind: 'wire-send',
        method: parts[0]!,
        target: parts[1]!,
        host,
        headers,
        body,
      } satisfies WirePayload);
    }
    return match(text, offset, text.length, {
      kind: 'wire-send',
      method: null,
      target: null,
      host: null,
      headers: [],
      body: data,
    } satisfies WirePayload);
  }
  if (c === 114 /* r */ && text.startsWith('reply: ', offset)) {
    const data = pythonLiteral(text, offset + 7);
    if (data === null || !data.startsWith('HTTP/')) return null;
    const sp = data.indexOf(' ');
    const status = data.slice(sp + 1, sp + 4);
    if (sp < 0 || !/^\d{3}$/.test(status)) return null;
    return match(text, offset, text.length, {
      kind: 'wire-reply',
      status: Number(status),
      reason: data.slice(sp + 5).trim(),
    } satisfies WirePayload);
  }
  if (c === 104 /* h */ && text.startsWith('header: ', offset)) {
    const colon = text.indexOf(': ', offset + 8);
    // Python 3.x before 3.5 printed names only (`header: Date header: Server …`): no value to keep.
    if (colon < 0) return null;
    const name = text.slice(offset + 8, colon);
    if (!/^[A-Za-z0-9-]+$/.test(name)) return null;
    return match(text, offset, text.length, {
      kind: 'wire-header',
      name,
      value: text.slice(colon + 2).trim(),
    } satisfies WirePayload);
  }
  return null;
};
