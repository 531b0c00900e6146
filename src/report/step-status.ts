// How the reports name a flow step's status.
import type { FlowStepResult } from '../model/flow-schema.js';

/** A missing step the log leaves out though its command got past it (`notShown`) is "not shown". */
export function stepStatusLabel(s: Pick<FlowStepResult, 'status' | 'notShown'>): string {
  return s.status === 'missing' && s.notShown === true ? 'not shown' : s.status;
}
