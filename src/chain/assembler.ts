// The stateful stage for one input: records in, exchanges and commands out.
// It holds only what is still open (the current command and its exchanges, a
// pending auth request, a traceback being read) and hands finished work to the
// sink, so memory follows what is open, not the length of the log.
import type { Command, Exchange } from '../model/schema.js';
import type { ExchangeDetail } from '../core/analysis.js';
import { unhandledKind, type Header, type LineRecord } from '../core/records.js';
import { maskArgv, maskText } from '../secrets/mask.js';
import { Catalog } from './catalog.js';
import { own, ownExchangeStrings } from './own.js';
import { HTTP_METHODS } from '../lex/matchers.js';
import { errorOf, headerValue, microversionOf, originOf, pathOf, responseRequestId, samePath } from './http.js';
import { timestampMs, formatTimestamp, dateHeaderMs } from './time.js';

export interface AssemblerSink {
  exchange(exchange: Exchange, detail: ExchangeDetail): void;
  command(command: Command): void;
}

export interface IdSource {
  nextExchangeId(): number;
  nextCommandId(): number;
}

interface Draft {
  id: number;
  line: number;
  endLine: number;
  kind: Exchange['kind'];
  method: string | null;
  url: string | null;
  requestHeaders: Header[];
  requestBody: string | null;
  urllib3Status: number | null;
  status: number | null;
  responseHeaders: Header[] | null;
  responseBody: string | null;
  hasResp: boolean;
  hasBody: boolean;
  requestIdFromLine: string | null;
  serviceHint: string | null;
  clientErrorRequestId: string | null;
  startedMs: number | null;
  endedMs: number | null;
  incompleteReason: string | null;
  resendOf: number | null;
  command: number | null;
  closed: boolean;
  /** Elapsed time from an osc `--timing` table row, when one matched. */
  tableMs: number | null;
}

interface CommandDraft {
  id: number;
  line: number;
  endLine: number;
  argv: string[];
  name: string | null;
  className: string | null;
  exitCode: number | null;
  error: string | null;
  traceback: Command['traceback'];
  exchanges: Draft[];
}

/** Record kinds after which unprefixed, unrecognized lines are taken as continuation lines. */
type Continuation = 'resp-body' | 'message' | 'json' | 'traceback' | 'req-body' | 'error-text' | null;

/** How far back a request-id or client error line looks for its exchange. */
const RECENT_DRAFTS = 64;

/** A journald entry with nothing of its own but the journal prefix: the next physical line of a record. */
function isBareJournal(p: LineRecord['prefix']): boolean {
  return p !== undefined && p.style === 'journal' && p.logger === undefined && p.level === undefined;
}

/**
 * The error osc-lib prints before its traceback: `HttpException: 500: Server Error for url: …`,
 * `openstack.exceptions.ResourceNotFound: No Volume found for vol9`. A dotted or plain class
 * name ending like an exception, a colon, then the message; keystoneauth's ConnectFailure text.
 */
const EXCEPTION_LINE =
  /^(?:[A-Za-z_][\w.]{0,200}(?:Exception|Error|Failure|NotFound|Conflict|Unauthorized|Forbidden|BadRequest|Timeout|Unavailable): |Unable to establish connection to )/;

export class Assembler {
  private readonly catalog = new Catalog();
  private command: CommandDraft | null = null;
  /** Exchanges outside any command, waiting for the end of input (their catalog may come later). */
  private loose: Draft[] = [];
  /** The exchange lines currently attach to. */
  private current: Draft | null = null;
  /** The last request (not token) exchange: what a resend after re-authentication repeats. */
  private lastRequest: Draft | null = null;
  private pendingAuth: { url: string; line: number; ms: number | null } | null = null;
  private authAwaitingBody: Draft | null = null;
  private traceback: {
    line: number;
    endLine: number;
    frames: number;
    error: string | null;
    awaitingError: boolean;
  } | null = null;
  private continuation: Continuation = null;
  private lastTimestampMs: number | null = null;
  /** Inside an osc `--timing` table (after its `URL | Seconds` header row). */
  private timingTable: { lastMatched: number } | null = null;
  /**
   * Exchanges of the last finished command, as handed to the sink. osc prints the
   * `--timing` table on stdout, which a pipe buffers until exit: the table then comes
   * after `END return value`, and its rows still belong to that command.
   */
  private lastCommandExchanges: Exchange[] = [];
  /** The command that just ended, with its exchanges, until it is certain no `--timing` table follows. */
  private held: { exchanges: Array<[Exchange, ExchangeDetail]>; command: Command } | null = null;

