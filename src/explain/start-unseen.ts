// Commands whose start the log does not show: a paste of a command's tail (its `START with
// options` and command line cut, its calls and `END return value` shown; chain/assemble/commands.ts).
// With nothing wrong in what it shows, "every operation seen completed" would speak as if the log
// showed which command that was: the verdict says its start is not in the log instead, and never
// guesses its command line from its calls.
import type { Analysis } from '../core/analysis.js';
import type { StartUnseen } from '../model/explain-schema.js';
import { rowsWith, rowsWithAny } from '../rows/rows.js';

/**
 * The commands that ended but whose command line the log does not show, that no story already tells
 * nor a note names (`named`: their `source:line`), in log order.
 */
export function startUnseenOf(
  analysis: Analysis,
  told: ReadonlySet<number>,
  named: ReadonlySet<string>,
): StartUnseen[] {
  const { result } = analysis;
  const byId = new Map<number, StartUnseen>();
  for (const c of rowsWith(
    result.commands,
    '"argv":[]',
    (x) =>
      x.argv.length === 0 &&
      x.name === null &&
      x.exitCode !== null &&
      !told.has(x.id) &&
      !named.has(`${x.source}:${x.line}`),
  ))
    byId.set(c.id, {
      source: c.source,
      line: c.line,
      endLine: c.endLine,
      exitCode: c.exitCode!,
      calls: c.exchanges.length,
      operations: [],
    });
  if (byId.size === 0) return [];
  // The client flows its calls make: what the log shows it did, not which command it was.
  const markers = [...byId.keys()].map((id) => `"command":${id}`);
  for (const f of rowsWithAny(result.flows, markers, (x) => x.command !== null && byId.has(x.command))) {
    const operations = byId.get(f.command!)!.operations;
    if (!operations.includes(f.flow)) operations.push(f.flow);
  }
  return [...byId.values()];
}
