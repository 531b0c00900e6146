// A log copied out of an HTML page's source (a bug tracker, a mailing-list archive)
// arrives with its quotes and ampersands as entities: `-H &quot;Accept: …&quot;`,
// `?limit=1&amp;marker=…`. Such a paste is recognised by a line that has escaped quotes
// and no raw quote at all (every REQ and urllib3 line has quotes), and from then on
// the input's lines are decoded before they are read. A log that merely mentions
// `&amp;` somewhere is left alone.
const ESCAPED_QUOTE = /&(?:quot|#34|#x22|#39|#x27|apos);/;
const ENTITY = /&(quot|amp|lt|gt|apos|#\d{1,6}|#x[0-9a-fA-F]{1,6});/g;
const NAMED: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" };

/** True when this line shows its input was HTML-escaped. */
export function looksHtmlEscaped(line: string): boolean {
  return line.indexOf('&') >= 0 && !line.includes('"') && !line.includes("'") && ESCAPED_QUOTE.test(line);
}

/** The line with its character references decoded (one pass: `&amp;quot;` becomes `&quot;`). */
export function decodeEntities(line: string): string {
  if (line.indexOf('&') < 0) return line;
  return line.replace(ENTITY, (whole, name: string) => {
    const named = NAMED[name];
    if (named !== undefined) return named;
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
