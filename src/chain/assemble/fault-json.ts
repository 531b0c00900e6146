// osc's `server show -f json -c fault`: the fault as indented JSON over lines, read key by key.
//   {
//     "fault": {
//       "code": 500,
//       "created": "2026-12-08T01:20:31Z",
//       "message": "No valid host was found. …",
//       "details": "Traceback …"
//     }
//   }
import type { ServerFault } from '../../model/schema.js';

/** One `"key": value` line of the fault object: the key and its JSON value (a trailing comma dropped). */
const MEMBER = /^"(code|created|message|details)": (.*?),?$/;

export class FaultJson {
  /** Inside `"fault": {`: what its lines gave so far, and the line it opened on. */
  private open: { line: number; code: unknown; created: unknown; message: unknown } | null = null;
  /** The fault's object closed: the outer object's `}` may follow. */
  private closed = false;

  reset(): void {
    this.open = null;
    this.closed = false;
  }

  /**
   * Take a line of the fault's JSON (true), else leave it (false). `done` gets the fault when its
   * object closes with a numeric code and a string message.
   */
  take(text: string, line: number, done: (fault: ServerFault, line: number) => void): boolean {
    const t = text.trim();
    if (this.closed) {
      this.closed = false;
      if (t === '}') return true;
    }
    if (this.open === null) {
      if (t !== '"fault": {') return false;
      this.open = { line, code: null, created: null, message: null };
      return true;
    }
    if (t === '}' || t === '},') {
      const { code, created, message, line: at } = this.open;
      this.open = null;
      this.closed = true;
      if (typeof code === 'number' && Number.isInteger(code) && typeof message === 'string')
        done({ code, message, created: typeof created === 'string' ? created : null }, at);
      return true;
    }
    const m = MEMBER.exec(t);
    if (m === null) {
      this.open = null;
      return false;
    }
    let value: unknown;
    try {
      value = JSON.parse(m[2]!);
    } catch {
      value = null;
    }
    if (m[1] === 'code' || m[1] === 'created' || m[1] === 'message') this.open[m[1]] = value;
    return true;
  }
}
