// The exchange machine: keystoneauth's `REQ:`, urllib3's response line, `RESP:`,
// `RESP BODY:` and `… used request id …` lines paired into one exchange; the token
// request known only from `Making authentication request to` and its JSON; resends
// after a re-authentication, a retriable status or a connection failure.
import type { LineRecord } from '../../core/records.js';
import { MAX_REQUEST_ID, requestIdOrNull } from '../../core/request-ids.js';
import type { Exchange, ServerFault } from '../../model/schema.js';
import { maskText } from '../../secrets/mask.js';
import { Catalog } from '../catalog.js';
import { errorOf, headerValue, microversionOf, pathOf, responseRequestId, samePath } from '../http.js';
import { own, ownExchangeStrings } from '../own.js';
import { dateHeaderMs, formatTimestamp } from '../../core/time.js';
import type { Commands } from './commands.js';
import type { Draft, Finished, IdSource } from './drafts.js';
import { applyTableTiming } from './timing-table.js';

type RecordOf<K extends LineRecord['kind']> = Extract<LineRecord, { kind: K }>;

/** How far back a request-id or client error line looks for its exchange. */
const RECENT_DRAFTS = 64;

/** Records that may stand between a bare REQ or RESP and its second copy (the copies themselves are taken by req and resp). */
const ECHO_GAP = new Set<LineRecord['kind']>(['blank', 'markup', 'resp-body', 'req', 'resp']);

/** gophercloud's ErrDefault400 and ErrDefault403 texts (gophercloud/errors.go), with the call they name. */
const GOPHERCLOUD_ERROR =
  /(Bad request|Request forbidden)(?: with)?: \[(GET|POST|PUT|PATCH|DELETE|HEAD) (https?:\/\/[^\s\]]+)\], error message: /;

/** The fewest characters a line needs to be told as the client's report of an error message. */
const MIN_REPORT = 16;

export class Exchanges {
  private readonly catalog = new Catalog();
  /** The exchange lines currently attach to. */
  current: Draft | null = null;
  /** The last request (not token) exchange: what a resend after re-authentication repeats. */
  private lastRequest: Draft | null = null;
  private pendingAuth: { url: string; line: number; ms: number | null; record: number } | null = null;
  /** The record being taken has a time without a fraction of a second. */
  private wholeSecondTime = false;
  /** How many records were taken: a draft timed by one record alone has a moment, not a duration. */
  private records = 0;
  private authAwaitingBody: Draft | null = null;
  /**
   * The REQ or RESP just logged bare, which a second handler may print again: the legacy
   * HTTPClients of python-cinderclient and friends add a StreamHandler to their own logger under
   * `--debug`, and the record also reaches the root handler of the shell's `basicConfig`, whose
   * `%(levelname)s:%(name)s:%(message)s` prints it once more (`DEBUG:cinderclient.client:` alone on
   * a line before `REQ: …`, whose message starts with a newline; before `RESP: …` on its line).
   */
  private echo: { draft: Draft; kind: 'req' | 'resp'; header: boolean } | null = null;
  /**
   * The exchange whose RESP was just printed again, and then the one whose body is being printed
   * again: http_log_resp's record is `RESP: …\nRESP BODY: …`, so the root handler's copy of the RESP
   * brings a copy of its body, whose lines are the exchange's (its endLine) but add nothing to it.
   */
  private bodyCopy: { draft: Draft; reading: boolean } | null = null;

  constructor(
    private readonly source: string,
    private readonly ids: IdSource,
    private readonly commands: Commands,
  ) {}

  /** A new command: what came before is not resent in it. */
  newCommand(): void {
    this.lastRequest = null;
  }

  /** The command closed: nothing is open any more. */
  commandClosed(): void {
    this.current = null;
    this.pendingAuth = null;
    this.authAwaitingBody = null;
  }

  /** `Making authentication request to URL`: the token request, answered by the next urllib3 line. */
  authRequest(url: string, line: number, ms: number | null): void {
    this.pendingAuth = { url, line, ms, record: this.records };
  }

