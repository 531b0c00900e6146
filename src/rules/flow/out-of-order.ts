// flow/out-of-order: a step happened, but not where the reference flow puts it.
import { flowStepRule } from './step-rule.js';

export const outOfOrder = flowStepRule(
  'flow/out-of-order',
  'out-of-order',
  'warning',
  'A step of the reference flow happened out of order.',
  'Fires for every step the flow replay marks `out-of-order`.',
);
