// flow/version-guard: a microversion guard decided which variant of a flow applied,
// and the calls fitted another variant better. The flow stage writes the note
// (result.flows[].guard) and the finding.
import { adopterRule } from '../adopter.js';

export const versionGuard = adopterRule(
  'flow/version-guard',
  'warning',
  'The calls fit a flow variant that the negotiated microversion rules out.',
  "Reports the flow replay's version-guard notes: the requests looked like a variant (e.g. attach answered 202) " +
    'that needs another microversion than the one the calls used (e.g. nova >= 2.101), or a shelved-offloaded detach ' +
    'below 2.20. The message says which variant, what it needs, and which call used which microversion.',
);
