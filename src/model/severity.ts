// A finding's severity, apart from the result's schema (src/model/schema.ts re-exports it): the
// rules that validate their data with it load no other schema.
import * as z from '../core/zod.js';

export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;
