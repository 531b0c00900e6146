// Long runs in the human reports (text, markdown, HTML): each section lists up to a limit,
// the rows that matter first, then the highest ranked, and says how many more there are.
// The row lists may live on disk: they are read once and only the listed rows are held.
import type { Rows, UnreadValues } from '../rows/rows.js';

/**
 * How many rows each section lists before it lists only those that matter: a long run has
 * tens of thousands of exchanges, chains and flows, more than a reader can use; `--format
 * json` has every one.
 */
export const MAX_COMMANDS = 200;
export const MAX_EXCHANGE_ROWS = 200;
export const MAX_CHAINS = 30;
export const MAX_FLOWS = 100;
export const MAX_FINDINGS = 200;

/**
 * HAR entries and OTLP traces written by default (`--max-entries`). The exports are read
 * whole by tools that hold them in memory: a browser's developer tools give up on a HAR of
 * hundreds of MB (200 MB of console log make 391 MB of HAR) and Jaeger's upload on a million
 * spans, while a thousand requests or command traces load in seconds and are more than
 * anyone browses; `--max-entries all` writes every one.
 */
export const MAX_EXPORT_ITEMS = 1000;

export interface Listed<T> {
  /** In the section's own order. */
  rows: T[];
  /** Rows not listed, and how many of them matter. */
  hidden: number;
  hiddenThatMatter: number;
}

/** Service step markers listed (markdown and HTML tables), client/server pairs and per-command timing rows. */
export const MAX_SERVICE_EVENTS = 200;
export const MAX_PAIRS = 200;
/** HTML: exchanges with a collapsible detail row (headers, bodies) when a run has more: only those the page links to. */
export const MAX_EXCHANGE_DETAILS = 500;
/** HTML waterfall: panels (one per command), bars and service-event marks drawn in each. */
export const MAX_WATERFALL_PANELS = 20;
export const MAX_WATERFALL_BARS = 400;
export const MAX_WATERFALL_MARKS = 200;

/**
 * The rows a section lists, read once from a list that may live on disk: all of them when
 * they fit, else those that `matter` (the first ones), then the highest `rank` to fill up;
 * in their order. Holds at most `limit` rows and a few more while it reads.
 */
export function firstThatMatter<T>(
  rows: Iterable<T> & { length: number },
  limit: number,
  matter: (row: T) => boolean,
  rank: (row: T) => number = () => 0,
): Listed<T> {
  if (rows.length <= limit) return { rows: [...rows], hidden: 0, hiddenThatMatter: 0 };
  const picker = new RowPicker(limit, matter, rank);
  for (const row of rows) picker.push(row);
  return picker.listed();
}

/** What a section's choice needs of a row, read from its JSON without decoding it (`headValues`). */
export interface RowKeys {
  matter: boolean;
  rank: number;
}

/**
 * `firstThatMatter` reading a spilled list's rows as text: `keysOf` reads what the choice needs
 * from a row's JSON (`headValues`), and only the rows listed are decoded. A long run's sections
 * decoded every row to list two hundred: half the text report's time on older nova logs. A row
 * `keysOf` cannot read (undefined) is decoded and judged by `matter` and `rank`.
 */
export function firstThatMatterOfJson<T>(
  rows: Rows<T>,
  limit: number,
  keysOf: (json: string) => RowKeys | undefined,
  matter: (row: T) => boolean,
  rank: (row: T) => number = () => 0,
  unread?: UnreadValues,
): Listed<T> {
  if (rows.length <= limit || !rows.jsonRows || !rows.jsonRowsAsWritten)
    return firstThatMatter(rows, limit, matter, rank);
  // Rows read without some values (`unread`: kilobytes of a flow's messages) are read again whole,
  // alone, once listed; a list that cannot read a row alone is read with every value.
  const partly = unread !== undefined && rows.readsAlone === true;
  // A list that reads a row alone keeps only the places of the rows it may list.
  const alone = rows.readsAlone === true;
  const picker = new RowPicker<{ json: string | null; at: number; keys: RowKeys; row?: T }>(
    limit,
    (r) => r.keys.matter,
    (r) => r.keys.rank,
  );
  let at = 0;
  for (const json of rows.jsonRows(partly ? unread : undefined)) {
    const keys = keysOf(json);
    const kept = alone ? null : json;
    if (keys) picker.push({ json: kept, at, keys });
    else {
      const row = JSON.parse(json) as T;
      picker.push({ json: kept, at, keys: { matter: matter(row), rank: rank(row) }, ...(partly ? {} : { row }) });
    }
    at++;
  }
  const listed = picker.listed();
  const whole = (r: { json: string | null; at: number; row?: T }) =>
    r.row ?? (r.json === null ? rows.at(r.at)! : (JSON.parse(r.json) as T));
  return { ...listed, rows: listed.rows.map(whole) };
}

/**
 * The values of top-level `keys` in a row's JSON as `JSON.stringify` wrote it, read without
 * decoding the row; undefined when one cannot be told so (absent, or after a nested object has
 * opened: a key found there may be the nested object's). A key's text `"k":` cannot occur inside
 * a string value, where its quotes would be escaped. Scalars only: a string, number, boolean or null.
 */
