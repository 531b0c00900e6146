// Request chains across services (owned by the chains stage, src/chain/chains.ts).
import { z } from 'zod';

export const ChainLink = z.object({
  from: z.string().describe('Node id: `x<exchange id>` or `line:<source>:<line>`'),
  to: z.string(),
  kind: z.enum(['request-id', 'global-request-id', 'resource-uuid', 'time']),
});

export const Chain = z.object({
  id: z.number().int(),
  root: z.union([z.number().int(), z.string()]).describe('Exchange id of the client request, or the request id'),
  links: z.array(ChainLink),
  services: z.array(z.string()),
  spanMs: z.number().nullable(),
  lineServices: z
    .record(z.string(), z.string())
    .optional()
    .describe(
      "Service label of each `line:` node of the chain, e.g. nova-compute (a whole journal mixes services, so the input's label does not tell)",
    ),
});
export type Chain = z.infer<typeof Chain>;

/** The exchange id of an `x<id>` node, or null for a `line:` node. */
export function exchangeIdOfNode(node: string): number | null {
  if (node.length < 2 || node[0] !== 'x') return null;
  const id = Number(node.slice(1));
  return Number.isInteger(id) ? id : null;
}
