// Client calls outside any command: a paste that leaves out the start of a command (osc's
// `START with options`, the `openstack` command line) and its end, or a client that prints no
// command markers. The log shows the calls, not the command that sent them (calls an
// `END return value` follows are that command's: chain/assemble/commands.ts). The verdict says what the calls show rather
// than "every operation seen completed": unknown stays unknown.
import { bisectRight } from 'd3-array';
import type { Analysis } from '../core/analysis.js';
import type { OutsideCommands } from '../model/explain-schema.js';
import { rowsWith } from '../rows/rows.js';

/** A command of an input as a stretch of loose calls needs it: where it starts, and its END if its start is not shown. */
interface CommandMark {
  line: number;
  /** Its `END return value`, when the log shows no command line of it (osc's START is not in the log). */
  end: OutsideCommands['end'];
}

/**
 * The client calls outside any command, per stretch of an input between two commands, in log
 * order; a service's log (the calls nova makes to cinder) is no client's paste.
 */
export function outsideCommandsOf(analysis: Analysis): OutsideCommands[] {
  const { result } = analysis;
  const services = new Set(result.inputs.filter((i) => i.service != null && i.service !== 'client').map((i) => i.name));
  const bySource = new Map<string, Array<{ line: number; named: boolean }>>();
  // A client call outside any command is rare (a console log has none, a service log's calls are
  // the server's): only rows of a null command and not of a server are decoded.
  for (const e of rowsWith(
    result.exchanges,
    '"command":null',
    (x) => x.side === 'client' && x.command === null && !services.has(x.source),
    '"side":"server"',
  )) {
    const list = bySource.get(e.source) ?? [];
    list.push({ line: e.line, named: e.service !== null });
    bySource.set(e.source, list);
  }
  if (bySource.size === 0) return [];
  const marks = new Map<string, CommandMark[]>();
  for (const c of result.commands) {
    if (!bySource.has(c.source)) continue;
    const list = marks.get(c.source) ?? [];
    // A command whose START is not in the log (no argv) that ended. Calls an END or clean_up line
    // follows are its own (chain/assemble/commands.ts), so a stretch it ends began before its
    // `command:` line (osc prints that line before any call of its command).
    const startUnseen = c.argv.length === 0 && c.exitCode !== null;
    list.push({
      line: c.line,
      end: startUnseen ? { exitCode: c.exitCode!, source: c.source, line: c.endLine } : null,
    });
    marks.set(c.source, list);
  }
  const out: OutsideCommands[] = [];
  const stretchOf = new Map<string, OutsideCommands>();
  for (const [source, calls] of bySource) {
    const commands = (marks.get(source) ?? []).sort((a, b) => a.line - b.line);
    const starts = commands.map((c) => c.line);
    for (const call of calls.sort((a, b) => a.line - b.line)) {
      // How many commands start before the call: the calls between the same two are one stretch.
      const k = bisectRight(starts, call.line);
      const key = `${source}\n${k}`;
      const had = stretchOf.get(key);
      if (had) {
        had.calls++;
        if (!call.named) had.unattributed++;
        had.lastLine = call.line;
        continue;
      }
      const stretch: OutsideCommands = {
        source,
        line: call.line,
        lastLine: call.line,
        calls: 1,
        unattributed: call.named ? 0 : 1,
        operations: [],
        end: commands[k]?.end ?? null,
      };
      stretchOf.set(key, stretch);
      out.push(stretch);
    }
  }
  // The client flows the loose calls make (replayed together, flows/index.ts): each in the stretch of its first call shown.
  for (const f of rowsWith(result.flows, '"command":null', (x) => x.command === null && x.requestId === null)) {
    const first = f.steps.find((s) => s.status !== 'missing' && s.status !== 'skipped' && s.source !== null);
    if (!first) continue;
    const stretch = out.find((o) => o.source === first.source && o.line <= first.line! && first.line! <= o.lastLine);
    if (stretch && !stretch.operations.includes(f.flow)) stretch.operations.push(f.flow);
  }
  return out;
}
