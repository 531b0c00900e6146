// flow/unexpected-step: a request inside a flow that the reference flow does not know.
import { flowStepRule } from './step-rule.js';

export const unexpectedStep = flowStepRule(
  'flow/unexpected-step',
  'unexpected',
  'warning',
  'A request the reference flow does not expect.',
  'Fires for every step the flow replay marks `unexpected`: a request or service-log event a step of the flow ' +
    'recognises, where the chosen variant has no room for it (a duplicate, a retry, another operation interleaved).',
);
