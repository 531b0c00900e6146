// flow/version-guard: a microversion guard decided which variant of a flow applied,
// and the calls fitted another variant better. The flow replay writes the note and
// the call it read (result.flows[].guard, guardAt); this rule reports it there.
import * as z from '../../core/zod.js';
import { rowsWith } from '../../rows/rows.js';
import { defineRule } from '../../engine/types.js';
import { maskText } from '../../secrets/mask.js';

export const versionGuard = defineRule({
  meta: {
    id: 'flow/version-guard',
    defaultSeverity: 'warning',
    description: 'The calls fit a flow variant that the negotiated microversion rules out.',
    docs:
      "Reports the flow replay's version-guard notes, at the call whose microversion the guard read: the requests " +
      'looked like a variant (e.g. attach answered 202) that needs another microversion than the one the calls used ' +
      '(e.g. nova >= 2.101), or a shelved-offloaded detach below 2.20. The message says which variant, what it needs, ' +
      'and which call used which microversion.',
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onEnd(analysis) {
        // Only the rows with a guard are decoded (the results may live on disk).
        for (const flow of rowsWith(analysis.result.flows, '"guard":"', (f) => !!f.guard)) {
          ctx.report({
            source: flow.guardAt?.source ?? flow.source ?? null,
            line: flow.guardAt?.line ?? flow.line ?? null,
            exchange: flow.guardAt?.exchange ?? null,
            message: `${flow.flow}: ${maskText(flow.guard!)}`,
          });
        }
      },
    };
  },
});
