// CST → LineRecord. The semantics of each line kind live here, apart from the grammar.
import type { CstNode, IToken } from 'chevrotain';
import { readPythonString, type HeaderPayload, type RequestIdPayload } from '../lex/matchers.js';
import type { PrefixFields } from '../lex/prefixes.js';
import type { Header, LineRecord } from '../records/types.js';
import { getParser } from './parser.js';

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

class RecordVisitor extends BaseVisitor {
  constructor() {
    super();
    this.validateVisitor();
  }

  line(ctx: Children): LineRecord {
    const prefixes = (ctx.prefix ?? []).map((p) => this.visit(p as CstNode) as PrefixFields);
    const message = ctx.message?.[0] as CstNode | undefined;
    const prefix = mergePrefixes(prefixes);
    const record: LineRecord = message ? this.visit(message, prefix !== undefined) : (prefix ? { kind: 'message', text: '' } : { kind: 'blank' });
    if (prefix) record.prefix = prefix;
    return record;
  }

  prefix(ctx: Children): PrefixFields {
    return payload<PrefixFields>(orderedTokens(ctx)[0]!);
  }

  message(ctx: Children, hasPrefix: boolean): LineRecord {
    for (const key of ['reqLine', 'respLine', 'respBodyLine', 'keywordLine', 'singleLine', 'tableBorderLine', 'indentedLine']) {
      const node = ctx[key]?.[0] as CstNode | undefined;
      if (node) return this.visit(node);
    }
    const text = (ctx.Text?.[0] as IToken).image;
    return hasPrefix ? { kind: 'message', text } : { kind: 'unrecognized', text };
  }

  reqLine(ctx: Children): LineRecord {
    const tokens = orderedTokens(ctx);
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
    for (const t of tokens) {
      // cinderclient's HTTPClient joins its parts without spaces: `-X GET-H '…'-H '…'`.
      const touchesPrevious = t.startOffset === prevEnd;
      prevEnd = t.startOffset + t.image.length;
      switch (t.tokenType.name) {
        case 'MethodOption':
          method = t.image.slice(2).trim();
          break;
        case 'UrlArgument': {
          const p = payload<{ url: string; quoted: boolean }>(t);
          if (url === null) { url = p.url; quotedUrl = p.quoted; urlBeforeMethod = method === null; }
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
        case 'Insecure': tls = 'insecure'; break;
        case 'Cacert': tls = 'cacert'; break;
        case 'CurlWord':
          // A bare relative URL (`/v2.1/servers`) from very old clients.
          if (url === null && t.image.startsWith('/')) { url = t.image; urlBeforeMethod = method === null; }
          break;
        default:
          break;
      }
    }
    const reqToken = tokens[0]!;
    const style = reqToken.tokenType.name === 'SplitReq' ? 'split' : reqToken.image.includes("b'") ? 'bytes'
      : glued ? 'glued' : urlBeforeMethod && method !== null ? 'legacy-url-first' : 'ksa';
    return { kind: 'req', method, url, quotedUrl, headers, body, bodyTruncated, tls, style };
  }

  respLine(ctx: Children): LineRecord {
    const tokens = orderedTokens(ctx);
    let status: number | null = null;
    const headers: Header[] = [];
    let body: string | null = null;
    let headerStyle: 'ksa' | 'dict' = 'ksa';
    let current: Header | null = null;
    for (const t of tokens) {
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
        case 'HeaderName':
          current = [t.image.slice(0, -1), ''];
          headers.push(current);
          break;
        case 'Word':
          if (current) current[1] = current[1] ? `${current[1]} ${t.image}` : t.image;
          break;
        default:
          break;
      }
    }
    return { kind: 'resp', status, headers, headerStyle, body };
  }

  respBodyLine(ctx: Children): LineRecord {
    const text = ((ctx.Rest ?? ctx.SplitBody)?.[0] as IToken | undefined)?.image ?? '';
    const omitted = 'Omitted, Content-Type is set to ';
    let omittedContentType: string | null = null;
    if (text.startsWith(omitted)) {
      const end = text.indexOf('. Only ', omitted.length);
      omittedContentType = text.slice(omitted.length, end < 0 ? undefined : end);
    }
    return { kind: 'resp-body', text, omittedContentType };
  }