  constructor(
    private readonly source: string,
    private readonly ids: IdSource,
    private readonly sink: AssemblerSink,
  ) {}

  /**
   * Take one record. Returns false when the line is not recognized in context
   * (so the caller counts it), true otherwise.
   */
  push(record: LineRecord, line: number): boolean {
    // A finished command is handed on once no `--timing` table can follow it any more.
    if (this.held && record.kind !== 'table-row' && record.kind !== 'table-border' && record.kind !== 'blank')
      this.release();
    const ms = record.prefix?.timestamp ? timestampMs(record.prefix.timestamp) : null;
    if (ms !== null) this.lastTimestampMs = ms;
    if (this.traceback && this.takeTraceback(record, line)) return true;
    switch (record.kind) {
      case 'req':
        return this.onReq(record, line, ms);
      case 'urllib3':
        return this.onUrllib3(record, line, ms);
      case 'resp':
        return this.onResp(record, line, ms);
      case 'resp-body':
        return this.onRespBody(record, line);
      case 'request-id':
        return this.onRequestId(record, line);
      case 'auth-request':
        this.pendingAuth = { url: record.url, line, ms };
        this.continuation = null;
        return true;
      case 'json':
        return this.onJson(record, line);
      case 'start':
        return this.onStart(record, line);
      case 'command': {
        const cmd = this.ensureCommand(line);
        cmd.name = record.name;
        cmd.className = record.className;
        return true;
      }
      case 'clean-up': {
        const cmd = this.ensureCommand(line);
        if (record.error) cmd.error = maskText(record.error);
        // The command failed while a request was on the wire: that is why it has no answer.
        const open = this.current;
        if (record.error && open && !open.closed && open.status === null)
          open.incompleteReason ??= `failed: ${maskText(record.error)}`;
        cmd.endLine = line;
        // A multi-line error message continues on the following lines.
        this.continuation = record.error ? 'error-text' : null;
        return true;
      }
      case 'end':
        return this.onEnd(record, line);
      case 'retry':
        return this.onRetry(record, line);
      case 'table-row':
        return this.onTableRow(record, line);
      case 'failure-status':
      case 'connection':
      case 'redirect':
      case 'osc':
      case 'run':
      case 'table-border':
      case 'access':
        this.continuation = null;
        if (this.command) this.command.endLine = line;
        return true;
      case 'client-error':
        return this.onClientError(record, line);
      case 'traceback-start':
        this.traceback = { line, endLine: line, frames: 0, error: null, awaitingError: false };
        return true;
      case 'traceback-frame':
        // A frame without a `Traceback` header (a pasted fragment): still a traceback.
        this.traceback = { line, endLine: line, frames: 1, error: null, awaitingError: true };
        return true;
      case 'message':
        // journald writes each physical line of a record as its own entry: a bare entry
        // (no level, no logger) right after a RESP BODY goes on with that body.
        if (this.continuation === 'resp-body' && isBareJournal(record.prefix) && this.current?.hasBody) {
          this.appendBody(this.current, record.text, line);
          return true;
        }
        this.continuation = 'message';
        return true;
      case 'blank':
        return true;
      case 'markup':
      case 'shell':
        // The end of a pasted code block (or a new prompt) ends any multi-line body.
        this.continuation = null;
        return true;
      case 'indented':
      case 'unrecognized':
        if (this.continuation !== null && (!record.prefix || isBareJournal(record.prefix))) {
          if (this.continuation === 'resp-body' && this.current?.hasBody)
            this.appendBody(this.current, 'text' in record ? record.text : '', line);
          return true;
        }
        if (record.kind === 'unrecognized' && !record.prefix && EXCEPTION_LINE.test(record.text)) {
          // The client's own error report (no request id): the command's error.
          if (this.command) {
            this.command.error ??= maskText(record.text);
            this.command.endLine = line;
          }
          this.continuation = 'error-text';
          return true;
        }
        return record.kind === 'indented';
      default:
        return unhandledKind(record);
    }
  }

