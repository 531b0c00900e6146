// The long lists of a run (exchanges, commands, flow results, per-command stats)
// are `Rows`: iterable and counted, with the read-only array methods the stages and
// reporters use. A plain array is Rows; so is a SpillList, which keeps only its
// newest items in memory and the rest in a temporary file, so that a run's memory
// does not grow with the length of its log.
export interface Rows<T> extends Iterable<T> {
  readonly length: number;
  map<U>(fn: (value: T, index: number) => U): U[];
  filter<S extends T>(fn: (value: T, index: number) => value is S): S[];
  filter(fn: (value: T, index: number) => unknown): T[];
  find<S extends T>(fn: (value: T, index: number) => value is S): S | undefined;
  find(fn: (value: T, index: number) => unknown): T | undefined;
  some(fn: (value: T, index: number) => unknown): boolean;
  every(fn: (value: T, index: number) => unknown): boolean;
  forEach(fn: (value: T, index: number) => void): void;
  /** Reads through the list: O(n) on a spilled list; meant for tests and small lookups. */
  at(index: number): T | undefined;
  /**
   * Each row as `JSON.stringify` writes it, when the list has a faster way than that (a SpillList's
   * file); `unread`: values made null in a row from the file (a row in memory keeps them).
   */
  jsonRows?(unread?: UnreadValues): Iterable<string>;
  /** `jsonRows` gives the rows as they were written, undecoded (no patch changes them on the way). */
  readonly jsonRowsAsWritten?: boolean;
  /** `at` reads a row alone, not the rows before it (an indexed SpillList). */
  readonly readsAlone?: boolean;
  /** Every row's JSON with `separator` between two rows, in pieces (a SpillList's file read as it is). */
  jsonJoined?(separator: string): Iterable<string>;
  /** The JSON rows that contain `marker`, when the list can find them without decoding every row. */
  jsonRowsWith?(marker: string): Iterable<string>;
  /** The JSON rows that contain any of `markers` (and not `without`), each once, found as `jsonRowsWith` finds them. */
  jsonRowsWithAny?(markers: readonly string[], without?: string, unread?: UnreadValues): Iterable<string>;
  /**
   * The JSON rows `pick` accepts from their bytes (`bytes[start, end)`, UTF-8, valid only during
   * the call), decoded: a row it refuses is never made a string.
   */
  jsonRowsPicked?(pick: (bytes: Buffer, start: number, end: number) => boolean): Iterable<string>;
}

/** String values a reader of JSON rows never reads: those of `key` between the first `from` and the first `to` after it (a flow's steps' messages). */
export interface UnreadValues {
  readonly key: string;
  readonly from: string;
  readonly to: string;
}

/**
 * The rows whose JSON holds `marker` (e.g. `"status":"missing"`) and pass `keep`, read
 * from a spilled list's JSON lines: a line without the marker is skipped unparsed, so
 * a rule looking for a rare case does not parse every row of a long run. The marker is
 * only a pre-filter (JSON.stringify writes it without spaces); `keep` decides. `without`: text
 * that only the JSON of a row `keep` refuses holds (e.g. `"command":null` for a rule of a
 * command's rows): a spilled line holding it is passed over undecoded. `unread`: values the
 * caller never reads, null in a spilled row (less to decode; a row held in memory keeps them).
 */
export function* rowsWith<T>(
  rows: Rows<T>,
  marker: string,
  keep: (row: T) => boolean,
  without?: string,
  unread?: UnreadValues,
): Generator<T> {
  if (rows.jsonRowsWithAny) {
    for (const line of rows.jsonRowsWithAny([marker], without, unread)) {
      const row = JSON.parse(line) as T;
      if (keep(row)) yield row;
    }
  } else if (rows.jsonRowsWith) {
    for (const line of rows.jsonRowsWith(marker)) {
      const row = JSON.parse(line) as T;
      if (keep(row)) yield row;
    }
  } else if (rows.jsonRows) {
    for (const line of rows.jsonRows()) {
      if (!line.includes(marker)) continue;
      const row = JSON.parse(line) as T;
      if (keep(row)) yield row;
    }
  } else for (const row of rows) if (keep(row)) yield row;
}

/**
 * The rows whose JSON `wanted` accepts and that pass `keep`: like `rowsWith`, for a test a marker
 * cannot make (which command a row is of). `wanted` is only a pre-filter of a row's text: a row
 * it refuses is never decoded. `unread` as in `rowsWith`.
 */
export function* rowsWhere<T>(
  rows: Rows<T>,
  wanted: (json: string) => boolean,
  keep: (row: T) => boolean,
  unread?: UnreadValues,
): Generator<T> {
  if (rows.jsonRows) {
    for (const line of rows.jsonRows(unread)) {
      if (!wanted(line)) continue;
      const row = JSON.parse(line) as T;
      if (keep(row)) yield row;
    }
  } else for (const row of rows) if (keep(row)) yield row;
}

/**
 * The rows whose JSON holds any of `markers` and pass `keep`: like `rowsWith`, for a rule that
 * wants two kinds of rare rows in one pass (a spilled row is decoded only when a marker is in it).
 * `unread` as in `rowsWith`.
 */
export function* rowsWithAny<T>(
  rows: Rows<T>,
  markers: readonly string[],
  keep: (row: T) => boolean,
  unread?: UnreadValues,
): Generator<T> {
  if (rows.jsonRowsWithAny) {
    for (const line of rows.jsonRowsWithAny(markers, undefined, unread)) {
      const row = JSON.parse(line) as T;
      if (keep(row)) yield row;
    }
  } else if (rows.jsonRows) {
    for (const line of rows.jsonRows(unread)) {
      if (!markers.some((m) => line.includes(m))) continue;
      const row = JSON.parse(line) as T;
      if (keep(row)) yield row;
    }
  } else for (const row of rows) if (keep(row)) yield row;
}
