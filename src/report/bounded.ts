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

export interface Listed<T> {
  /** In the section's own order. */
  rows: T[];
  /** Rows not listed, and how many of them matter. */
  hidden: number;
  hiddenThatMatter: number;
}

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
  const picked: Array<{ row: T; at: number }> = [];
  let others: Array<{ row: T; at: number; rank: number }> = [];
  let mattering = 0;
  let at = 0;
  for (const row of rows) {
    const i = at++;
    if (matter(row)) {
      mattering++;
      if (picked.length < limit) picked.push({ row, at: i });
    } else if (picked.length < limit) {
      others.push({ row, at: i, rank: rank(row) });
      // keep the best `limit` of the others, cut back now and then, not at every row
      if (others.length >= 2 * limit) others = best(others, limit);
    }
  }
  const fill = best(others, limit - picked.length);
  const shown = [...picked, ...fill].sort((a, b) => a.at - b.at).map((p) => p.row);
  return { rows: shown, hidden: rows.length - shown.length, hiddenThatMatter: mattering - picked.length };
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
