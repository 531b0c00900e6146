// Placeholder for the lint rules (issue 6) stage; replaced by its real implementation.
import type { Analysis } from '../analyze.js';
import type { PipelineOptions } from '../pipeline.js';

export function applyRules(_analysis: Analysis, _options: PipelineOptions): void {
  // not implemented yet
}
