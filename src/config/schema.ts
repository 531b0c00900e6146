// The lint configuration file (`ostrace.config.json`), as zod: per-rule severity
// (or `off`) and options. Rule options are checked later against each rule's own
// schema, so one message can name the full key path.
import * as z from '../core/zod.js';

export const SeverityOrOff = z.enum(['off', 'info', 'warning', 'error']);
export type SeverityOrOff = z.infer<typeof SeverityOrOff>;

export const RuleSetting = z.union(
  [
    SeverityOrOff,
    z.strictObject({
      severity: z.optional(SeverityOrOff),
      options: z.optional(z.record(z.string(), z.unknown())),
    }),
  ],
  {
    // A union only knows "invalid input": say what a rule setting may be.
    error: (issue) =>
      `expected "off", "info", "warning", "error" or { "severity": …, "options": { … } }, got ${JSON.stringify(issue.input)}`,
  },
);
export type RuleSetting = z.infer<typeof RuleSetting>;

export const ConfigFile = z.strictObject({
  $schema: z.optional(z.string()),
  /** Lowest severity that makes `ostrace lint` exit 1. */
  failOn: z.optional(z.enum(['error', 'warning', 'info'])),
  /** By rule id, or `group/*` for every rule of a group (an exact id wins). */
  rules: z.optional(z.record(z.string(), RuleSetting)),
});
export type ConfigFile = z.infer<typeof ConfigFile>;
