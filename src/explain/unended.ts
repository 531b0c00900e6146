// Commands the log shows start but not end: no `END return value` (the log stops, or another
// command starts first). With nothing wrong in what it shows, "every operation seen completed"
// would speak for an exit status the log does not have: the verdict names them instead.
import type { Analysis } from '../core/analysis.js';
import type { Unended } from '../model/explain-schema.js';

/** The commands without an `END return value` line that no story already tells, in log order. */
export function unendedOf(analysis: Analysis, told: ReadonlySet<number>): Unended[] {
  const out: Unended[] = [];
  for (const c of analysis.result.commands)
    if (!c.complete && c.exitCode === null && !told.has(c.id))
      out.push({ name: c.name, argv: c.argv, source: c.source, line: c.line, endLine: c.endLine });
  return out;
}
