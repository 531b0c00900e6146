// flow/missing-step: a step the reference flow requires never happened.
import { flowStepRule } from './step-rule.js';

export const missingStep = flowStepRule(
  'flow/missing-step',
  'missing',
  'error',
  'A step of the reference flow is missing.',
  'Fires for every step the flow replay marks `missing` (a required request or server log event that never happened), ' +
    "once, where its flow instance starts: the command's first line, or the first anchor call of a service-side flow " +
    '(e.g. the nova-api DELETE of a detach). The message says after which step it was expected and where to look. ' +
    'Steps of service-side instances on a service none of whose logs was given (only nova logs: every attach misses its ' +
    'cinder-api steps) make one warning per flow and service, with the count of instances, instead of one per step.',
);
