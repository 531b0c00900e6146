// A service's own outgoing call, told only by the text of the exception its answer raised:
// python-cinderclient, python-novaclient and neutronclient end the text of the exception an
// error answer raises with `(HTTP 500) (Request-ID: req-…)` (the callee's status and its own
// request id), and services log that text (nova's `Update attachment failed for attachment X.
// Error: … (HTTP 500) (Request-ID: req-…) Code: 500`, nova-api's `HTTP exception thrown: …
// (HTTP 400) (Request-ID: req-…)`). nova's placement client tells its failed calls its own way:
// `[req-…] Failed to … Got 401: <body>.`, placement's request id in the brackets. Method and path
// are not in that text: they stay unknown.
import { maskText } from '../secrets/mask.js';
import { isRequestId } from './context.js';

/** A call seen in a service record's text, before the Analyzer gives it an exchange id. */
export interface ErrorTextCall {
  line: number;
  /** The callee's status and its own request id, as the text gave them. */
  status: number;
  requestId: string;
  /** The calling request: the local id of the record's oslo context. */
  callerRequestId: string | null;
  /** The line's service when it tells (`--label`, journald unit, file name); else the log's, known at its end. */
  service: string | null;
  /** The record's text before the `(HTTP …)` mark: the error as the service told it. */
  message: string | null;
  /** The called service's type, when the text names it (placement); else unknown. */
  callee?: string;
}

const MARK = ') (Request-ID: ';
const MAX_MESSAGE = 500;

/**
 * The first `(HTTP NNN) (Request-ID: req-…)` of a message: status and the callee's request
 * id, with the text before it. Null when the message has none, or a malformed one.
 */
export function errorTextCall(message: string): { status: number; requestId: string; before: string } | null {
  let from = 0;
  for (;;) {
    const at = message.indexOf(MARK, from);
    if (at < 0) return null;
    from = at + MARK.length;
    // `(HTTP ddd` just before the mark
    const open = at - 9;
    if (open < 0 || !message.startsWith('(HTTP ', open)) continue;
    const status = Number(message.slice(open + 6, at));
    if (!Number.isInteger(status) || status < 100 || status > 599) continue;
    const requestId = message.slice(from, from + 40);
    if (!isRequestId(requestId) || message.charCodeAt(from + 40) !== 41 /* ) */) continue;
    return { status, requestId, before: message.slice(0, open).trim() };
  }
}

const GOT = '. Got ';

/**
 * nova's placement report client (nova/scheduler/client/report.py) logs a failed call as
 * `[%(placement_req_id)s] Failed to … placement API for UUID …. Got %(status_code)d: %(err_text)s.`:
 * the brackets hold placement's request id (its answer's header), `Got` its status. Null when the
 * message is not of that form, or the brackets hold no request id (`[None]`: no header came back).
 */
export function placementCall(message: string): { status: number; requestId: string; before: string } | null {
  if (!message.startsWith('[req-') || message.charCodeAt(41) !== 93 /* ] */) return null;
  const requestId = message.slice(1, 41);
  if (!isRequestId(requestId)) return null;
  const got = message.indexOf(GOT, 42);
  if (got < 0) return null;
  const digits = message.slice(got + GOT.length, got + GOT.length + 3);
  if (!/^[1-5]\d\d$/.test(digits) || message.charCodeAt(got + GOT.length + 3) !== 58 /* : */) return null;
  return { status: Number(digits), requestId, before: message.slice(42, got + 1).trim() };
}

/** A record's call, when its text tells one that is not the record's own request. */
export function callOfRecord(
  message: string,
  line: number,
  ids: { requestId: string | null; globalRequestId: string | null },
  service: string | null,
): ErrorTextCall | null {
  const quoted = message.includes(MARK) ? errorTextCall(message) : null;
  const placement = quoted === null ? placementCall(message) : null;
  const found = quoted ?? placement;
  if (!found) return null;
  // Its own request's id is no call it made.
  if (found.requestId === ids.requestId || found.requestId === ids.globalRequestId) return null;
  const before = found.before;
  return {
    line,
    status: found.status,
    requestId: found.requestId,
    callerRequestId: ids.requestId,
    service,
    message: before === '' ? null : maskText(before.length > MAX_MESSAGE ? `${before.slice(0, MAX_MESSAGE)}…` : before),
    ...(placement ? { callee: 'placement' } : {}),
  };
}