  keywordLine(ctx: Children): LineRecord {
    const tokens = orderedTokens(ctx);
    const kw = tokens[0]!;
    const rest = tokens.find((t) => t.tokenType.name === 'Rest')?.image ?? '';
    switch (kw.tokenType.name) {
      case 'Start': return { kind: 'start', argv: parseArgv(rest) };
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
        return { kind: 'clean-up', className: (colon >= 0 ? rest.slice(0, colon) : rest).trim(), error: colon >= 0 ? rest.slice(colon + 1).trim() : '' };
      }
      case 'RunLine': return { kind: 'run', text: rest };
      case 'AuthRequest': return { kind: 'auth-request', url: rest.trim() };
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
        return { kind: 'retry', reason: kw.tokenType.name === 'RetriableStatus' ? `status ${reason}` : reason,
          delaySeconds: Number.isNaN(delay) ? null : delay, retriesLeft: Number.isNaN(left) ? null : left,
          status: Number.isNaN(status) ? null : status };
      }
      case 'Redirecting': return { kind: 'redirect', text: rest };
      case 'RequestIdsLine': {
        const at = rest.indexOf('req-');
        const end = at < 0 ? -1 : rest.indexOf("'", at);
        if (at < 0) return { kind: 'osc', what: 'info', text: kw.image + rest };
        return { kind: 'client-error', message: '', status: null, requestId: rest.slice(at, end < 0 ? undefined : end) };
      }
      case 'TracebackStart':
      case 'TracebackChain': return { kind: 'traceback-start' };
      case 'TracebackFrame': return { kind: 'traceback-frame', text: kw.image.trimStart() + rest };
      case 'JsonLine': return { kind: 'json', text: kw.image + rest };
      case 'TableRow': return { kind: 'table-row', cells: splitRow(rest) };
      case 'OptionsLine': return { kind: 'osc', what: 'options', text: rest };
      case 'AuthPluginSelected': return { kind: 'osc', what: 'auth-plugin', text: rest };
      case 'UsingAuthPlugin': return { kind: 'osc', what: 'using-auth-plugin', text: rest };
      case 'UsingParameters': return { kind: 'osc', what: 'using-parameters', text: rest };
      case 'GetAuthRef': return { kind: 'osc', what: 'get-auth-ref', text: rest };
      default: return { kind: 'osc', what: 'info', text: kw.image + rest };
    }
  }

  singleLine(ctx: Children): LineRecord {
    const t = orderedTokens(ctx)[0]!;
    switch (t.tokenType.name) {
      case 'Urllib3Response': return { kind: 'urllib3', ...payload<Omit<Extract<LineRecord, { kind: 'urllib3' }>, 'kind'>>(t) };
      case 'RequestIdLine': return { kind: 'request-id', ...payload<RequestIdPayload>(t) };
      case 'ConnectionLine': return { kind: 'connection', ...payload<Omit<Extract<LineRecord, { kind: 'connection' }>, 'kind'>>(t) };
      case 'TimingCsvRow': return { kind: 'table-row', cells: payload<{ cells: string[] }>(t).cells };
      case 'ClientErrorLine': return { kind: 'client-error', ...payload<{ message: string; status: number | null; requestId: string }>(t) };
      default: return { kind: 'access', ...payload<Omit<Extract<LineRecord, { kind: 'access' }>, 'kind'>>(t) };
    }
  }

  tableBorderLine(): LineRecord {
    return { kind: 'table-border' };
  }

  indentedLine(ctx: Children): LineRecord {
    const text = (ctx.Rest?.[0] as IToken | undefined)?.image ?? '';
    return text ? { kind: 'indented', text } : { kind: 'blank' };
  }
}

/** Stacked prefixes (Zuul → journald → devstack) merge into one set of fields; inner ones win. */
function mergePrefixes(list: PrefixFields[]): PrefixFields | undefined {
  if (list.length === 0) return undefined;
  if (list.length === 1) return list[0];
  const merged: PrefixFields = { ...list[0]! };
  for (const p of list.slice(1)) {
    for (const [k, v] of Object.entries(p)) {
      // The outermost timestamp is the most precise one we have (journald/Zuul add it).
      if (k === 'timestamp' && merged.timestamp) continue;
      (merged as unknown as Record<string, unknown>)[k] = v;
    }
  }
  return merged;
}

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
