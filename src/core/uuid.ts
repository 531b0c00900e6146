// Resource UUIDs in log text (`5fa16a0f-2663-4bb9-ae4b-a5720209d082`), found the way the
// pattern /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g finds them
// (leftmost first, lowercase hex, no word boundary), but from the dashes: a service
// collector scans every message for them, and most messages have few dashes.

const HEX = new Uint8Array(128);
for (const c of '0123456789abcdef') HEX[c.charCodeAt(0)] = 1;
const DASH = 45;

function hexRun(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || HEX[c] !== 1) return false;
  }
  return true;
}

/** Whether a UUID (lowercase hex) starts at `p`. */
export function uuidAt(text: string, p: number): boolean {
  return (
    p >= 0 &&
    p + 36 <= text.length &&
    text.charCodeAt(p + 8) === DASH &&
    text.charCodeAt(p + 13) === DASH &&
    text.charCodeAt(p + 18) === DASH &&
    text.charCodeAt(p + 23) === DASH &&
    hexRun(text, p, p + 8) &&
    hexRun(text, p + 9, p + 13) &&
    hexRun(text, p + 14, p + 18) &&
    hexRun(text, p + 19, p + 23) &&
    hexRun(text, p + 24, p + 36)
  );
}

/**
 * Each UUID in `text`, in order, with where it starts; `visit` returns false to stop. A match
 * has its first dash 8 characters in, so each dash names the one place a match could start.
 */
export function forEachUuid(text: string, visit: (uuid: string, at: number) => boolean | void): void {
  let from = 0;
  for (let dash = text.indexOf('-', 8); dash >= 0; dash = text.indexOf('-', Math.max(dash + 1, from + 8))) {
    const p = dash - 8;
    if (p < from || !uuidAt(text, p)) continue;
    if (visit(text.slice(p, p + 36), p) === false) return;
    from = p + 36;
  }
}
