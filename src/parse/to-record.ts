// Tokens → LineRecord. The semantics of each line kind live here, apart from the grammar:
// the CST visitor and the parser-free path for common token shapes share them.
import type { CstNode, IToken, TokenType } from 'chevrotain';
import { readPythonString, type HeaderPayload, type HeaderRunPayload, type WirePayload } from '../lex/matchers.js';
import type { Header, LineRecord, PrefixFields, RequestIdPayload } from '../core/records.js';
import type { ServerFault } from '../model/schema.js';
import { lacksYear } from '../core/time.js';
import * as T from '../lex/tokens.js';
import { getParser, KEYWORDS, SINGLES } from './parser.js';

type Children = Record<string, Array<IToken | CstNode> | undefined>;

const BaseVisitor = getParser().getBaseCstVisitorConstructor();

const payload = <T>(t: IToken): T => (t as IToken & { payload: T }).payload;

/** Tokens of a CST node's children in source order (the CST groups them by type). */
function orderedTokens(children: Children): IToken[] {
  const out: IToken[] = [];
  for (const list of Object.values(children)) {
    for (const item of list ?? []) if ('image' in item) out.push(item);
  }
  return out.sort((a, b) => a.startOffset - b.startOffset);
}

// ---- the records of the grammar's rules ----------------------------------------------
// Each takes the rule's tokens in source order, `tokens[start]` being its first: the CST
// visitor passes a node's tokens, `recordFromTokens` a run of the lexed tokens.

function reqRecord(tokens: readonly IToken[], start: number): LineRecord {
  let method: string | null = null;
  let url: string | null = null;
  let quotedUrl = false;
  let body: string | null = null;
  let bodyTruncated = false;
  let tls: 'insecure' | 'cacert' | null = null;
  let urlBeforeMethod = false;
  let glued = false;
  const headers: Header[] = [];
  let prevEnd = -1;
  for (let i = start; i < tokens.length; i++) {
    const t = tokens[i]!;
    // cinderclient's HTTPClient joins its parts without spaces: `-X GET-H '…'-H '…'`.
    const touchesPrevious = t.startOffset === prevEnd;
    prevEnd = t.startOffset + t.image.length;
    switch (t.tokenType.name) {
      case 'MethodOption':
        method = t.image.slice(2).trim();
        break;
      case 'UrlArgument': {
        const p = payload<{ url: string; quoted: boolean }>(t);
        if (url === null) {
          url = p.url;
          quotedUrl = p.quoted;
          urlBeforeMethod = method === null;
        }
        break;
      }
      case 'HeaderOption': {
        const p = payload<HeaderPayload>(t);
        headers.push([p.name, p.value]);
        if (touchesPrevious) glued = true;
        break;
      }
      case 'DataOption': {
        const p = payload<{ body: string; truncated: boolean }>(t);
        body = p.body;
        bodyTruncated = p.truncated;
        break;
      }
      case 'Insecure':
        tls = 'insecure';
        break;
      case 'Cacert':
        tls = 'cacert';
        break;
      case 'CurlWord':
        // A bare relative URL (`/v2.1/servers`) from very old clients.
        if (url === null && t.image.startsWith('/')) {
          url = t.image;
          urlBeforeMethod = method === null;
        }
        break;
      default:
        break;
    }
  }
  const reqToken = tokens[start]!;
  const style =
    reqToken.tokenType.name === 'SplitReq'
      ? 'split'
      : reqToken.image.includes("b'")
        ? 'bytes'
        : glued
          ? 'glued'
          : urlBeforeMethod && method !== null
            ? 'legacy-url-first'
            : 'ksa';
  return { kind: 'req', method, url, quotedUrl, headers, body, bodyTruncated, tls, style };
}

