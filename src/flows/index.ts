// Placeholder for the flow replay (issue 4) stage; replaced by its real implementation.
import type { Analysis } from '../analyze.js';
import type { PipelineOptions } from '../pipeline.js';

export function replayFlows(_analysis: Analysis, _options: PipelineOptions): void {
  // not implemented yet
}
