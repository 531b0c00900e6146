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
    'cinder-api steps) make one warning per flow and service, with the count of instances, instead of one per step. ' +
    'A client step of a command that exited 0 which the log does not show though the command got past it (before the ' +
    'first step of it the log shows, or a lookup whose id a later step names and the command line does not give) is ' +
    'a warning, "not shown": the log is an excerpt, or lines were cut from it.',
);