function respRecord(tokens: readonly IToken[], start: number): LineRecord {
  let status: number | null = null;
  const headers: Header[] = [];
  let body: string | null = null;
  let headerStyle: 'ksa' | 'dict' = 'ksa';
  for (let i = start; i < tokens.length; i++) {
    const t = tokens[i]!;
    switch (t.tokenType.name) {
      case 'Status':
      case 'SplitRespStatus':
        status = Number(t.image.replace(/[[\]]/g, ''));
        break;
      case 'DictRepr':
        headerStyle = 'dict';
        headers.push(...payload<{ pairs: Header[] }>(t).pairs);
        break;
      case 'Rest':
        body = t.image.trim() || null;
        break;
      case 'HeaderRun':
        for (const h of payload<HeaderRunPayload>(t).headers) headers.push(h);
        break;
      default:
        break;
    }
  }
  // Essex novaclient logged httplib2's response dict, whose `status` key is the status, not a header.
  if (status === null && headerStyle === 'dict') {
    const at = headers.findIndex(([name, value]) => name === 'status' && /^\d{3}$/.test(value));
    if (at >= 0) status = Number(headers.splice(at, 1)[0]![1]);
  }
  return { kind: 'resp', status, headers, headerStyle, body };
}

function respBodyRecord(tokens: readonly IToken[], start: number): LineRecord {
  let text = '';
  for (let i = start; i < tokens.length; i++) {
    const name = tokens[i]!.tokenType.name;
    if (name === 'Rest' || name === 'SplitBody') {
      text = tokens[i]!.image;
      break;
    }
  }
  const omitted = 'Omitted, Content-Type is set to ';
  let omittedContentType: string | null = null;
  if (text.startsWith(omitted)) {
    const end = text.indexOf('. Only ', omitted.length);
    omittedContentType = text.slice(omitted.length, end < 0 ? undefined : end);
  }
  return { kind: 'resp-body', text, omittedContentType };
}

function keywordRecord(tokens: readonly IToken[], start: number): LineRecord {
  const kw = tokens[start]!;
  let rest = '';
  for (let i = start + 1; i < tokens.length; i++) {
    if (tokens[i]!.tokenType.name === 'Rest') {
      rest = tokens[i]!.image;
      break;
    }
  }
  switch (kw.tokenType.name) {
    case 'Start':
      return { kind: 'start', argv: parseArgv(rest) };
    case 'End': {
      const n = Number.parseInt(rest.trim(), 10);
      return { kind: 'end', exitCode: Number.isNaN(n) ? null : n };
    }
    case 'CommandLine': {
      const arrow = rest.indexOf(' -> ');
      const name = (arrow >= 0 ? rest.slice(0, arrow) : rest).trim();
      const tail = arrow >= 0 ? rest.slice(arrow + 4) : '';
      const paren = tail.indexOf(' (auth=');
      const className = tail ? (paren >= 0 ? tail.slice(0, paren) : tail).trim() : null;
      const auth = paren >= 0 ? tail.slice(paren + 7).startsWith('True') : null;
      return { kind: 'command', name, className, auth };
    }
    case 'CleanUp': {
      const colon = rest.indexOf(':');
      return {
        kind: 'clean-up',
        className: (colon >= 0 ? rest.slice(0, colon) : rest).trim(),
        error: colon >= 0 ? rest.slice(colon + 1).trim() : '',
      };
    }
    case 'RunLine':
      return { kind: 'run', text: rest };
    case 'AuthRequest':
      return { kind: 'auth-request', url: rest.trim() };
    case 'FailureStatus': {
      const n = Number.parseInt(rest.trim(), 10);
      return { kind: 'failure-status', status: Number.isNaN(n) ? null : n };
    }
    case 'RetryFailure':
    case 'RetriableStatus': {
      const retrying = rest.indexOf('. Retrying in ');
      const reason = retrying >= 0 ? rest.slice(0, retrying) : rest;
      const delay = retrying >= 0 ? Number.parseFloat(rest.slice(retrying + 14)) : Number.NaN;
      const leftAt = rest.lastIndexOf('s. ');
      const left = leftAt >= 0 ? Number.parseInt(rest.slice(leftAt + 3), 10) : Number.NaN;
      const status = kw.tokenType.name === 'RetriableStatus' ? Number.parseInt(reason, 10) : Number.NaN;
      return {
        kind: 'retry',
        reason: kw.tokenType.name === 'RetriableStatus' ? `status ${reason}` : reason,
        delaySeconds: Number.isNaN(delay) ? null : delay,
        retriesLeft: Number.isNaN(left) ? null : left,
        status: Number.isNaN(status) ? null : status,
      };
    }
    case 'Redirecting':
      return { kind: 'redirect', text: rest };
    case 'RequestIdsLine': {
      const at = rest.indexOf('req-');
      const end = at < 0 ? -1 : rest.indexOf("'", at);
      if (at < 0) return { kind: 'osc', what: 'info', text: kw.image + rest };
      return { kind: 'client-error', message: '', status: null, requestId: rest.slice(at, end < 0 ? undefined : end) };
    }
    case 'TracebackStart':
    case 'TracebackChain':
      return { kind: 'traceback-start' };
    case 'TracebackFrame':
      return { kind: 'traceback-frame', text: kw.image.trimStart() + rest };
    case 'JsonLine':
      return { kind: 'json', text: kw.image + rest };
    case 'TableRow':
      return { kind: 'table-row', cells: splitRow(rest) };
    case 'OptionsLine':
      return { kind: 'osc', what: 'options', text: rest };
    case 'AuthPluginSelected':
      return { kind: 'osc', what: 'auth-plugin', text: rest };
    case 'UsingAuthPlugin':
      return { kind: 'osc', what: 'using-auth-plugin', text: rest };
    case 'UsingParameters':
      return { kind: 'osc', what: 'using-parameters', text: rest };
    case 'GetAuthRef':
      return { kind: 'osc', what: 'get-auth-ref', text: rest };
    default:
      return { kind: 'osc', what: 'info', text: kw.image + rest };
  }
}