  /**
   * A record between a bare REQ or RESP and its second copy: only blank lines, the root handler's
   * empty header and the further lines of the bare RESP's body keep it open.
   */
  noteRecord(record: LineRecord, continuesBody: boolean): void {
    if (this.echo === null || continuesBody) return;
    if (record.kind === 'message' && record.text === '' && record.prefix?.style === 'py-logging')
      this.echo.header = true;
    else if (!ECHO_GAP.has(record.kind)) this.echo = null;
  }

  /** The same REQ or RESP again, under the root handler's `LEVEL:name:`: the record's second copy, not a second call. */
  private echoed(kind: 'req' | 'resp', prefixed: boolean, same: (d: Draft) => boolean, line: number): boolean {
    const echo = this.echo;
    this.echo = null;
    if (echo?.kind !== kind || echo.draft !== this.current || echo.draft.closed) return false;
    if (!(echo.header || prefixed) || !same(echo.draft)) return false;
    echo.draft.endLine = line;
    if (kind === 'resp' && echo.draft.hasBody) this.bodyCopy = { draft: echo.draft, reading: false };
    return true;
  }

  req(r: RecordOf<'req'>, line: number, ms: number | null): void {
    this.bodyCopy = null;
    const prefixed = r.prefix?.style === 'py-logging';
    const again = (d: Draft) =>
      d.status === null && !d.hasResp && sameRequest(d, r.method, r.url) && d.requestBody === r.body;
    if (this.echoed('req', prefixed, again, line)) return;
    // Essex novaclient logged its REQ after the wire dump of the same request.
    const wire = this.current;
    if (wire?.wire && !wire.wire.reqSeen && !wire.closed && sameRequest(wire, r.method, r.url)) {
      wire.wire.reqSeen = true;
      wire.url = r.url;
      if (r.headers.length > 0) wire.requestHeaders = r.headers;
      wire.requestBody ??= r.body;
      wire.endLine = line;
      return;
    }
    this.closeAnswered();
    const d = this.newDraft(line, 'request', ms);
    d.method = r.method;
    d.url = r.url;
    d.requestHeaders = r.headers;
    d.requestBody = r.body;
    this.current = d;
    this.lastRequest = d;
    if (r.prefix === undefined) this.echo = { draft: d, kind: 'req', header: false };
  }

  urllib3(r: RecordOf<'urllib3'>, line: number, ms: number | null): void {
    const target = r.target;
    const origin = r.host ? `${r.scheme ?? 'http'}://${r.host}${r.port ? `:${r.port}` : ''}` : null;
    // 1. the token request announced by `Making authentication request to`
    if (this.pendingAuth && r.method === 'POST' && samePath(pathOf(this.pendingAuth.url), target)) {
      this.closeAnswered();
      const d = this.newDraft(this.pendingAuth.line, 'auth', this.pendingAuth.ms ?? ms);
      if (this.pendingAuth.ms !== null) d.startRecord = this.pendingAuth.record;
      d.method = 'POST';
      d.url = this.pendingAuth.url;
      this.answer(d, r.status, line, ms);
      this.pendingAuth = null;
      this.authAwaitingBody = d;
      this.current = d;
      return;
    }
    const cur = this.current;
    // 1b. the urllib3 line of a request whose answer the wire dump showed already
    if (cur?.wire && !cur.wire.urllib3Seen && !cur.closed && cur.status === r.status && cur.method === r.method) {
      if (samePath(pathOf(cur.url), target)) {
        cur.wire.urllib3Seen = true;
        cur.endLine = line;
        return;
      }
    }
    // 2. the answer to the open request (or to its retry after a connection failure)
    if (
      cur &&
      !cur.closed &&
      cur.urllib3Status === null &&
      !cur.hasResp &&
      cur.method === r.method &&
      samePath(pathOf(cur.url), target)
    ) {
      this.answer(cur, r.status, line, ms);
      return;
    }
    // 3. the same request sent again without a REQ line (after a 401 re-auth, a 503 retry, a redirect);
    // after a re-authentication the token exchange came in between, so look past it.
    const prev = cur?.kind === 'auth' ? this.lastRequest : cur;
    if (
      prev &&
      prev.method === r.method &&
      samePath(pathOf(prev.url), target) &&
      (prev.urllib3Status !== null || prev.hasResp)
    ) {
      if (cur !== prev) this.closeAnswered();
      const d = this.resendOf(prev, line, ms);
      this.answer(d, r.status, line, ms);
      this.current = d;
      return;
    }
    // 4. nothing to attach to: an exchange known only from this line
    this.closeAnswered();
    const d = this.newDraft(line, 'bare', ms);
    d.method = r.method;
    d.url = origin ? `${origin}${target}` : target;
    this.answer(d, r.status, line, ms);
    this.current = d;
  }

