// flow/failed-step: a step happened and failed (error status or error log line).
import { flowStepRule } from './step-rule.js';

export const failedStep = flowStepRule(
  'flow/failed-step',
  'failed',
  'error',
  'A step of the reference flow failed.',
  'Fires for every step the flow replay marks `failed` (the request was made and answered with an error).',
);
