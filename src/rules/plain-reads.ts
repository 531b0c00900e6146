// Runs without --debug (a pasted terminal session, a `set -x` script) log no call: what a change
// came to shows only in the tables of the commands after it. The rules that judge an accepted
// change by a later read (flow/attach-rolled-back, command/left-in-error) read such a session
// here: a change that printed no error waits for the first read of its volume showing a settled
// status; another command naming the volume or server before that read tells of itself instead.
import type { Command, FindingObserved, ShownState } from '../model/schema.js';
import { rowsWithAny, type Rows } from '../rows/rows.js';

/** The commands that only read: they do not cut a change off from the read after it. */
const READS = new Set(['volume show', 'volume list', 'server show', 'server list']);

/** A change a plain run made, as the rule reads it from the command line. */
export interface PlainChange {
  /** The volume as the user named it (a read names it by that or by its id). */
  volume: string;
  /** Other names on its command line a later command on them cuts it off by (the server of an attach). */
  others: readonly string[];
}

interface Waiting extends PlainChange {
  command: Command;
}

/**
 * Goes through the commands that made no call, in order: `changeOf` tells a change a command made
 * (it printed no error and exited 0 where that is shown); each change's first read showing a status
 * `settled` accepts goes to `onRead`.
 */
export function plainReads(
  commands: Rows<Command>,
  changeOf: (c: Command) => PlainChange | null,
  settled: (status: string) => boolean,
  onRead: (change: Command, volume: string, read: Command, shown: ShownState) => void,
): void {
  // By input and name: the change waiting for its read.
  const waits = new Map<string, Waiting>();
  const key = (source: string, name: string) => `${source}\u0000${name}`;
  const drop = (w: Waiting) => {
    for (const name of [w.volume, ...w.others])
      if (waits.get(key(w.command.source, name)) === w) waits.delete(key(w.command.source, name));
  };
  // A run with --debug is judged by its calls.
  for (const c of rowsWithAny(commands, ['"exchanges":[]'], (c) => c.exchanges.length === 0)) {
    const words = c.argv.filter((a) => !a.startsWith('-'));
    const reads = READS.has(words.slice(0, 2).join(' '));
    if (!reads)
      // Another command on the volume or server (a detach, a delete, the next change) tells of itself.
      for (const word of words) {
        const w = waits.get(key(c.source, word));
        if (w) drop(w);
      }
    const change = c.error === null && (c.exitCode ?? 0) === 0 ? changeOf(c) : null;
    if (change) {
      const w: Waiting = { ...change, command: c };
      for (const name of [change.volume, ...change.others]) waits.set(key(c.source, name), w);
    }
    if (!reads) continue;
    for (const shown of c.shows ?? []) {
      if (shown.type !== 'volume' || !settled(shown.status)) continue;
      for (const name of new Set([shown.id, shown.name])) {
        const w = name === null ? undefined : waits.get(key(c.source, name));
        if (!w || w.volume !== name) continue;
        drop(w);
        onRead(w.command, w.volume, c, shown);
      }
    }
  }
}

/** A plain read's table row as a finding's evidence. */
export function observedInTable(read: Command, shown: ShownState, volume: string): FindingObserved {
  return {
    source: read.source,
    line: shown.line,
    exchange: null,
    resource: 'volume',
    resourceId: shown.id ?? shown.name ?? volume,
    name: shown.name,
    state: shown.status,
  };
}