function singleRecord(t: IToken): LineRecord {
  switch (t.tokenType.name) {
    case 'Urllib3Response':
      return { kind: 'urllib3', ...payload<Omit<Extract<LineRecord, { kind: 'urllib3' }>, 'kind'>>(t) };
    case 'RequestIdLine':
      return { kind: 'request-id', ...payload<RequestIdPayload>(t) };
    case 'ConnectionLine':
      return { kind: 'connection', ...payload<Omit<Extract<LineRecord, { kind: 'connection' }>, 'kind'>>(t) };
    case 'TimingCsvRow':
      return { kind: 'table-row', cells: payload<{ cells: string[] }>(t).cells };
    case 'WireDebugLine':
      return { ...payload<WirePayload>(t) };
    case 'ClientErrorLine':
      return { kind: 'client-error', ...payload<Omit<Extract<LineRecord, { kind: 'client-error' }>, 'kind'>>(t) };
    case 'UsageLine':
      return { kind: 'usage', ...payload<{ program: string; command: string }>(t) };
    case 'ServerFaultLine':
      return { kind: 'server-fault', ...payload<ServerFault>(t) };
    default:
      return { kind: 'access', ...payload<Omit<Extract<LineRecord, { kind: 'access' }>, 'kind'>>(t) };
  }
}

function indentedRecord(text: string): LineRecord {
  return text ? { kind: 'indented', text } : { kind: 'blank' };
}

/** A line's record from its message's record (if any) and its prefixes. */
function lineRecord(prefixes: PrefixFields[], message: ((hasPrefix: boolean) => LineRecord) | null): LineRecord {
  const prefix = mergePrefixes(prefixes);
  const record: LineRecord = message
    ? message(prefix !== undefined)
    : prefix
      ? { kind: 'message', text: '' }
      : { kind: 'blank' };
  if (prefix) record.prefix = prefix;
  return record;
}

class RecordVisitor extends BaseVisitor {
  constructor() {
    super();
    this.validateVisitor();
  }

