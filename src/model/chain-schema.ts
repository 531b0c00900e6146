// Request chains across services (owned by the chains stage, src/chain/chains.ts).
import * as z from '../core/zod.js';

export const ChainLink = z.object({
  from: z.string().check(z.describe('Node id: `x<exchange id>` or `line:<source>:<line>`')),
  to: z.string(),
  kind: z.enum(['request-id', 'global-request-id', 'resource-uuid', 'time']),
});

export const Chain = z.object({
  id: z.number().check(z.int()),
  root: z
    .union([z.number().check(z.int()), z.string()])
    .check(z.describe('Exchange id of the client request, or the request id')),
  links: z.array(ChainLink),
  services: z.array(z.string()),
  spanMs: z.nullable(z.number()),
  lineServices: z
    .optional(z.record(z.string(), z.string()))
    .check(
      z.describe(
        "Service label of each `line:` node of the chain, e.g. nova-compute (a whole journal mixes services, so the input's label does not tell)",
      ),
    ),
});
export type Chain = z.infer<typeof Chain>;

export const ClockEvidence = z.object({
  source: z.string(),
  line: z.number().check(z.int(), z.describe('The line logged out of causal order')),
  otherSource: z.string(),
  otherLine: z.number().check(z.int(), z.describe('The line of the other input it contradicts')),
  relation: z
    .enum(['before', 'after-end'])
    .check(
      z.describe(
        'before: logged gapMs before the line that caused it; after-end: gapMs after the end of what caused it',
      ),
    ),
  gapMs: z.number(),
  why: z.string().check(z.describe('The causal link, e.g. `request req-… was passed on to` …')),
});
export type ClockEvidence = z.infer<typeof ClockEvidence>;

export const ClockSkew = z.object({
  kind: z
    .enum(['offset', 'ambiguous', 'unexplained'])
    .check(
      z.describe(
        "offset: one input's clock is off by offsetMs (the timeline is corrected for it); ambiguous: two inputs disagree by " +
          'about offsetMs and no other log tells which is wrong (one is corrected); unexplained: no correction of a few inputs explains it',
      ),
    ),
  inputs: z.array(z.string()).check(z.describe('The inputs whose clocks are in question')),
  offsetMs: z
    .nullable(z.number())
    .check(z.describe('Estimated offset (positive = ahead); the disagreement for ambiguous; null for unexplained')),
  source: z.string().check(z.describe('The input the estimate is about (the first named)')),
  line: z.number().check(z.int(), z.describe('Its line that shows the evidence')),
  evidence: ClockEvidence.check(z.describe('The causal pair that is broken worst with equal clocks')),
});
export type ClockSkew = z.infer<typeof ClockSkew>;

export { exchangeIdOfNode } from './node-id.js';
