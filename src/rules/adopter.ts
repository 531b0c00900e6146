// Some findings are made where the evidence is (the analyzer sees timestamps go back,
// the timeline merge estimates clock offsets, the flow replay notes a version guard).
// A rule of the same id adopts them, so config and --rule can re-rate or switch them off.
import { z } from 'zod';
import { defineRule, type Rule } from '../engine/types.js';
import type { Severity } from '../model/schema.js';

export function adopterRule(
  id: string,
  defaultSeverity: Severity,
  description: string,
  docs: string,
): Rule<Record<string, never>> {
  return defineRule({
    meta: { id, defaultSeverity, description, docs, options: z.strictObject({}), adopts: [id] },
    create() {
      return {};
    },
  });
}
