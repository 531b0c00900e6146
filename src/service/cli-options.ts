// `--label FILE=service` and `--format-template FMT` (analyze): validated here so a
// bad value stops the run with a usage error before any input is read.
import { UsageError } from '../core/errors.js';
import type { ServiceOptions } from '../core/analysis.js';
import { parseLabelOption } from './labels.js';
import { compileTemplate } from './template.js';

/** commander collector for repeatable options. */
export function collectRepeatable(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function serviceAnalyzeOptions(
  labels: readonly string[] = [],
  templates: readonly string[] = [],
): ServiceOptions {
  const out: ServiceOptions = {};
  if (labels.length > 0) {
    try {
      out.labels = parseLabelOption(labels);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  if (templates.length > 0) {
    for (const t of templates) {
      try {
        compileTemplate(t);
      } catch (e) {
        throw new UsageError(`--format-template: ${(e as Error).message}`);
      }
    }
    out.formatTemplates = [...templates];
  }
  return out;
}
