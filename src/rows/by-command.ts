// Walk a run's commands with their exchanges in one pass over both lists, without
// indexing every exchange: both are in id order and a command's exchanges are
// handed on together when it closes, so each command's group is contiguous and
// precedes the next command's. Exchanges outside any command (a pasted fragment,
// server-side exchanges) are handed on alone, in order.
import type { Command, Exchange, RunResult } from '../model/schema.js';

export function forEachCommand(
  run: Pick<RunResult, 'commands' | 'exchanges'>,
  fn: (command: Command | null, exchanges: Exchange[]) => void,
): void {
  const it = run.exchanges[Symbol.iterator]();
  let next = it.next();
  for (const command of run.commands) {
    const group: Exchange[] = [];
    while (!next.done) {
      const e = next.value;
      // An exchange of a later command, or one outside any after this command's own: its group is over.
      if (e.command !== null ? e.command > command.id : group.length > 0) break;
      next = it.next();
      if (e.command === command.id) group.push(e);
      else fn(null, [e]);
    }
    fn(command, group);
  }
  while (!next.done) {
    fn(null, [next.value]);
    next = it.next();
  }
}
