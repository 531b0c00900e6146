// HAR's `cookies` of a request and a response (HAR 1.2: name, value; of a Set-Cookie also
// path, domain, expires, httpOnly, secure when it says so), read from the Cookie and Set-Cookie
// headers as the HAR writes them: masked (each value `***`) unless --show-secrets, so a
// cookie's value is exactly what its header shows.

export interface HarCookie {
  name: string;
  value: string;
  path?: string;
  domain?: string;
  /** ISO 8601, from the Set-Cookie's `Expires` date (left out when it is no date). */
  expires?: string;
  httpOnly?: boolean;
  secure?: boolean;
}

interface NamedValue {
  name: string;
  value: string;
}

/** `name=value` (RFC 6265's cookie-pair): anything without `=` or a name is no cookie. */
function pairOf(text: string): NamedValue | null {
  const eq = text.indexOf('=');
  const name = eq < 0 ? '' : text.slice(0, eq).trim();
  return name === '' ? null : { name, value: text.slice(eq + 1).trim() };
}

/** A request's `Cookie: a=1; b=2`: one cookie per pair. */
export function requestCookies(headers: readonly NamedValue[]): HarCookie[] {
  return headers
    .filter((h) => h.name.toLowerCase() === 'cookie')
    .flatMap((h) => h.value.split(';').flatMap((part) => pairOf(part) ?? []));
}

// Where requests joined several Set-Cookie headers with `, `: before a `name=`. The comma of an
// Expires date (`Wed, 09 Dec 2026 …`) is followed by a space and a day, no `name=`.
const nextSetCookie = /,\s*(?=[!#$%&'*+.^_`|~0-9A-Za-z-]+=)/;

/** An Expires date has its time of day (`21:46:47`): anything else V8 may still read as some date. */
const HAS_TIME = /\b\d{1,2}:\d{2}:\d{2}\b/;

/** A response's Set-Cookie headers: one cookie each (or each one requests joined), with its attributes. */
export function responseCookies(headers: readonly NamedValue[]): HarCookie[] {
  const out: HarCookie[] = [];
  for (const h of headers) {
    if (h.name.toLowerCase() !== 'set-cookie') continue;
    for (const one of h.value.split(nextSetCookie)) {
      const [first = '', ...attributes] = one.split(';');
      const pair = pairOf(first);
      if (pair === null) continue;
      const cookie: HarCookie = { ...pair };
      for (const attribute of attributes) {
        const eq = attribute.indexOf('=');
        const key = (eq < 0 ? attribute : attribute.slice(0, eq)).trim().toLowerCase();
        const value = eq < 0 ? '' : attribute.slice(eq + 1).trim();
        if (key === 'path') cookie.path = value;
        else if (key === 'domain') cookie.domain = value;
        else if (key === 'httponly') cookie.httpOnly = true;
        else if (key === 'secure') cookie.secure = true;
        else if (key === 'expires' && HAS_TIME.test(value)) {
          const ms = Date.parse(value);
          if (!Number.isNaN(ms)) cookie.expires = new Date(ms).toISOString();
        }
      }
      out.push(cookie);
    }
  }
  return out;
}
