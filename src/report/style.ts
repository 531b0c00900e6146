// Terminal styling: colour only when asked for (a TTY without NO_COLOR).
export interface Style {
  bold(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  dim(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

export function makeStyle(color: boolean): Style {
  if (!color) {
    const id = (s: string) => s;
    return { bold: id, red: id, yellow: id, green: id, dim: id };
  }
  return { bold: wrap(1, 22), red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), dim: wrap(2, 22) };
}

/** Colour never with NO_COLOR; otherwise `--color`/`--no-color`, else only on a TTY. */
export function wantColor(flag: boolean | undefined, stream: { isTTY?: boolean }): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (flag !== undefined) return flag;
  return stream.isTTY === true;
}

/** Pad accounting for escape sequences. */
export function pad(s: string, width: number, right = false): string {
  const visible = s.replace(/\x1b\[[0-9;]*m/g, '').length;
  const fill = ' '.repeat(Math.max(0, width - visible));
  return right ? fill + s : s + fill;
}

/** One line of plain text: newlines folded, other control characters shown as escapes. */
export function printable(t: string): string {
  return t.replace(/\r?\n/g, ' ⏎ ').replace(CONTROL, visibleControl);
}

/** C0 controls but tab and line feed (a lone carriage return would move the cursor back), and DEL. */
export const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** A control character as the escape that names it (`\x1b`). */
export function visibleControl(c: string): string {
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}
