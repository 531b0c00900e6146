// flow/unexpected-step: a request inside a flow that the reference flow does not know.
import { flowStepRule } from './step-rule.js';

export const unexpectedStep = flowStepRule(
  'flow/unexpected-step',
  'unexpected',
  'warning',
  'A request the reference flow does not expect.',
  "Fires for every step the flow replay marks `unexpected`. Also takes over the flow stage's own `flow/unexpected` findings.",
  ['flow/unexpected'],
);
