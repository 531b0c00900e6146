// A mail saved whole (a list archive's raw message) is MIME: `Content-Type: multipart/…;
// boundary="…"` in a header, then parts, each opened by a line `--<boundary>` (the last part
// closed by `--<boundary>--`), each with its own headers. A part is another copy of the message
// (multipart/alternative's HTML after its plain text) or an attachment: its boundary line ends
// whatever the part before held, so no line of the next part continues a log record of it.
// Only a boundary the mail declared counts: `--` lines of a log mean nothing by themselves.

/** `Content-Type: multipart/mixed;` — its `boundary=` parameter on this line or a folded one under it. */
const MULTIPART = /^content-type:[ \t]*multipart\//i;
const BOUNDARY = /\bboundary=(?:"([^"]{1,70})"|([^\s";]{1,70}))/i;
/** A mail declares a few (one per multipart level); more are no mail's. */
const MAX_BOUNDARIES = 8;

/** One input's declared MIME boundaries. */
export class MimeParts {
  private readonly boundaries: string[] = [];
  /** The last line was a multipart Content-Type header: a folded line under it may carry the boundary. */
  private inMultipartHeader = false;

  /** A physical line in: whether it is a boundary line of a part (`--b` or the closing `--b--`). */
  take(raw: string): boolean {
    const c = raw.charCodeAt(0);
    if (c === 67 /* C */ || c === 99 /* c */) {
      if (MULTIPART.test(raw)) {
        this.inMultipartHeader = true;
        this.learn(raw);
        return false;
      }
    } else if (this.inMultipartHeader && (c === 32 || c === 9)) {
      this.learn(raw);
      return false;
    }
    this.inMultipartHeader = false;
    if (c !== 45 /* - */ || this.boundaries.length === 0) return false;
    const text = raw.trimEnd();
    return this.boundaries.some((b) => text === `--${b}` || text === `--${b}--`);
  }

  private learn(line: string): void {
    const m = BOUNDARY.exec(line);
    const b = m?.[1] ?? m?.[2];
    if (b !== undefined && this.boundaries.length < MAX_BOUNDARIES && !this.boundaries.includes(b))
      this.boundaries.push(b);
  }
}