  /** End of input: whatever is still open is reported as it stands. */
  end(lastLine: number): void {
    this.release();
    this.flushTraceback();
    if (this.command) this.closeCommand(lastLine, 'end of input before `END return value`');
    for (const d of this.loose) this.emit(this.finalize(d, 'end of input before a response'));
    this.loose = [];
  }

  // ---- HTTP records --------------------------------------------------------------

  private onReq(r: Extract<LineRecord, { kind: 'req' }>, line: number, ms: number | null): boolean {
    this.closeAnswered();
    const d = this.newDraft(line, 'request', ms);
    d.method = r.method;
    d.url = r.url;
    d.requestHeaders = r.headers;
    d.requestBody = r.body;
    this.current = d;
    this.lastRequest = d;
    this.continuation = r.bodyTruncated ? 'req-body' : null;
    return true;
  }

  private onUrllib3(r: Extract<LineRecord, { kind: 'urllib3' }>, line: number, ms: number | null): boolean {
    this.continuation = null;
    const target = r.target;
    const origin = r.host ? `${r.scheme ?? 'http'}://${r.host}${r.port ? `:${r.port}` : ''}` : null;
    // 1. the token request announced by `Making authentication request to`
    if (this.pendingAuth && r.method === 'POST' && samePath(pathOf(this.pendingAuth.url), target)) {
      this.closeAnswered();
      const d = this.newDraft(this.pendingAuth.line, 'auth', this.pendingAuth.ms ?? ms);
      d.method = 'POST';
      d.url = this.pendingAuth.url;
      this.answer(d, r.status, line, ms);
      this.pendingAuth = null;
      this.authAwaitingBody = d;
      this.current = d;
      return true;
    }
    const cur = this.current;
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
      return true;
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
      return true;
    }
    // 4. nothing to attach to: an exchange known only from this line
    this.closeAnswered();
    const d = this.newDraft(line, 'bare', ms);
    d.method = r.method;
    d.url = origin ? `${origin}${target}` : target;
    this.answer(d, r.status, line, ms);
    this.current = d;
    return true;
  }

  private onResp(r: Extract<LineRecord, { kind: 'resp' }>, line: number, ms: number | null): boolean {
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
    if (ms !== null) d.endedMs = ms;
    if (r.body !== null) {
      d.responseBody = r.body;
      d.hasBody = true;
    }
    this.continuation = null;
    return true;
  }

  private onRespBody(r: Extract<LineRecord, { kind: 'resp-body' }>, line: number): boolean {
    const d = this.current;
    if (d && !d.closed && d.hasResp && !d.hasBody) {
      d.hasBody = true;
      d.responseBody = r.omittedContentType === null ? r.text : null;
      d.endLine = line;
      // Clients that log their token request (legacy HTTPClients) show the catalog here.
      if (r.text.startsWith('{"access"') || r.text.startsWith('{"token"')) this.catalog.addTokenBody(r.text);
    }
    this.continuation = 'resp-body';
    return true;
  }

  private onRequestId(r: Extract<LineRecord, { kind: 'request-id' }>, line: number): boolean {
    this.continuation = null;
    // The line closes the last attempt of the matching request (retries share one line).
    const candidates = this.recentDrafts();
    const d =
      candidates.find((x) => !x.closed && x.method === r.method && samePath(pathOf(x.url), pathOf(r.url))) ??
      candidates.find(
        (x) => x.method === r.method && samePath(pathOf(x.url), pathOf(r.url)) && x.requestIdFromLine === null,
      );
    if (!d) return true;
    d.requestIdFromLine = r.requestId;
    d.serviceHint = r.service;
    d.endLine = Math.max(d.endLine, line);
    // Earlier attempts of the same request are finished too.
    for (const x of candidates) if (!x.closed && (x === d || x.id < d.id)) this.close(x);
    return true;
  }

  private onJson(r: Extract<LineRecord, { kind: 'json' }>, line: number): boolean {
    const auth = this.authAwaitingBody;
    if (auth && !auth.hasBody) {
      auth.responseBody = r.text;
      auth.hasBody = true;
      auth.endLine = line;
      this.catalog.addTokenBody(r.text);
      this.authAwaitingBody = null;
      this.close(auth);
    }
    this.continuation = 'json';
    return true;
  }

  private onRetry(r: Extract<LineRecord, { kind: 'retry' }>, line: number): boolean {
    const d = this.current;
    this.continuation = null;
    if (d && !d.closed) {
      if (!d.hasResp && d.urllib3Status === null) {
        // The attempt died on the wire; the next urllib3 line for it is the retry.
        d.incompleteReason = `connection failure, retried: ${maskText(r.reason)}`;
        this.close(d);
        this.current = this.resendOf(d, line, null);
      }
    }
    return true;
  }

  /** `| URL | Seconds |` starts a `--timing` table; `| GET http://… | 0.0123 |` rows time the exchanges in order. */
  private onTableRow(r: Extract<LineRecord, { kind: 'table-row' }>, line: number): boolean {
    this.continuation = null;
    if (this.command) this.command.endLine = line;
    const [first, second] = r.cells;
    if (r.cells.length === 2 && first === 'URL' && second === 'Seconds') {
      this.timingTable = { lastMatched: -1 };
      return true;
    }
    if (!this.timingTable || r.cells.length !== 2 || first === undefined || second === undefined) return true;
    const sp = first.indexOf(' ');
    const seconds = Number(second);
    if (sp < 0 || !Number.isFinite(seconds) || !HTTP_METHODS.has(first.slice(0, sp))) {
      if (first === 'Total') this.timingTable = null;
      return true;
    }
    const method = first.slice(0, sp);
    const url = first.slice(sp + 1).trim();
    const ms = Math.round(seconds * 1e6) / 1e3;
    const open = this.command?.exchanges ?? (this.lastCommandExchanges.length === 0 ? this.loose : null);
    const list: Array<{ method: string | null; url: string | null }> = open ?? this.lastCommandExchanges;
    const timed = (x: { method: string | null; url: string | null }, i: number) =>
      i > this.timingTable!.lastMatched && x.method === method && sameUrl(x.url, url);
    const at = list.findIndex(timed);
    if (at < 0) return true;
    this.timingTable.lastMatched = at;
    if (open) (open[at] as Draft).tableMs = ms;
    else applyTableTiming(this.lastCommandExchanges[at]!, ms);
    return true;
  }

  private onClientError(r: Extract<LineRecord, { kind: 'client-error' }>, line: number): boolean {
    // `… (HTTP 401) (Request-ID: req-…)`: the only place a failed auth shows its id.
    const list = this.recentDrafts();
    const d = list.find(
      (x) =>
        x.status !== null &&
        x.status === r.status &&
        responseRequestId(x.responseHeaders) === null &&
        x.requestIdFromLine === null,
    );
    if (d) d.clientErrorRequestId = r.requestId;
    if (this.command && r.message !== '') {
      this.command.error ??= maskText(r.message);
      this.command.endLine = line;
    }
    this.continuation = null;
    return true;
  }

  // ---- commands ------------------------------------------------------------------

  private onStart(r: Extract<LineRecord, { kind: 'start' }>, line: number): boolean {
    this.flushTraceback();
    if (this.command) this.closeCommand(line - 1, 'a new command started before `END return value`');
    this.flushLoose();
    this.command = this.newCommand(line, r.argv);
    this.lastRequest = null;
    this.lastCommandExchanges = [];
    this.timingTable = null;
    this.continuation = null;
    return true;
  }

  private onEnd(r: Extract<LineRecord, { kind: 'end' }>, line: number): boolean {
    this.flushTraceback();
    const cmd = this.ensureCommand(line);
    cmd.exitCode = r.exitCode;
    cmd.endLine = line;
    // osc prints its `--timing` table after END: a command run with --timing (or whose
    // START line is not in the log) waits for it until a line that is not a table comes.
    this.closeCommand(line, null, cmd.argv.length === 0 || cmd.argv.includes('--timing'));
    return true;
  }

  private ensureCommand(line: number): CommandDraft {
    if (!this.command) {
      this.flushLoose();
      this.command = this.newCommand(line, []);
    }
    return this.command;
  }

  private newCommand(line: number, argv: string[]): CommandDraft {
    return {
      id: this.ids.nextCommandId(),
      line,
      endLine: line,
      argv: maskArgv(argv),
      name: null,
      className: null,
      exitCode: null,
      error: null,
      traceback: null,
      exchanges: [],
    };
  }

  private closeCommand(line: number, truncatedReason: string | null, hold = false): void {
    const cmd = this.command;
    if (!cmd) return;
    this.release();
    this.command = null;
    const finished = cmd.exchanges.map((d) =>
      this.finalize(d, truncatedReason ? 'end of the command before a response' : 'no response logged'),
    );
    this.lastCommandExchanges = finished.map(([x]) => x);
    this.current = null;
    this.pendingAuth = null;
    this.authAwaitingBody = null;
    this.held = {
      exchanges: finished,
      command: {
        id: cmd.id,
        source: this.source,
        line: cmd.line,
        endLine: Math.max(cmd.endLine, line),
        argv: cmd.argv.map((a) => own(a)),
        name: own(cmd.name),
        className: own(cmd.className),
        exitCode: cmd.exitCode,
        complete: truncatedReason === null,
        error: own(cmd.error),
        traceback: cmd.traceback ? { ...cmd.traceback, error: own(cmd.traceback.error) } : null,
        exchanges: cmd.exchanges.map((d) => d.id),
      },
    };
    if (!hold) this.release();
  }

  /** Hand the last finished command and its exchanges to the sink. */
  private release(): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    for (const [x, detail] of held.exchanges) this.sink.exchange(x, detail);
    this.sink.command(held.command);
  }

  private flushLoose(): void {
    this.release();
    for (const d of this.loose) this.emit(this.finalize(d, 'no response logged'));
    this.loose = [];
  }

  private emit([exchange, detail]: [Exchange, ExchangeDetail]): void {
    this.sink.exchange(exchange, detail);
  }

  // ---- tracebacks ----------------------------------------------------------------

  private takeTraceback(record: LineRecord, line: number): boolean {
    const tb = this.traceback!;
    if (record.kind === 'traceback-frame' || record.kind === 'indented') {
      if (record.kind === 'traceback-frame') tb.frames++;
      tb.awaitingError = true;
      tb.endLine = line;
      return true;
    }
    if (
      tb.awaitingError &&
      !record.prefix &&
      (record.kind === 'unrecognized' || record.kind === 'client-error' || record.kind === 'message')
    ) {
      tb.error = maskText('text' in record ? record.text : record.kind === 'client-error' ? record.message : '');
      if (record.kind === 'client-error') tb.error = maskText(`${record.message} (Request-ID: ${record.requestId})`);
      tb.endLine = line;
      this.flushTraceback();
      if (record.kind === 'client-error') this.onClientError(record, line);
      this.continuation = 'error-text';
      return true;
    }
    // oslo.log prefixes every traceback line; those come as prefixed messages.
    if (record.prefix && record.kind === 'message' && tb.awaitingError) {
      tb.endLine = line;
      return true;
    }
    this.flushTraceback();
    return false;
  }

  private flushTraceback(): void {
    const tb = this.traceback;
    if (!tb) return;
    this.traceback = null;
    const cmd = this.command;
    if (cmd) {
      cmd.traceback = { line: tb.line, endLine: tb.endLine, error: tb.error, frames: tb.frames };
      if (tb.error) cmd.error = tb.error;
    }
  }

  // ---- exchange life cycle -------------------------------------------------------

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
      startedMs: ms,
      endedMs: null,
      incompleteReason: null,
      resendOf: null,
      command: this.command?.id ?? null,
      closed: false,
      tableMs: null,
    };
    if (this.command) this.command.exchanges.push(d);
    else this.loose.push(d);
    return d;
  }

  private appendBody(d: Draft, text: string, line: number): void {
    d.responseBody = `${d.responseBody ?? ''}\n${text}`;
    d.endLine = line;
  }

  /**
   * The latest exchanges, newest first. A request-id or error line speaks of one of the last
   * few requests; looking further back would make a log of many requests quadratic.
   */
  private recentDrafts(): Draft[] {
    const list = this.command?.exchanges ?? this.loose;
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
    if (ms !== null) d.endedMs = ms;
  }

  /** Close the current exchange if it has been answered; a new request begins. */
  private closeAnswered(): void {
    const d = this.current;
    if (d && !d.closed && (d.urllib3Status !== null || d.hasResp)) this.close(d);
    else if (d && !d.closed) {
      d.incompleteReason ??= 'no response logged before the next request';
      this.close(d);
    }
    this.current = null;
  }

  private close(d: Draft): void {
    d.closed = true;
  }

  /** Turn a draft into its public form (the caller hands it to the sink). */
  private finalize(d: Draft, reasonIfOpen: string): [Exchange, ExchangeDetail] {
    const answered = d.status !== null;
    const complete = answered && d.incompleteReason === null;
    const incompleteReason = complete ? null : (d.incompleteReason ?? reasonIfOpen);
    const requestId = responseRequestId(d.responseHeaders) ?? d.requestIdFromLine ?? d.clientErrorRequestId;
    let startedAt: string | null = null;
    let durationMs: number | null = null;
    let timing: Exchange['timing'] = null;
    if (d.startedMs !== null) {
      startedAt = formatTimestamp(d.startedMs);
      timing = 'log';
      if (d.endedMs !== null && answered) durationMs = Math.max(0, Math.round((d.endedMs - d.startedMs) * 1000) / 1000);
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
      url: d.url,
      path: pathOf(d.url), // The token request is identity's by definition, whatever endpoint shares its origin.
      service:
        d.kind === 'auth' || isTokenUrl(d.url)
          ? 'identity'
          : (this.catalog.serviceFor(d.url, d.serviceHint) ?? d.serviceHint),
      status: d.status,
      requestId,
      globalRequestId: headerValue(d.requestHeaders, 'X-OpenStack-Request-ID'),
      microversion: microversionOf(d.responseHeaders, d.requestHeaders),
      startedAt,
      durationMs,
      timing,
      serverTimeMs: null,
      complete,
      incompleteReason,
      kind: d.kind,
      resendOf: d.resendOf,
      error: errorOf(d.status, d.responseBody),
      command: d.command,
      action: actionOf(d.requestBody),
    };
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
}