export function headValues<K extends string>(
  json: string,
  keys: readonly K[],
): Record<K, string | number | boolean | null> | undefined {
  const nested = json.indexOf('{', 1);
  const out = {} as Record<K, string | number | boolean | null>;
  for (const key of keys) {
    const needle = `"${key}":`;
    const at = json.indexOf(needle);
    if (at < 0 || (nested >= 0 && nested < at)) return undefined;
    const from = at + needle.length;
    if (json.charCodeAt(from) === 0x22) {
      const close = json.indexOf('"', from + 1);
      if (close < 0) return undefined;
      const text = json.slice(from + 1, close);
      // an escape inside: the string decoded as JSON decodes it
      out[key] = text.includes('\\') ? (JSON.parse(json.slice(from, endOfString(json, from) + 1)) as string) : text;
      continue;
    }
    let end = from;
    while (end < json.length && json[end] !== ',' && json[end] !== '}' && json[end] !== ']') end++;
    const token = json.slice(from, end);
    if (token === 'null') out[key] = null;
    else if (token === 'true' || token === 'false') out[key] = token === 'true';
    else {
      const n = Number(token);
      if (token === '' || Number.isNaN(n)) return undefined;
      out[key] = n;
    }
  }
  return out;
}

/** A command's row matters when it failed or has no exit status (read by `firstThatMatterOfJson`). */
export function commandKeys(json: string): RowKeys | undefined {
  const head = headValues(json, ['exitCode']);
  return head && { matter: head.exitCode !== 0, rank: 0 };
}

/** A flow's row matters unless complete, a failed one first; `verdict` is told each verdict read. */
export function flowKeys(json: string, verdict: (v: string) => void = () => {}): RowKeys | undefined {
  const head = headValues(json, ['verdict']);
  if (!head || typeof head.verdict !== 'string') return undefined;
  verdict(head.verdict);
  return { matter: head.verdict !== 'complete', rank: head.verdict === 'failed' ? 1 : 0 };
}

/**
 * `keys` of each row (`headValues`), read from a spilled list's JSON without decoding the rows
 * where it can; a row it cannot read so is decoded and `pick` reads them from it.
 */
export function* headsOf<T, K extends string>(
  rows: Rows<T>,
  keys: readonly K[],
  pick: (row: T) => Record<K, string | number | boolean | null>,
): Generator<Record<K, string | number | boolean | null>> {
  if (!rows.jsonRows || !rows.jsonRowsAsWritten) {
    for (const row of rows) yield pick(row);
    return;
  }
  for (const json of rows.jsonRows()) yield headValues(json, keys) ?? pick(JSON.parse(json) as T);
}

/** Where the JSON string opening at `open` closes: the first quote after an even run of backslashes. */
function endOfString(json: string, open: number): number {
  let close = json.indexOf('"', open + 1);
  for (;;) {
    let slashes = 0;
    while (json[close - 1 - slashes] === '\\') slashes++;
    if (slashes % 2 === 0) return close;
    close = json.indexOf('"', close + 1);
  }
}

/**
 * `firstThatMatter` for rows that come one at a time (a waterfall panel's bars, met while
 * the exchanges stream): the same choice, without knowing the count first.
 */
export class RowPicker<T> {
  private readonly picked: Array<{ row: T; at: number }> = [];
  private others: Array<{ row: T; at: number; rank: number }> = [];
  private mattering = 0;
  private seen = 0;

  constructor(
    private readonly limit: number,
    private readonly matter: (row: T) => boolean,
    private readonly rank: (row: T) => number = () => 0,
  ) {}

  /** Rows pushed so far. */
  get count(): number {
    return this.seen;
  }

  push(row: T): void {
    const at = this.seen++;
    if (this.matter(row)) {
      this.mattering++;
      if (this.picked.length < this.limit) this.picked.push({ row, at });
    } else if (this.picked.length < this.limit) {
      this.others.push({ row, at, rank: this.rank(row) });
      // keep the best `limit` of the others, cut back now and then, not at every row
      if (this.others.length >= 2 * this.limit) this.others = best(this.others, this.limit);
    }
  }

  listed(): Listed<T> {
    const fill = best(this.others, this.limit - this.picked.length);
    const shown = [...this.picked, ...fill].sort((a, b) => a.at - b.at).map((p) => p.row);
    return {
      rows: shown,
      hidden: this.seen - shown.length,
      hiddenThatMatter: this.mattering - this.picked.length,
    };
  }
}

function best<T extends { at: number; rank: number }>(list: T[], n: number): T[] {
  if (n <= 0) return [];
  return list.sort((a, b) => b.rank - a.rank || a.at - b.at).slice(0, n);
}

/** `… 53,691 more exchanges (none unanswered…): the list shows those first, then the slowest; --format json has every one`. */
export function moreNote(listed: Listed<unknown>, what: string, matter: string, then?: string): string {
  const of =
    matter === '' ? '' : ` (${listed.hiddenThatMatter === 0 ? 'none' : listed.hiddenThatMatter} of them ${matter})`;
  const order =
    matter === ''
      ? then
        ? `the list shows ${then}`
        : ''
      : `the list shows those first${then ? `, then ${then}` : ''}`;
  return `… ${listed.hidden} more ${what} not listed${of}: ${order ? `${order}; ` : ''}--format json has every one`;
}