  resp(r: RecordOf<'resp'>, line: number, ms: number | null): void {
    this.bodyCopy = null;
    const prefixed = r.prefix?.style === 'py-logging';
    if (this.echoed('resp', prefixed, (d) => d.hasResp && d.status === r.status, line)) return;
    let d = this.current;
    if (!d || d.closed || d.hasResp || d.kind === 'auth') {
      // A RESP with nothing open: keep it as an exchange of its own (method unknown).
      this.closeAnswered();
      d = this.newDraft(line, 'bare', ms);
      this.current = d;
    }
    d.hasResp = true;
    d.status = r.status ?? d.urllib3Status;
    d.responseHeaders = r.headers;
    d.endLine = line;
    if (ms !== null) this.ended(d, ms);
    if (r.body !== null) {
      d.responseBody = r.body;
      d.hasBody = true;
    }
    if (r.prefix === undefined) this.echo = { draft: d, kind: 'resp', header: false };
  }

  respBody(r: RecordOf<'resp-body'>, line: number): void {
    const d = this.current;
    const copy = this.bodyCopy;
    this.bodyCopy = null;
    if (copy !== null && copy.draft === d && !copy.reading && !d.closed) {
      d.endLine = line;
      this.bodyCopy = { draft: d, reading: true };
      return;
    }
    if (d && !d.closed && d.hasResp && !d.hasBody) {
      d.hasBody = true;
      d.responseBody = r.omittedContentType === null ? r.text : null;
      d.endLine = line;
      // Clients that log their token request (legacy HTTPClients) show the catalog here.
      if (r.text.startsWith('{"access"') || r.text.startsWith('{"token"')) this.catalog.addTokenBody(r.text);
    }
  }

  /** The current exchange has a response body that the next lines may go on with. */
  get bodyOpen(): boolean {
    return this.current?.hasBody === true;
  }

  /** A further line of the current exchange's response body. */
  appendBody(text: string, line: number): void {
    const d = this.current!;
    d.endLine = line;
    if (this.bodyCopy?.reading === true && this.bodyCopy.draft === d) return;
    d.responseBody = `${d.responseBody ?? ''}\n${text}`;
  }

  requestId(r: RecordOf<'request-id'>, line: number, ms: number | null): void {
    // The line closes the last attempt of the matching request (retries share one line).
    const candidates = this.recentDrafts();
    let d =
      candidates.find((x) => !x.closed && x.method === r.method && samePath(pathOf(x.url), pathOf(r.url))) ??
      candidates.find(
        (x) => x.method === r.method && samePath(pathOf(x.url), pathOf(r.url)) && x.requestIdFromLine === null,
      );
    // The same summary logged again (novaclient's own logger repeats keystoneauth's): that request.
    if (!d) {
      const again = candidates.find(
        (x) =>
          x.method === r.method &&
          samePath(pathOf(x.url), pathOf(r.url)) &&
          (x.requestIdFromLine ?? responseRequestId(x.responseHeaders)) === r.requestId,
      );
      if (again) {
        again.endLine = Math.max(again.endLine, line);
        return;
      }
    }
    // A RESP shown without its REQ (a paste cut above it): the summary line names its call.
    const open = this.current;
    if (!d && open && !open.closed && open.kind === 'bare' && open.method === null && open.hasResp) {
      open.method = r.method;
      open.url = r.url;
      d = open;
    }
    // The summary line alone (a paste cut short, a service's keystoneauth line in journald):
    // a request was made and answered; its status is not in the log.
    if (!d) {
      this.closeAnswered();
      d = this.newDraft(line, 'bare', ms);
      d.method = r.method;
      d.url = r.url;
      d.answeredUnseen = true;
      if (ms !== null) this.ended(d, ms);
      this.current = d;
    }
    if (d.answeredUnseen === true) close(d);
    // An id run into other text (over MAX_REQUEST_ID) is none: the call's id comes from elsewhere or stays null.
    d.requestIdFromLine = requestIdOrNull(r.requestId);
    d.serviceHint = r.service;
    d.endLine = Math.max(d.endLine, line);
    // Earlier attempts of the same request are finished too.
    for (const x of candidates) if (!x.closed && (x === d || x.id < d.id)) close(x);
  }

