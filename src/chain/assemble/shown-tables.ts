// The shown-table machine: what a run without --debug printed of a volume or server. Such a
// run logs no call, so its table is the only read of the resource: `volume show` prints
// `| Field | Value |` rows (status, id, name), `volume list` a row per volume under its
// `| ID | Name | Status | … |` header. cliff's table formatter draws a border line above the
// header, one under it and one after the last row; a value that wraps continues on rows whose
// first cell is empty.
import type { LineRecord } from '../../core/records.js';
import { commandStart, positionalsOf } from '../../core/osc-argv.js';
import type { ShownState } from '../../model/schema.js';
import type { CommandDraft } from './drafts.js';

/** The commands whose table shows a resource's status, and the resource. */
const READS: ReadonlyArray<{ words: string[]; type: string; list: boolean }> = [
  { words: ['volume', 'show'], type: 'volume', list: false },
  // The volume it made: its id, and `creating`.
  { words: ['volume', 'create'], type: 'volume', list: false },
  { words: ['volume', 'list'], type: 'volume', list: true },
  { words: ['server', 'show'], type: 'server', list: false },
  { words: ['server', 'list'], type: 'server', list: true },
];

/** Rows of one `list` kept, at most: a project's whole volume list is not every command's to carry. */
const MAX_SHOWN = 1000;

interface Table {
  command: CommandDraft;
  type: string;
  list: boolean;
  /** Border lines read: 1 before the header, 2 in the rows, 3 after them. */
  borders: number;
  /** Of a list: the columns of id, name and status (-1: none); of a show: unused. */
  columns: { id: number; name: number; status: number } | null;
  /** Of a show: what its rows said so far. */
  fields: { id: string | null; name: string | null; status: string | null; line: number };
}

export class ShownTables {
  private table: Table | null = null;

  reset(): void {
    this.table = null;
  }

  /** A `+----+` line: a table of the open plain command opens, goes to its rows, or ends. */
  border(command: CommandDraft | null): void {
    const t = this.table;
    if (t && t.command === command) {
      t.borders++;
      if (t.borders === 3) this.end();
      return;
    }
    this.table = null;
    if (!command?.plain) return;
    const read = READS.find((r) => commandStart(command.argv, r.words) >= 0);
    if (!read) return;
    this.table = {
      command,
      type: read.type,
      list: read.list,
      borders: 1,
      columns: null,
      fields: { id: null, name: null, status: null, line: 0 },
    };
  }

  row(r: Extract<LineRecord, { kind: 'table-row' }>, command: CommandDraft | null, line: number): void {
    const t = this.table;
    if (!t || t.command !== command) return;
    if (t.borders === 1) {
      // The header: a show's `Field | Value`, a list's column names.
      if (t.list) {
        const at = (name: string) => r.cells.indexOf(name);
        t.columns = { id: at('ID'), name: at('Name'), status: at('Status') };
      } else if (r.cells[0] !== 'Field') this.table = null;
      return;
    }
    if (t.borders !== 2) return;
    if (t.list) {
      const c = t.columns;
      const status = c && c.status >= 0 ? r.cells[c.status] : undefined;
      if (!c || !status) return;
      const shows = (t.command.shows ??= []);
      if (shows.length < MAX_SHOWN)
        shows.push({
          type: t.type,
          id: cell(r.cells, c.id),
          name: cell(r.cells, c.name),
          status,
          line,
        });
      return;
    }
    const [field, value] = r.cells;
    if (!field || value === undefined) return;
    const f = t.fields;
    if (field === 'id') f.id = value || null;
    else if (field === 'name') f.name = value || null;
    else if (field === 'status' && value !== '') {
      f.status = value;
      f.line = line;
    }
  }

  /**
   * The one line of `volume show VOL -f value -c status` (`server show`, likewise): the status, as
   * scripts poll it. The resource is named as typed (a name or an id: which, the line does not say).
   */
  valueLine(command: CommandDraft | null, text: string, line: number): boolean {
    if (!command?.plain || command.shows !== undefined || !STATUS_WORD.test(text)) return false;
    const { argv } = command;
    if (
      optionValues(argv, '-f', '--format').join() !== 'value' ||
      optionValues(argv, '-c', '--column').join() !== 'status'
    )
      return false;
    for (const read of READS) {
      if (read.list || read.words[1] !== 'show') continue;
      const [typed] = positionalsOf(argv, read.words) ?? [];
      if (typed === undefined) continue;
      const uuid = UUID.test(typed);
      command.shows = [{ type: read.type, id: uuid ? typed : null, name: uuid ? null : typed, status: text, line }];
      return true;
    }
    return false;
  }

  /** The bottom border: a show's one resource, when its status was shown. */
  private end(): void {
    const t = this.table!;
    this.table = null;
    const f = t.fields;
    if (t.list || f.status === null) return;
    const shown: ShownState = { type: t.type, id: f.id, name: f.name, status: f.status, line: f.line };
    (t.command.shows ??= []).push(shown);
  }
}

/** A status as cinder and nova write them: `in-use`, `error_extending`, `ACTIVE`. */
const STATUS_WORD = /^[A-Za-z][A-Za-z_-]{1,40}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every value of an option given by its short or long name (`-c status`, `--column=status`, `-cstatus`). */
function optionValues(argv: readonly string[], short: string, long: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === short || a === long) out.push(argv[++i] ?? '');
    else if (a.startsWith(`${long}=`)) out.push(a.slice(long.length + 1));
    else if (a.startsWith(short) && a.length > short.length && !a.startsWith('--')) out.push(a.slice(short.length));
  }
  return out;
}

function cell(cells: readonly string[], at: number): string | null {
  return at >= 0 && cells[at] ? cells[at] : null;
}