/** The first key of a JSON object body (`{"os-reserve": null}` → os-reserve); flows recognise action calls by it. */
function actionOf(body: string | null): string | null {
  if (body === null) return null;
  const open = body.indexOf('{');
  if (open < 0 || body.slice(0, open).trim() !== '') return null;
  const quote = body.indexOf('"', open + 1);
  if (quote < 0 || body.slice(open + 1, quote).trim() !== '') return null;
  const end = body.indexOf('"', quote + 1);
  return end > quote + 1 ? body.slice(quote + 1, end) : null;
}

/** `…/v3/auth/tokens` or keystone v2's `…/v2.0/tokens`: a token request logged as a normal REQ by legacy clients. */
function isTokenUrl(url: string | null): boolean {
  const path = pathOf(url)?.split('?')[0] ?? '';
  return path.endsWith('/auth/tokens') || path.endsWith('/v2.0/tokens');
}

/** A `--timing` duration counts only where the log itself has no timestamps (they are more exact). */
function applyTableTiming(exchange: Exchange, ms: number): void {
  if (exchange.timing === 'log') return;
  exchange.durationMs = ms;
  exchange.timing = 'timing-table';
}

/** A `--timing` URL against an exchange URL: same origin (default ports explicit) and same path. */
function sameUrl(a: string | null, b: string): boolean {
  if (a === null) return false;
  const oa = originOf(a);
  const ob = originOf(b);
  return (oa === null || ob === null || oa === ob) && samePath(pathOf(a), pathOf(b));
}
