// api/deprecated: calls to API versions OpenStack has deprecated and removed:
// Block Storage v1/v2, Identity v2.0, and Nova's legacy v2 endpoint (v2.1 replaced it).
import * as z from '../../core/zod.js';
import { defineRule } from '../../engine/types.js';
import type { Exchange } from '../../model/schema.js';
import { describeExchange } from '../describe.js';

interface Deprecated {
  api: string;
  advice: string;
}

/** The deprecated API an exchange uses, or null. Reads the path segments and the catalog service type. */
export function deprecatedApi(e: Exchange): Deprecated | null {
  if (!e.path) return null;
  const q = e.path.indexOf('?');
  const segments = (q < 0 ? e.path : e.path.slice(0, q)).split('/').filter((s) => s !== '');
  const service = (e.service ?? '').toLowerCase();
  const first = segments[0] ?? '';
  const second = segments[1] ?? '';
  const version = (prefix: string) =>
    first === prefix ? second : service !== '' && isService(service, prefix) ? first : '';
  const volume = version('volume');
  if (volume === 'v1' || volume === 'v2')
    return { api: `Block Storage API ${volume}`, advice: 'use the v3 API (volumev3 / block-storage endpoint)' };
  if (version('identity') === 'v2.0') return { api: 'Identity API v2.0', advice: 'use Identity v3' };
  if (version('compute') === 'v2') return { api: 'legacy Compute API v2', advice: 'use the v2.1 endpoint' };
  return null;
}

function isService(service: string, prefix: string): boolean {
  if (prefix === 'volume')
    return service.startsWith('volume') || service === 'block-storage' || service === 'block-store';
  return service === prefix;
}

export const deprecatedApiRule = defineRule({
  meta: {
    id: 'api/deprecated',
    defaultSeverity: 'warning',
    description: 'A call to a deprecated API version (Block Storage v1/v2, Identity v2.0, legacy Compute v2).',
    docs:
      'Fires on the first call of each input to a deprecated API: Cinder `/volume/v1|v2/…` (or a `volume`/`volumev2` ' +
      "endpoint at `/v1|v2/…`), Keystone `/v2.0`, Nova's legacy `/v2/{project}` endpoint. One finding per API and input.",
    options: z.strictObject({}),
  },
  create(ctx) {
    const seen = new Set<string>();
    return {
      onExchange(e) {
        const d = deprecatedApi(e);
        if (!d) return;
        const key = `${e.source}\u0000${d.api}`;
        if (seen.has(key)) return;
        seen.add(key);
        ctx.report({
          source: e.source,
          line: e.line,
          exchange: e.id,
          message: `${describeExchange(e)} uses the deprecated ${d.api}: ${d.advice}`,
        });
      },
    };
  },
});