  line(ctx: Children): LineRecord {
    const prefixes = (ctx.prefix ?? []).map((p) => this.visit(p as CstNode) as PrefixFields);
    const message = ctx.message?.[0] as CstNode | undefined;
    return lineRecord(prefixes, message ? (hasPrefix) => this.visit(message, hasPrefix) as LineRecord : null);
  }

  prefix(ctx: Children): PrefixFields {
    return payload<PrefixFields>(orderedTokens(ctx)[0]!);
  }

  message(ctx: Children, hasPrefix: boolean): LineRecord {
    for (const key of [
      'reqLine',
      'respLine',
      'respBodyLine',
      'keywordLine',
      'singleLine',
      'tableBorderLine',
      'indentedLine',
    ]) {
      const node = ctx[key]?.[0] as CstNode | undefined;
      if (node) return this.visit(node);
    }
    const text = (ctx.Text?.[0] as IToken).image;
    return hasPrefix ? { kind: 'message', text } : { kind: 'unrecognized', text };
  }

  reqLine(ctx: Children): LineRecord {
    return reqRecord(orderedTokens(ctx), 0);
  }

  respLine(ctx: Children): LineRecord {
    return respRecord(orderedTokens(ctx), 0);
  }

  respBodyLine(ctx: Children): LineRecord {
    return respBodyRecord(orderedTokens(ctx), 0);
  }

  keywordLine(ctx: Children): LineRecord {
    return keywordRecord(orderedTokens(ctx), 0);
  }

  singleLine(ctx: Children): LineRecord {
    return singleRecord(orderedTokens(ctx)[0]!);
  }

  tableBorderLine(): LineRecord {
    return { kind: 'table-border' };
  }

  indentedLine(ctx: Children): LineRecord {
    return indentedRecord((ctx.Rest?.[0] as IToken | undefined)?.image ?? '');
  }
}

// ---- the same records straight from the lexed tokens -----------------------------------
// Almost every line is one of a few token shapes that the grammar takes in one way only:
// prefixes, then a message token and what its rule allows after it. For those the record
// is built from the tokens as they are, with the functions the visitor uses, and the
// parser and its CST are skipped. Only shapes the grammar accepts are taken here; any
// other sequence (an error, a rare shape) returns null and goes through the parser.
// test/parse/fast-path.test.ts checks that both ways give the same record.

const PREFIX_TYPES = new Set<TokenType>(T.prefixTokenTypes);
const CURL_TYPES = new Set<TokenType>([
  T.Curl,
  T.ShortFlag,
  T.Insecure,
  T.Cacert,
  T.MethodOption,
  T.HeaderOption,
  T.DataOption,
  T.UrlArgument,
  T.CurlWord,
]);
const KEYWORD_TYPES = new Set<TokenType>(KEYWORDS);
const SINGLE_TYPES = new Set<TokenType>(SINGLES);

/** `tokens[at]` is of type `type`, or `at` is past the end (an absent OPTION). */
const optional = (tokens: readonly IToken[], at: number, type: TokenType): boolean =>
  at === tokens.length || (at === tokens.length - 1 && tokens[at]!.tokenType === type);

