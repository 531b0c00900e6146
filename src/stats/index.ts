// Placeholder for the timing statistics (issue 5) stage; replaced by its real implementation.
import type { Analysis } from '../analyze.js';
import type { PipelineOptions } from '../pipeline.js';

export function computeStats(_analysis: Analysis, _options: PipelineOptions): void {
  // not implemented yet
}
