// Which 4xx answers are part of a normal client flow, not a problem:
// - a GET by name that 404s and is followed, in the same command, by a list
//   request filtered by name (`GET /servers/vm1` 404 → `GET /servers?name=vm1`):
//   how novaclient, cinderclient and the SDK find a resource by name (reference §C2/§C3);
// - a 401 followed by the same request answered below 400 (keystoneauth re-authenticates
//   and re-sends, or discovery retried with a token); net/retried reports those;
// - any exchange a replayed flow lists in `explains` (expected, with the status it got).
import type { Analysis } from '../../core/analysis.js';
import { pathOf } from '../../chain/http.js';
import type { Exchange } from '../../model/schema.js';

const UUID_LIKE = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;

function splitPath(path: string): { base: string; query: string } {
  const q = path.indexOf('?');
  const base = (q < 0 ? path : path.slice(0, q)).replace(/\/+$/, '');
  return { base, query: q < 0 ? '' : path.slice(q + 1) };
}

/** True when `e` (a 4xx) is explained by what follows it in its command. */
export function explainedByFollowers(e: Exchange, following: readonly Exchange[]): boolean {
  const path = e.path ?? pathOf(e.url);
  if (e.status === 404 && e.method === 'GET' && path) {
    const { base } = splitPath(path);
    const slash = base.lastIndexOf('/');
    const last = base.slice(slash + 1);
    let name = last;
    try {
      name = decodeURIComponent(last);
    } catch {
      /* keep as logged */
    }
    const collection = base.slice(0, slash);
    if (!UUID_LIKE.test(last)) {
      for (const f of following) {
        if (f.method !== 'GET' || !f.path) continue;
        const fp = splitPath(f.path);
        if (fp.base !== collection && fp.base !== `${collection}/detail`) continue;
        if (hasNameFilter(fp.query, name)) return true;
      }
    }
  }
  if (e.status === 401) {
    for (const f of following) {
      if (f.method === e.method && f.path !== null && f.path === e.path && f.status !== null && f.status < 400)
        return true;
    }
  }
  return false;
}

function hasNameFilter(query: string, name: string): boolean {
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq);
    if (key !== 'name' && key !== 'name~' && key !== 'display_name') continue;
    let value = part.slice(eq + 1);
    try {
      value = decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      /* keep as logged */
    }
    if (value === name) return true;
  }
  return false;
}

/** Of `among`, the exchange ids a replayed flow expects with the status they got (FlowResult.explains, e.g. name-lookup 404s). */
export function flowMatchedExchanges(analysis: Analysis, among: ReadonlySet<number>): Set<number> {
  const out = new Set<number>();
  if (among.size === 0) return out;
  for (const flow of analysis.result.flows) for (const id of flow.explains ?? []) if (among.has(id)) out.add(id);
  return out;
}

/**
 * A service's own call (Exchange.caller) whose answer another rule tells, or none should: the
 * callee's log has the same call as a server exchange (linked by its request id in a chain),
 * which the http rules judge there; or only an error text told it, and that text is the
 * service's record (service/error-logged tells it). One failed call is one finding.
 */
export function calleeTells(analysis: Analysis, calls: readonly Exchange[]): Set<number> {
  const out = new Set<number>();
  if (calls.length === 0) return out;
  const ids = new Set(calls.map((e) => e.id));
  for (const e of calls) if (e.caller?.seen === 'error-text') out.add(e.id);
  for (const chain of analysis.result.chains)
    for (const link of chain.links) {
      if (link.kind !== 'request-id' || link.from[0] !== 'x' || link.to[0] !== 'x') continue;
      const id = Number(link.from.slice(1));
      if (ids.has(id)) out.add(id);
    }
  return out;
}