  /** A JSON line: the token body of the authentication request, when one is waiting for it. */
  json(r: RecordOf<'json'>, line: number): void {
    const auth = this.authAwaitingBody;
    if (auth && !auth.hasBody) {
      auth.responseBody = r.text;
      auth.hasBody = true;
      auth.endLine = line;
      this.catalog.addTokenBody(r.text);
      this.authAwaitingBody = null;
      close(auth);
    }
  }

  retry(r: RecordOf<'retry'>, line: number): void {
    const d = this.current;
    if (d && !d.closed) {
      if (!d.hasResp && d.urllib3Status === null) {
        // The attempt died on the wire; the next urllib3 line for it is the retry.
        d.incompleteReason = `connection failure, retried: ${maskText(r.reason)}`;
        close(d);
        this.current = this.resendOf(d, line, null);
      }
    }
  }

  /**
   * `… (HTTP 409) (Request-ID: req-…)`: the client's error line. It names the request it is
   * about (the only place a failed auth shows its id) and gives its message when the response
   * body did not. Alone (a CLI run without --debug) it still proves a request: answered with
   * that status under that id, its method and path unknown. A line with a status and no id
   * (osc's `Error while executing command: HttpException: 500, …`) proves one too, its id unknown.
   */
  clientError(record: RecordOf<'client-error'>, line: number, ms: number | null): void {
    if (this.goClientError(record, line, ms)) return;
    // An id run into other text is none: the line is one without an id.
    const r =
      record.requestId !== null && record.requestId.length > MAX_REQUEST_ID ? { ...record, requestId: null } : record;
    const message = r.message.replace(/^ERROR \([A-Za-z]+\): /, '') || null;
    const candidates = this.recentDrafts();
    // novaclient prints one error two or three times (debug, traceback, ERROR): one request.
    const same =
      r.requestId === '' || r.requestId === null
        ? undefined
        : candidates.find(
            (x) =>
              (responseRequestId(x.responseHeaders) ?? x.requestIdFromLine ?? x.clientErrorRequestId) === r.requestId,
          );
    const d =
      same ??
      candidates.find(
        (x) =>
          x.status !== null &&
          x.status === r.status &&
          responseRequestId(x.responseHeaders) === null &&
          x.requestIdFromLine === null &&
          x.clientErrorRequestId === null,
      );
    if (d) {
      if (d.clientErrorRequestId === null && d !== same) d.clientErrorRequestId = r.requestId;
      d.clientErrorMessage ??= message;
      return;
    }
    if (r.status === null || r.requestId === '') return;
    // Without an id the line may speak of any recent call with its status (a --debug run logged it).
    const withStatus = r.requestId === null ? candidates.find((x) => x.status === r.status) : undefined;
    if (withStatus) {
      withStatus.clientErrorMessage ??= message;
      return;
    }
    // The last call got this status: the line tells its error, and the id in it is another
    // service's (nova relaying cinder's 400 with cinder's request id), not a request of its own.
    const last = candidates[0];
    if (last && last.method !== null && last.status === r.status) {
      last.clientErrorMessage ??= message;
      return;
    }
    this.closeAnswered();
    const lone = this.newDraft(line, 'bare', ms);
    lone.url = r.url ?? null;
    lone.status = r.status;
    lone.clientErrorRequestId = r.requestId;
    lone.clientErrorMessage = message;
    if (ms !== null) this.ended(lone, ms);
    close(lone);
    this.current = lone;
  }

  /** A recent call to this URL's path answered with this status. */
  answered(status: number | null, url: string): boolean {
    return this.recentDrafts().some(
      (d) => d.status === status && d.url !== null && samePath(pathOf(d.url), pathOf(url)),
    );
  }

