// flow/missing-step: a step the reference flow requires never happened.
import { flowStepRule } from './step-rule.js';

export const missingStep = flowStepRule(
  'flow/missing-step',
  'missing',
  'error',
  'A step of the reference flow is missing.',
  'Fires for every step the flow replay marks `missing` (a required request or server log event that never happened).',
);
