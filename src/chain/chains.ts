// Placeholder for the chains across services (issue 3) stage; replaced by its real implementation.
import type { Analysis } from '../analyze.js';
import type { PipelineOptions } from '../pipeline.js';

export function buildChains(_analysis: Analysis, _options: PipelineOptions): void {
  // not implemented yet
}
