// flow/capture-mismatch: two steps of one flow instance name different resources
// where the flow says they are the same (the PUT /attachments/{id} of another attachment).
import { flowStepRule } from './step-rule.js';

export const captureMismatch = flowStepRule(
  'flow/capture-mismatch',
  'mismatched',
  'error',
  'Two steps of one flow instance name different resources where the flow needs the same one.',
  'Fires for every step the flow replay marks `mismatched`: its path or log line names another server, volume or ' +
    'attachment than an earlier step of the same instance bound (e.g. `os-complete` on an attachment the `PUT` never updated). ' +
    'The message names both ids and the step that bound the first.',
);
