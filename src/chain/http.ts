// Facts derived from one exchange's headers and bodies. Bodies stay strings until
// one of these helpers needs them, and each parses at most once.
import type { Header } from '../core/records.js';
import { requestIdOrNull } from '../core/request-ids.js';
import { maskText } from '../secrets/mask.js';

export function headerValue(headers: readonly Header[] | null | undefined, name: string): string | null {
  if (!headers) return null;
  const lower = name.toLowerCase();
  for (const [k, v] of headers) if (k.toLowerCase() === lower) return v;
  return null;
}

/** Path and query of a URL, without scheme, host or port. */
export function pathOf(url: string | null): string | null {
  if (url === null) return null;
  const scheme = url.indexOf('://');
  if (scheme < 0) return url;
  const slash = url.indexOf('/', scheme + 3);
  if (slash < 0) {
    const q = url.indexOf('?', scheme + 3);
    return q < 0 ? '/' : `/${url.slice(q)}`;
  }
  return url.slice(slash);
}

/** Origin (`scheme://host:port`) with the default port made explicit. */
export function originOf(url: string): string | null {
  const m = /^([a-z]+):\/\/([^/?#]+)/i.exec(url);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  let host = m[2]!.toLowerCase();
  if (!/:\d+$/.test(host) || host.endsWith(']')) host += scheme === 'https' ? ':443' : ':80';
  return `${scheme}://${host}`;
}

/** Paths equal up to a trailing slash and URL-encoding of the query. */
export function samePath(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false;
  return a === b || normalPath(a) === normalPath(b);
}

/** The form `samePath` compares: decoded, without a trailing slash (a key for indexes). */
export function normalPath(s: string): string {
  let t = s;
  try {
    t = decodeURIComponent(s);
  } catch {
    /* keep as logged */
  }
  return t.replace(/\/+(\?|$)/, '$1');
}

export function microversionOf(
  responseHeaders: readonly Header[] | null,
  requestHeaders: readonly Header[],
): string | null {
  for (const headers of [responseHeaders, requestHeaders]) {
    const v = headerValue(headers, 'OpenStack-API-Version');
    if (v) {
      const sp = v.lastIndexOf(' ');
      return sp >= 0 ? v.slice(sp + 1) : v;
    }
    const legacy = headerValue(headers, 'X-OpenStack-Nova-API-Version');
    if (legacy) return legacy;
  }
  return null;
}

/** The responding service's id: x-openstack-request-id, else x-compute-request-id. */
export function responseRequestId(headers: readonly Header[] | null): string | null {
  // An empty value (a header cut from its value by a wrap) is no id: unknown stays null.
  // An id run into other text (over MAX_REQUEST_ID) is none either (src/core/request-ids.ts).
  const id = requestIdOrNull(
    headerValue(headers, 'x-openstack-request-id') || headerValue(headers, 'x-compute-request-id'),
  );
  // An id a paste elided (`req-2b6f…`) is not the id either.
  return id !== null && !id.endsWith('…') && !id.endsWith('...') ? id : null;
}

/** Parse a JSON body once; null when it is not JSON. */
export function parseJson(text: string | null): unknown {
  if (text === null) return null;
  const t = text.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return null;
  try {
    return JSON.parse(t);
  } catch {
    return null;
  }
}

/**
 * Message and code of an error response: `{"itemNotFound": {"message": …}}`, `{"error": …}`, HTML
 * title. webob's own JSON error page (`{"message": …, "code": "503 Service Unavailable", "title": …}`,
 * what keystonemiddleware answers when keystone is down) names no error key: its code is null.
 */
export function errorOf(
  status: number | null,
  body: string | null,
): { message: string | null; code: string | null } | null {
  if (status === null || status < 400) return null;
  // The message goes into every report (findings quote it): a secret in the body (a token body,
  // an `adminPass`) is masked first, while its key still says what it is.
  return errorInBody(status, body === null ? null : maskText(body));
}

function errorInBody(
  status: number | null,
  body: string | null,
): { message: string | null; code: string | null } | null {
  if (status === null || status < 400) return null;
  const json = parseJson(body);
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const flat = json as Record<string, unknown>;
    if (typeof flat.message === 'string' && typeof flat.title === 'string')
      return { message: flat.message || flat.title, code: null };
    const keys = Object.keys(json);
    if (keys.length >= 1) {
      const code = keys[0]!;
      const inner = (json as Record<string, unknown>)[code];
      if (inner && typeof inner === 'object') {
        const o = inner as Record<string, unknown>;
        const message = typeof o.message === 'string' ? o.message : typeof o.title === 'string' ? o.title : null;
        return { message, code };
      }
      if (typeof inner === 'string') return { message: inner, code };
    }
  }
  if (body) {
    const title = /<title>([^<]{0,300})<\/title>/i.exec(body);
    if (title) return { message: title[1]!.trim(), code: null };
    const h1 = /<h1>([^<]{0,300})<\/h1>/i.exec(body);
    if (h1) return { message: h1[1]!.trim(), code: null };
    return { message: body.trim().slice(0, 300) || null, code: null };
  }
  return { message: null, code: null };
}