  /**
   * gophercloud's error for a 400 or 403 (`Bad request with: [POST https://…], error message: {body}`,
   * printed by Kubernetes' cinder CSI plugin, terraform, CAPO): the Go client's own call, its method,
   * URL and status. An `(HTTP 400) (Request-ID: req-…)` inside the body is an answer the service
   * quoted from a call of its own (nova relaying cinder's 400 with cinder's id): part of the
   * message, not this call's id, which the line does not show.
   */
  private goClientError(r: RecordOf<'client-error'>, line: number, ms: number | null): boolean {
    const go = GOPHERCLOUD_ERROR.exec(r.message);
    if (!go) return false;
    const quoted = r.status === null || r.requestId === null ? '' : ` (HTTP ${r.status}) (Request-ID: ${r.requestId})`;
    this.closeAnswered();
    const d = this.newDraft(line, 'bare', ms);
    d.method = go[2]!;
    d.url = go[3]!;
    d.status = go[1] === 'Bad request' ? 400 : 403;
    d.clientErrorMessage = maskText(
      `${r.message.slice(go.index + go[0].length).replace(/^\{"\w+": \{"message": "/, '')}${quoted}`,
    );
    if (ms !== null) this.ended(d, ms);
    close(d);
    this.current = d;
    return true;
  }

  /**
   * Whether an unprefixed line is the client's own report of the last answered call's failure:
   * osc prints the error's message when a command fails, so the line opens the message of that
   * call's error body (spaced out when the paste lost its newlines; its `(HTTP 503)` suffix may
   * be cut). A line of a few characters says too little to be told apart from other text.
   */
  reportsLastFailure(text: string): boolean {
    const said = spaced(text);
    if (said.length < MIN_REPORT) return false;
    const last = this.recentDrafts().find((x) => x.status !== null);
    if (!last || last.status! < 400 || last.responseBody === null) return false;
    // Cheap first: the body holds the report's first words (a long body is parsed only then).
    if (!last.responseBody.includes(said.slice(0, MIN_REPORT))) return false;
    const message = errorOf(last.status, last.responseBody)?.message;
    return message !== null && message !== undefined && spaced(message).startsWith(said);
  }

  /** The command failed while a request was on the wire: that is why it has no answer. */
  failedWhileOpen(error: string): void {
    const open = this.current;
    if (open && !open.closed && open.status === null) open.incompleteReason ??= `failed: ${maskText(error)}`;
  }

  /**
   * http.client's `send:` of a request head: the request keystoneauth's REQ (or the token
   * request's `Making authentication request`) announced, or a new one (Essex novaclient logs
   * its REQ after the dump). A `send:` of a body alone gives the open request its body.
   */
  wireSend(r: RecordOf<'wire-send'>, line: number, ms: number | null): void {
    const cur = this.current;
    if (r.method === null) {
      if (cur?.wire && !cur.closed && cur.requestBody === null && cur.status === null) cur.requestBody = r.body;
      return;
    }
    const url = r.host !== null && r.target?.startsWith('/') ? `http://${r.host}${r.target}` : r.target;
    if (cur && !cur.closed && !cur.wire && cur.status === null && !cur.hasResp && sameRequest(cur, r.method, url)) {
      cur.wire = { reqSeen: true, urllib3Seen: false };
      if (cur.requestHeaders.length === 0) cur.requestHeaders = r.headers;
      cur.requestBody ??= r.body;
      return;
    }
    this.closeAnswered();
    const auth = this.pendingAuth;
    const isAuth = auth !== null && r.method === 'POST' && samePath(pathOf(auth.url), r.target);
    const d = this.newDraft(isAuth ? auth.line : line, isAuth ? 'auth' : 'request', isAuth ? (auth.ms ?? ms) : ms);
    if (isAuth && auth.ms !== null) d.startRecord = auth.record;
    d.method = r.method;
    d.url = isAuth ? auth.url : url;
    d.requestHeaders = r.headers;
    d.requestBody = r.body;
    d.wire = { reqSeen: isAuth, urllib3Seen: false };
    if (isAuth) {
      this.pendingAuth = null;
      this.authAwaitingBody = d;
    } else this.lastRequest = d;
    this.current = d;
  }