/** The record of a line's tokens when they have one of the common shapes, else null. */
export function recordFromTokens(tokens: readonly IToken[]): LineRecord | null {
  const n = tokens.length;
  let m = 0;
  while (m < n && PREFIX_TYPES.has(tokens[m]!.tokenType)) m++;
  let message: ((hasPrefix: boolean) => LineRecord) | null = null;
  if (m < n) {
    const type = tokens[m]!.tokenType;
    if (type === T.Req || type === T.SplitReq) {
      for (let i = m + 1; i < n; i++) if (!CURL_TYPES.has(tokens[i]!.tokenType)) return null;
      message = () => reqRecord(tokens, m);
    } else if (type === T.Resp || type === T.SplitRespStatus) {
      let i = m + 1;
      if (type === T.Resp && i < n && tokens[i]!.tokenType === T.Status) i++;
      // The headers (`OPTION(HeaderRun)`) or a dict repr and an optional rest; not an empty tail.
      const ok =
        i === n - 1
          ? tokens[i]!.tokenType === T.HeaderRun || tokens[i]!.tokenType === T.DictRepr
          : i === n - 2 && tokens[i]!.tokenType === T.DictRepr && tokens[i + 1]!.tokenType === T.Rest;
      if (!ok) return null;
      message = () => respRecord(tokens, m);
    } else if (type === T.RespBody) {
      if (!optional(tokens, m + 1, T.Rest)) return null;
      message = () => respBodyRecord(tokens, m);
    } else if (type === T.SplitBody) {
      if (n !== m + 1) return null;
      message = () => respBodyRecord(tokens, m);
    } else if (KEYWORD_TYPES.has(type)) {
      if (!optional(tokens, m + 1, T.Rest)) return null;
      message = () => keywordRecord(tokens, m);
    } else if (SINGLE_TYPES.has(type)) {
      if (n !== m + 1) return null;
      message = () => singleRecord(tokens[m]!);
    } else if (type === T.TableBorder) {
      if (!optional(tokens, m + 1, T.Text)) return null;
      message = () => ({ kind: 'table-border' });
    } else if (type === T.Blank) {
      if (!optional(tokens, m + 1, T.Rest)) return null;
      message = () => indentedRecord(m + 1 < n ? tokens[m + 1]!.image : '');
    } else if (type === T.Text) {
      if (n !== m + 1) return null;
      const text = tokens[m]!.image;
      message = (hasPrefix) => (hasPrefix ? { kind: 'message', text } : { kind: 'unrecognized', text });
    } else return null;
  }
  const prefixes: PrefixFields[] = [];
  for (let i = 0; i < m; i++) prefixes.push(payload<PrefixFields>(tokens[i]!));
  return lineRecord(prefixes, message);
}

/** Stacked prefixes (Zuul → journald → devstack) merge into one set of fields; inner ones win. */
function mergePrefixes(list: PrefixFields[]): PrefixFields | undefined {
  if (list.length === 0) return undefined;
  if (list.length === 1) return list[0];
  const merged: PrefixFields = { ...list[0]! };
  for (const p of list.slice(1)) {
    for (const [k, v] of Object.entries(p)) {
      // The outermost timestamp is the most precise one we have (journald/Zuul add it), unless
      // it has no year or whole seconds only and the record inside has its own (a service logging
      // oslo.log's whole line to stderr, under journald; `-o short-iso`'s `2026-11-25T21:02:53+0000`):
      // that one tells the year and the milliseconds.
      if (k === 'timestamp' && merged.timestamp && !innerTimeWins(merged.timestamp, v as string)) continue;
      (merged as unknown as Record<string, unknown>)[k] = v;
    }
  }
  return merged;
}

/** A dated inner timestamp replaces an outer one without a year, or one of whole seconds where it has a fraction. */
function innerTimeWins(outer: string, inner: string): boolean {
  if (lacksYear(inner)) return false;
  return lacksYear(outer) || (!HAS_FRACTION.test(outer) && HAS_FRACTION.test(inner));
}
const HAS_FRACTION = /:\d\d[.,]\d/;

/** `START with options:` argv: a python list repr (py2 `u'…'` too) or space-joined words. */
export function parseArgv(rest: string): string[] {
  const s = rest.trim();
  if (s.startsWith('[')) {
    const out: string[] = [];
    let i = 1;
    while (i < s.length) {
      const c = s[i]!;
      if (c === "'" || c === '"') {
        const { value, end } = readPythonString(s, i);
        out.push(value);
        i = end;
      } else i++;
    }
    return out;
  }
  return s ? s.split(/\s+/) : [];
}

function splitRow(rest: string): string[] {
  const cells = rest.split('|').map((c) => c.trim());
  if (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
  return cells;
}

let visitor: RecordVisitor | undefined;

export function getVisitor(): RecordVisitor {
  visitor ??= new RecordVisitor();
  return visitor;
}
