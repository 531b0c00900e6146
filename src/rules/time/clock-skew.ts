// time/clock-skew: a service's clock disagrees with the others. The chain merge
// (src/chain/merge.ts) estimates clock offsets from causal pairs (a request must be
// logged by the server between the client's send and receive).
import { adopterRule } from '../adopter.js';

export const clockSkew = adopterRule(
  'time/clock-skew',
  'warning',
  "A log's clock is off compared with the others (cause before effect is violated).",
  'Reports the clock offsets the timeline merge estimates when logs of several hosts are read together: a service ' +
    "that logged a request before the client sent it, or after the answer came back, by more than the merge's tolerance. " +
    'The merged timeline is corrected for the offset; the finding says which log and by how much.',
);
