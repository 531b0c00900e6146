// A finding's severity, apart from the result's schema (src/model/schema.ts re-exports it): the
// rules that validate their data with it load no other schema.
import { z } from 'zod';

export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;
