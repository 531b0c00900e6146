// Service attribution from the token's catalog: the endpoint URL that is the
// longest prefix of the request URL names the service; failing that, the
// same-origin endpoint sharing the longest path prefix.
import { originOf, parseJson } from './http.js';

export interface CatalogEndpoint {
  type: string;
  url: string;
  origin: string | null;
}

export class Catalog {
  private endpoints: CatalogEndpoint[] = [];

  get size(): number {
    return this.endpoints.length;
  }

  /** Read the catalog of a keystone v3 (`token.catalog`) or v2 (`access.serviceCatalog`) body. */
  addTokenBody(body: string): boolean {
    const json = parseJson(body) as Record<string, unknown> | null;
    if (!json || typeof json !== 'object') return false;
    const token = json.token as Record<string, unknown> | undefined;
    const access = json.access as Record<string, unknown> | undefined;
    const entries = (token?.catalog ?? access?.serviceCatalog) as unknown;
    if (!Array.isArray(entries)) return false;
    const found: CatalogEndpoint[] = [];
    for (const entry of entries as Array<Record<string, unknown>>) {
      const type = typeof entry.type === 'string' ? entry.type : null;
      if (!type || !Array.isArray(entry.endpoints)) continue;
      for (const ep of entry.endpoints as Array<Record<string, unknown>>) {
        for (const key of ['url', 'publicURL', 'internalURL', 'adminURL']) {
          const url = ep[key];
          if (typeof url === 'string') found.push({ type, url: stripSlash(url), origin: originOf(url) });
        }
      }
    }
    if (found.length === 0) return false;
    this.endpoints = found;
    return true;
  }

  /** The service type serving `url`, or null. `hint` (from `call to X`) breaks ties. */
  serviceFor(url: string | null, hint: string | null = null): string | null {
    if (!url || this.endpoints.length === 0) return null;
    const target = stripSlash(url.split('?')[0]!);
    const origin = originOf(target);
    let best: CatalogEndpoint | null = null;
    let bestScore = -1;
    for (const ep of this.endpoints) {
      let score = -1;
      if (target === ep.url || target.startsWith(`${ep.url}/`)) score = 10_000 + ep.url.length;
      else if (origin !== null && ep.origin === origin) score = commonPathPrefix(target, ep.url);
      if (score < 0) continue;
      if (score > bestScore || (score === bestScore && hint !== null && ep.type === hint)) {
        best = ep;
        bestScore = score;
      }
    }
    return best?.type ?? null;
  }
}

function stripSlash(u: string): string {
  return u.endsWith('/') ? u.slice(0, -1) : u;
}

/** Length of the common prefix counted in whole path segments. */
function commonPathPrefix(a: string, b: string): number {
  const sa = a.split('/');
  const sb = b.split('/');
  let n = 0;
  let len = 0;
  while (n < sa.length && n < sb.length && sa[n] === sb[n]) {
    len += sa[n]!.length + 1;
    n++;
  }
  return len;
}
