// The `--timing` table machine: osc's `| URL | Seconds |` table (boxed or CSV) times
// the exchanges of its command in order, row by row.
import type { LineRecord } from '../../core/records.js';
import { HTTP_METHODS } from '../../lex/matchers.js';
import type { Exchange } from '../../model/schema.js';
import { originOf, pathOf, samePath } from '../http.js';
import type { Commands } from './commands.js';
import type { Draft } from './drafts.js';

export class TimingTable {
  /** Inside a table (after its `URL | Seconds` header row): the index of the last exchange timed. */
  private table: { lastMatched: number } | null = null;

  reset(): void {
    this.table = null;
  }

  /** `| URL | Seconds |` starts a table; `| GET http://… | 0.0123 |` rows time the exchanges in order. */
  row(r: Extract<LineRecord, { kind: 'table-row' }>, commands: Commands): void {
    const [first, second] = r.cells;
    if (r.cells.length === 2 && first === 'URL' && second === 'Seconds') {
      this.table = { lastMatched: -1 };
      return;
    }
    if (!this.table || r.cells.length !== 2 || first === undefined || second === undefined) return;
    const sp = first.indexOf(' ');
    const seconds = Number(second);
    if (sp < 0 || !Number.isFinite(seconds) || !HTTP_METHODS.has(first.slice(0, sp))) {
      if (first === 'Total') this.table = null;
      return;
    }
    const method = first.slice(0, sp);
    const url = first.slice(sp + 1).trim();
    const ms = Math.round(seconds * 1e6) / 1e3;
    const open = commands.command?.exchanges ?? (commands.lastExchanges.length === 0 ? commands.loose : null);
    const list: Array<{ method: string | null; url: string | null }> = open ?? commands.lastExchanges;
    const timed = (x: { method: string | null; url: string | null }, i: number) =>
      i > this.table!.lastMatched && x.method === method && sameUrl(x.url, url);
    const at = list.findIndex(timed);
    if (at < 0) return;
    this.table.lastMatched = at;
    if (open) (open[at] as Draft).tableMs = ms;
    else applyTableTiming(commands.lastExchanges[at]!, ms);
  }
}

/** A `--timing` duration counts only where the log itself has no timestamps (they are more exact). */
export function applyTableTiming(exchange: Exchange, ms: number): void {
  if (exchange.timing === 'log') return;
  exchange.durationMs = ms;
  exchange.timing = 'timing-table';
}

/** A `--timing` URL against an exchange URL: same origin (default ports explicit) and same path. */
function sameUrl(a: string | null, b: string): boolean {
  if (a === null) return false;
  const oa = originOf(a);
  const ob = originOf(b);
  return (oa === null || ob === null || oa === ob) && samePath(pathOf(a), pathOf(b));
}