  /** http.client's `reply:`: the status of the request on the wire. */
  wireReply(r: RecordOf<'wire-reply'>, line: number, ms: number | null): void {
    const d = this.current;
    if (!d?.wire || d.closed || d.status !== null) return;
    this.answer(d, r.status, line, ms);
  }

  /** http.client's `header:` lines: the response headers, one by one. */
  wireHeader(r: RecordOf<'wire-header'>, line: number): void {
    const d = this.current;
    if (!d?.wire || d.closed || d.status === null || d.hasResp) return;
    (d.responseHeaders ??= []).push([r.name, r.value]);
    d.endLine = line;
  }

  /** The assembler takes the next record; `wholeSeconds`: its time has no fraction of a second. */
  nextRecord(wholeSeconds: boolean): void {
    this.records++;
    this.wholeSecondTime = wholeSeconds;
  }

  /** The time of a draft's latest record. */
  private ended(d: Draft, ms: number): void {
    d.endedMs = ms;
    if (this.records !== d.startRecord) d.timedTwice = true;
    if (this.wholeSecondTime) d.wholeSeconds = true;
  }

  /** Turn a draft into its public form (the caller hands it to the sink). */
  finalize(d: Draft, reasonIfOpen: string): Finished {
    const answered = d.status !== null || d.answeredUnseen === true;
    const complete = answered && d.incompleteReason === null;
    const incompleteReason = complete ? null : (d.incompleteReason ?? reasonIfOpen);
    const requestId = responseRequestId(d.responseHeaders) ?? d.requestIdFromLine ?? d.clientErrorRequestId;
    let startedAt: string | null = null;
    let durationMs: number | null = null;
    let timing: Exchange['timing'] = null;
    if (d.startedMs !== null) {
      startedAt = formatTimestamp(d.startedMs);
      timing = 'log';
      // One line is a moment, not a duration; whole-second times (Apache 2.2's error log) tell none of their own.
      if (d.endedMs !== null && answered && d.timedTwice && !d.wholeSeconds)
        durationMs = Math.max(0, Math.round((d.endedMs - d.startedMs) * 1000) / 1000);
    } else {
      const date = dateHeaderMs(headerValue(d.responseHeaders, 'Date'));
      if (date !== null) {
        startedAt = formatTimestamp(date);
        timing = 'date-header';
      }
    }
    const exchange: Exchange = {
      id: d.id,
      source: this.source,
      line: d.line,
      endLine: d.endLine,
      side: 'client',
      method: d.method,
      // A password in the URL (`user:password@host`, `?password=`) is masked where the exchange is made:
      // every report, JSON too, and the flows read it from here.
      url: d.url === null ? null : maskText(d.url),
      path: d.url === null ? null : pathOf(maskText(d.url)),
      // The token request is identity's by definition, whatever endpoint shares its origin.
      service:
        d.kind === 'auth' || isTokenUrl(d.url)
          ? 'identity'
          : (this.catalog.serviceFor(d.url, d.serviceHint) ?? d.serviceHint),
      status: d.status,
      requestId,
      globalRequestId: requestIdOrNull(headerValue(d.requestHeaders, 'X-OpenStack-Request-ID')),
      microversion: microversionOf(d.responseHeaders, d.requestHeaders),
      startedAt,
      durationMs,
      timing,
      serverTimeMs: null,
      complete,
      incompleteReason,
      kind: d.kind,
      resendOf: d.resendOf,
      error: errorWithClientMessage(errorOf(d.status, d.responseBody), d),
      command: d.command,
      action: actionOf(d.requestBody),
    };
    const resource = d.method === 'GET' || d.method === 'POST' ? resourceOf(d.status, d.responseBody) : null;
    // A POST's answer is what it made (a volume create's `creating` volume, with the id no path names).
    if (resource && d.method === 'GET') exchange.resource = resource;
    else if (resource) exchange.created = resource;
    const actions = d.method === 'GET' ? instanceActionsOf(exchange.path, d.status, d.responseBody) : null;
    if (actions) exchange.instanceActions = actions;
    if (d.tableMs !== null) applyTableTiming(exchange, d.tableMs);
    ownExchangeStrings(exchange);
    return [
      exchange,
      {
        requestHeaders: d.requestHeaders,
        requestBody: d.requestBody,
        responseHeaders: d.responseHeaders,
        responseBody: d.responseBody,
      },
    ];
  }

