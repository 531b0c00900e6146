// Long runs in the human reports (text, markdown, HTML): each section lists up to a limit,
// the rows that matter first, then the highest ranked, and says how many more there are.
// The row lists may live on disk: they are read once and only the listed rows are held.

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