  // ---- life cycle ------------------------------------------------------------------

  private newDraft(line: number, kind: Exchange['kind'], ms: number | null): Draft {
    const d: Draft = {
      id: this.ids.nextExchangeId(),
      line,
      endLine: line,
      kind,
      method: null,
      url: null,
      requestHeaders: [],
      requestBody: null,
      urllib3Status: null,
      status: null,
      responseHeaders: null,
      responseBody: null,
      hasResp: false,
      hasBody: false,
      requestIdFromLine: null,
      serviceHint: null,
      clientErrorRequestId: null,
      clientErrorMessage: null,
      startedMs: ms,
      endedMs: null,
      wholeSeconds: ms !== null && this.wholeSecondTime,
      startRecord: this.records,
      timedTwice: false,
      incompleteReason: null,
      resendOf: null,
      command: this.commands.command?.id ?? null,
      closed: false,
      tableMs: null,
    };
    this.commands.add(d);
    return d;
  }

  /**
   * The latest exchanges, newest first. A request-id or error line speaks of one of the last
   * few requests; looking further back would make a log of many requests quadratic.
   */
  private recentDrafts(): Draft[] {
    const list = this.commands.drafts;
    const out: Draft[] = [];
    for (let i = list.length - 1; i >= 0 && out.length < RECENT_DRAFTS; i--) out.push(list[i]!);
    return out;
  }

  /** The same request sent again without a REQ line: a new exchange carrying the original's request. */
  private resendOf(original: Draft, line: number, ms: number | null): Draft {
    const d = this.newDraft(line, 'resend', ms);
    d.method = original.method;
    d.url = original.url;
    d.requestHeaders = original.requestHeaders;
    d.requestBody = original.requestBody;
    d.resendOf = original.id;
    this.lastRequest = d;
    return d;
  }

  private answer(d: Draft, status: number, line: number, ms: number | null): void {
    d.urllib3Status = status;
    d.status = status;
    d.endLine = line;
    if (ms !== null) this.ended(d, ms);
  }

  /** Close the current exchange if it has been answered; a new request begins. */
  private closeAnswered(): void {
    const d = this.current;
    if (d && !d.closed && (d.urllib3Status !== null || d.hasResp || d.answeredUnseen === true)) close(d);
    else if (d && !d.closed) {
      d.incompleteReason ??= 'no response logged before the next request';
      close(d);
    }
    this.current = null;
  }
}

/** The same method and path (a REQ's full URL and the wire's path compare by path). */
function sameRequest(d: Draft, method: string | null, url: string | null): boolean {
  return d.method === method && samePath(pathOf(d.url), pathOf(url));
}

/** Text with every run of whitespace one space, trimmed: a message as a flattened paste shows it. */
function spaced(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function close(d: Draft): void {
  d.closed = true;
}

/** The first key of a JSON object body (`{"os-reserve": null}` → os-reserve); flows recognise action calls by it. */
/** The client's own error line tells the message a response body did not show (an empty `RESP:`, no body logged). */
function errorWithClientMessage(error: Exchange['error'], d: Draft): Exchange['error'] {
  if (
    d.clientErrorMessage === null ||
    d.status === null ||
    d.status < 400 ||
    (error !== null && error.message !== null)
  )
    return error;
  return { message: maskText(d.clientErrorMessage), code: error?.code ?? null };
}

function actionOf(body: string | null): string | null {
  if (body === null) return null;
  const open = body.indexOf('{');
  if (open < 0 || body.slice(0, open).trim() !== '') return null;
  const quote = body.indexOf('"', open + 1);
  if (quote < 0 || body.slice(open + 1, quote).trim() !== '') return null;
  const end = body.indexOf('"', quote + 1);
  return end > quote + 1 ? body.slice(quote + 1, end) : null;
}

/** Bodies larger than this are lists of many resources: not parsed for a status. */
const RESOURCE_BODY_LIMIT = 64 * 1024;

/**
 * The status of the one resource a 2xx GET returned: `{"volume": {…}}` or a list of exactly
 * one (`{"volumes": [{…}]}`, what a lookup by name returns). The volume status polls of a
 * client log are how a reader sees a volume go `reserved` → `available` or stay `error`.
 */
function resourceOf(status: number | null, body: string | null): Exchange['resource'] | null {
  if (status === null || status < 200 || status > 299 || body === null) return null;
  if (body.length > RESOURCE_BODY_LIMIT || !body.startsWith('{')) return null;
  // A resource has a "status" key: a body that does not write one (nor any \u escape, which could
  // spell it) is not parsed, as a token's catalog is not.
  if (!body.includes('"status"') && !body.includes('\\u')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object') return null;
  const keys = Object.keys(parsed);
  if (keys.length !== 1) return null;
  const key = keys[0]!;
  let value = (parsed as Record<string, unknown>)[key];
  let type = key;
  if (Array.isArray(value)) {
    if (value.length !== 1 || !key.endsWith('s')) return null;
    value = value[0];
    type = key.slice(0, -1);
  }
  // A version document ({"version": {"status": "stable"}}) is about the API, not a resource.
  if (type === 'version' || value === null || typeof value !== 'object') return null;
  const fields = value as Record<string, unknown>;
  if (typeof fields.status !== 'string') return null;
  const text = (v: unknown) => (typeof v === 'string' ? own(v) : null);
  const state = { type: own(type), id: text(fields.id), name: text(fields.name), status: own(fields.status) };
  const fault = type === 'server' ? faultOf(fields.fault) : null;
  return fault ? { ...state, fault } : state;
}

/** A server's `fault` in nova's answer (`{"code": 500, "created": …, "message": …, "details": …}`), else null. */
function faultOf(value: unknown): ServerFault | null {
  if (value === null || typeof value !== 'object') return null;
  const f = value as Record<string, unknown>;
  if (typeof f.code !== 'number' || !Number.isInteger(f.code) || typeof f.message !== 'string') return null;
  return {
    code: f.code,
    message: own(maskText(f.message)),
    created: typeof f.created === 'string' ? own(f.created) : null,
  };
}

/**
 * What nova recorded of a server's actions (`GET …/os-instance-actions[/{request id}]`): each
 * action, its request id, and whether it or one of its events ended in Error. The body of a
 * `server event show` holds each event's traceback: only the event names are kept.
 */
const ACTIONS_BODY_LIMIT = 4 * 1024 * 1024;

function instanceActionsOf(
  path: string | null,
  status: number | null,
  body: string | null,
): NonNullable<Exchange['instanceActions']> | null {
  if (path === null || !path.includes('/os-instance-actions')) return null;
  if (status === null || status < 200 || status > 299 || body === null || !body.startsWith('{')) return null;
  // A server's whole history with tracebacks is some kilobytes; a body far larger is not read.
  if (body.length > ACTIONS_BODY_LIMIT) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  const top = parsed as { instanceActions?: unknown; instanceAction?: unknown } | null;
  const list = Array.isArray(top?.instanceActions)
    ? top.instanceActions
    : top?.instanceAction
      ? [top.instanceAction]
      : [];
  const out: NonNullable<Exchange['instanceActions']> = [];
  for (const item of list as Array<Record<string, unknown>>) {
    if (item === null || typeof item !== 'object' || typeof item.action !== 'string') continue;
    const events = Array.isArray(item.events) ? (item.events as Array<Record<string, unknown>>) : [];
    const failedEvents = events
      .filter((e) => e !== null && typeof e === 'object' && e.result === 'Error' && typeof e.event === 'string')
      .map((e) => own(e.event as string));
    out.push({
      action: own(item.action),
      requestId: typeof item.request_id === 'string' ? own(requestIdOrNull(item.request_id)) : null,
      failed: item.message === 'Error' || failedEvents.length > 0,
      failedEvents,
    });
  }
  return out.length > 0 ? out : null;
}

/** `…/v3/auth/tokens` or keystone v2's `…/v2.0/tokens`: a token request logged as a normal REQ by legacy clients. */
function isTokenUrl(url: string | null): boolean {
  const path = pathOf(url)?.split('?')[0] ?? '';
  return path.endsWith('/auth/tokens') || path.endsWith('/v2.0/tokens');
}
