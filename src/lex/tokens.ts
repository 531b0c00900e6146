// Token definitions. One physical line is lexed at a time, starting in the `line`
// mode: any number of prefix tokens, then one token that names the line's kind.
// Kinds with inner structure push a mode of their own (`curl` for REQ lines, `resp`
// for RESP headers); kinds whose rest is opaque push `rest`, which takes the
// remainder as one token so that a 5 MB body costs one token, not millions.
import { createToken, Lexer, type CustomPatternMatcherReturn, type IToken, type TokenType } from 'chevrotain';
import {
  matchCacertOption,
  matchClientErrorLine,
  matchCommandErrorLine,
  matchUsageLine,
  matchServerFaultLine,
  matchCinderApiLine,
  matchConnectionLine,
  matchDataOption,
  matchDictRepr,
  matchHeaderOption,
  matchHeaderRun,
  matchRequestIdLine,
  matchUrlArgument,
  matchUrllib3Response,
  matchTimingCsvRow,
  matchUwsgiLine,
  matchWsgiAccessLine,
  matchWireDebugLine,
} from './matchers.js';
import {
  matchJournalPrefix,
  matchLevelColonLoggerPrefix,
  matchLevelLoggerPrefix,
  matchLoggerOnlyPrefix,
  matchModuleLinenoPrefix,
  LEVEL_START_CHARS,
  matchOsloPrefix,
  matchPyLoggingPrefix,
  matchZuulPrefix,
  matchPebblePrefix,
  matchApacheTimePrefix,
  onlyAfterPrefixes,
  matchBracketLoggerPrefix,
  matchApacheErrorPrefix,
  matchAsctimePrefix,
  prefixLogger,
  prefixTokenNames,
} from './prefixes.js';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
/**
 * Every first-character bucket chevrotain's optimizer knows (0–255 one by one, then one
 * code point per 255-wide bucket). Catch-all tokens declare it so that the lexer keeps
 * its first-char optimization, which a complement set like `[^\n]` would otherwise disable.
 */
const ANY_CHAR: number[] = [];
for (let c = 0; c < 256; c++) if (c !== 10) ANY_CHAR.push(c);
for (let c = 256; c < 65536; c += 255) ANY_CHAR.push(c);
ANY_CHAR.push(65535);
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
const LOWER = 'abcdefghijklmnopqrstuvwxyz'.split('');

// ---- prefixes -------------------------------------------------------------------
export const ZuulPrefix = createToken({
  name: 'ZuulPrefix',
  pattern: matchZuulPrefix,
  line_breaks: false,
  start_chars_hint: DIGITS,
});
/** Pebble's log: `2025-05-14T04:27:20.100Z [nova-conductor] …`. */
export const PebblePrefix = createToken({
  name: 'PebblePrefix',
  pattern: matchPebblePrefix,
  line_breaks: false,
  start_chars_hint: DIGITS,
});
/** Apache's `%{cu}t` time before a service's dated line: `2016-11-09 11:49:44.485447 2016-11-09 …`. */
export const ApacheTimePrefix = createToken({
  name: 'ApacheTimePrefix',
  pattern: matchApacheTimePrefix,
  line_breaks: false,
  start_chars_hint: DIGITS,
});
export const OsloPrefix = createToken({
  name: 'OsloPrefix',
  pattern: matchOsloPrefix,
  line_breaks: false,
  start_chars_hint: DIGITS,
});
export const JournalPrefix = createToken({
  name: 'JournalPrefix',
  pattern: matchJournalPrefix,
  line_breaks: false,
  start_chars_hint: ['J', 'F', 'M', 'A', 'S', 'O', 'N', 'D', ...DIGITS],
});
export const PyLoggingPrefix = createToken({
  name: 'PyLoggingPrefix',
  pattern: matchPyLoggingPrefix,
  line_breaks: false,
  start_chars_hint: LEVEL_START_CHARS,
});
export const ModuleLinenoPrefix = createToken({
  name: 'ModuleLinenoPrefix',
  pattern: matchModuleLinenoPrefix,
  line_breaks: false,
  start_chars_hint: LEVEL_START_CHARS,
});
export const LevelColonLoggerPrefix = createToken({
  name: 'LevelColonLoggerPrefix',
  pattern: matchLevelColonLoggerPrefix,
  line_breaks: false,
  start_chars_hint: LEVEL_START_CHARS,
});
export const LevelLoggerPrefix = createToken({
  name: 'LevelLoggerPrefix',
  pattern: matchLevelLoggerPrefix,
  line_breaks: false,
  start_chars_hint: LEVEL_START_CHARS,
});
export const LoggerOnlyPrefix = createToken({
  name: 'LoggerOnlyPrefix',
  pattern: matchLoggerOnlyPrefix,
  line_breaks: false,
  start_chars_hint: LOWER,
});
/** `%(asctime)s %(name)s  %(message)s`: the time, then a LoggerOnlyPrefix (keystoneauth's docs). */
export const AsctimePrefix = createToken({
  name: 'AsctimePrefix',
  pattern: matchAsctimePrefix,
  line_breaks: false,
  start_chars_hint: DIGITS,
});
/** 2013 services: `2013-08-08 00:08:05     INFO [cinder.api.openstack.wsgi] …`. */
export const BracketLoggerPrefix = createToken({
  name: 'BracketLoggerPrefix',
  pattern: matchBracketLoggerPrefix,
  line_breaks: false,
  start_chars_hint: DIGITS,
});
/** Apache's error log (Horizon under mod_wsgi): `[Tue Mar 05 10:11:12 2013] [error] …`. */
export const ApacheErrorPrefix = createToken({
  name: 'ApacheErrorPrefix',
  pattern: matchApacheErrorPrefix,
  line_breaks: false,
  start_chars_hint: ['['],
});
const prefixTokens = [
  ZuulPrefix,
  PebblePrefix,
  ApacheTimePrefix,
  OsloPrefix,
  JournalPrefix,
  PyLoggingPrefix,
  ModuleLinenoPrefix,
  LevelColonLoggerPrefix,
  LevelLoggerPrefix,
  LoggerOnlyPrefix,
  BracketLoggerPrefix,
  ApacheErrorPrefix,
  AsctimePrefix,
];
for (const t of prefixTokens) prefixTokenNames.add(t.name);

// ---- keystoneauth split loggers (no REQ:/RESP:/RESP BODY: keyword; the logger says it) ----
const splitStatusPattern = /\[\d{3}\]/y;
/** `… keystoneauth.session.request … curl -g -i …`: a REQ line without its keyword. */
export const SplitReq = createToken({
  name: 'SplitReq',
  line_breaks: false,
  start_chars_hint: ['c'],
  push_mode: 'curl',
  pattern: (text: string, offset: number, tokens: IToken[]) => {
    if (!text.startsWith('curl ', offset) || !prefixLogger(tokens)?.endsWith('.request')) return null;
    return [text.slice(offset, offset + 4)] as CustomPatternMatcherReturn;
  },
});
/** `… keystoneauth.session.response … [200] Name: value …`: a RESP line without `RESP:`. */
export const SplitRespStatus = createToken({
  name: 'SplitRespStatus',
  line_breaks: false,
  start_chars_hint: ['['],
  push_mode: 'resp',
  pattern: (text: string, offset: number, tokens: IToken[]) => {
    if (!prefixLogger(tokens)?.endsWith('.response')) return null;
    splitStatusPattern.lastIndex = offset;
    return splitStatusPattern.exec(text);
  },
});
/** `… keystoneauth.session.body … <text>`: a RESP BODY line without its keyword. */
export const SplitBody = createToken({
  name: 'SplitBody',
  line_breaks: false,
  start_chars_hint: ANY_CHAR,
  pattern: (text: string, offset: number, tokens: IToken[]) => {
    if (offset >= text.length || !prefixLogger(tokens)?.endsWith('.body')) return null;
    return [text.slice(offset)] as CustomPatternMatcherReturn;
  },
});

// ---- line kinds with structure ----------------------------------------------------
export const Req = createToken({ name: 'Req', pattern: /REQ: (?:b')?/, push_mode: 'curl' });
export const RespBody = createToken({ name: 'RespBody', pattern: /RESP BODY: ?/, push_mode: 'rest' });
/** `RESP: ` (keystoneauth, later novaclient) or Essex novaclient's `RESP:{'status': '200', …} {body}`. */
export const Resp = createToken({ name: 'Resp', pattern: /RESP:(?: |(?=\{'))/, push_mode: 'resp' });
export const Urllib3Response = createToken({
  name: 'Urllib3Response',
  pattern: matchUrllib3Response,
  line_breaks: false,
  start_chars_hint: ['h', '"'],
});
/** python http.client's wire dump: `send: b'GET … HTTP/1.1\r\n…'`, `reply: 'HTTP/1.1 200 OK\r\n'`, `header: …`. */
export const WireDebugLine = createToken({
  name: 'WireDebugLine',
  pattern: matchWireDebugLine,
  line_breaks: false,
  start_chars_hint: ['s', 'r', 'h'],
});
export const RequestIdLine = createToken({
  name: 'RequestIdLine',
  pattern: matchRequestIdLine,
  line_breaks: false,
  start_chars_hint: UPPER,
});
export const ConnectionLine = createToken({
  name: 'ConnectionLine',
  pattern: matchConnectionLine,
  line_breaks: false,
  start_chars_hint: ['S', 'R'],
});
export const WsgiAccessLine = createToken({
  name: 'WsgiAccessLine',
  pattern: matchWsgiAccessLine,
  line_breaks: false,
  start_chars_hint: [...DIGITS, ...LOWER, ':', '-', '['],
});
export const UwsgiLine = createToken({
  name: 'UwsgiLine',
  pattern: matchUwsgiLine,
  line_breaks: false,
  start_chars_hint: ['['],
});
export const CinderApiLine = createToken({
  name: 'CinderApiLine',
  pattern: matchCinderApiLine,
  line_breaks: false,
  start_chars_hint: [...UPPER, 'h'],
});
export const TimingCsvRow = createToken({
  name: 'TimingCsvRow',
  pattern: matchTimingCsvRow,
  line_breaks: false,
  start_chars_hint: ['"'],
});
export const ClientErrorLine = createToken({
  name: 'ClientErrorLine',
  // A command's error line without a request id is the CLI's own output: a service logger's message stays a message.
  pattern: (text: string, offset: number, tokens: IToken[]) =>
    matchClientErrorLine(text, offset) ??
    (prefixLogger(tokens) === null && onlyAfterPrefixes(tokens) ? matchCommandErrorLine(text, offset) : null),
  line_breaks: false,
  // '<': a 500's message ends in the exception's class (`<class 'nova.exception.NovaException'> (HTTP 500) (Request-ID: …)`).
  start_chars_hint: [...UPPER, ...LOWER, '<'],
});
export const UsageLine = createToken({
  name: 'UsageLine',
  pattern: matchUsageLine,
  line_breaks: false,
  start_chars_hint: ['u'],
});
export const ServerFaultLine = createToken({
  name: 'ServerFaultLine',
  pattern: matchServerFaultLine,
  line_breaks: false,
  start_chars_hint: ['{'],
});

// ---- line kinds whose rest is one token (osc-lib / cliff / keystoneauth) --------
function keyword(name: string, pattern: RegExp): TokenType {
  return createToken({ name, pattern, push_mode: 'rest' });
}
export const Start = keyword('Start', /START with options: ?/);
export const End = keyword('End', /END return value: ?/);
export const CommandLine = keyword('CommandLine', /command: /);
export const OptionsLine = keyword('OptionsLine', /options: /);
export const AuthPluginSelected = keyword('AuthPluginSelected', /Auth plugin /);
export const UsingAuthPlugin = keyword('UsingAuthPlugin', /Using auth plugin: ?/);
export const UsingParameters = keyword('UsingParameters', /Using parameters /);
export const GetAuthRef = keyword('GetAuthRef', /Get auth_ref/);
export const RunLine = keyword('RunLine', /run\(/);
export const CleanUp = keyword('CleanUp', /clean_up /);
export const AuthRequest = keyword('AuthRequest', /Making authentication request to /);
export const FailureStatus = keyword('FailureStatus', /Request returned failure status: ?/);
export const RetryFailure = keyword('RetryFailure', /Failure: /);
export const RetriableStatus = keyword('RetriableStatus', /Retriable status code /);
export const Redirecting = keyword('Redirecting', /Redirecting /);
/** neutronclient's error epilogue: `Neutron server returns request_ids: ['req-…']`. */
export const RequestIdsLine = keyword('RequestIdsLine', /Neutron server returns request_ids: /);
export const TracebackStart = keyword('TracebackStart', /Traceback \(most recent call last\):/);
/** Python 3's chained-exception separators: the traceback goes on with the next exception. */
export const TracebackChain = keyword(
  'TracebackChain',
  /During handling of the above exception, another exception occurred:|The above exception was the direct cause of the following exception:/,
);
export const TracebackFrame = keyword('TracebackFrame', /\s+File "/);
/** osc-lib set-up chatter that carries no exchange data but is known, not unrecognized. */
export const OscInfo = keyword(
  'OscInfo',
  /auth_config_hook\(\): |defaults: |cloud cfg: |Instantiating |[a-z_]+ API version [^,]*, cmd group |[A-Za-z]+ client initialized using OpenStack SDK|compute API version |boot_args: |boot_kwargs: |search options: |Resource .* not found|Discovering versions from the identity service|Loading |Deferring |(?:No )?[Nn]etwork endpoint in service catalog|No service catalog, assuming |Failed to discover available identity versions when contacting /,
);
export const JsonLine = createToken({ name: 'JsonLine', pattern: /[{[](?=["{[\]}])/, push_mode: 'rest' });
export const TableBorder = createToken({ name: 'TableBorder', pattern: /\+-[-+]*\+/ });
export const TableRow = keyword('TableRow', /\| /);
export const Blank = createToken({ name: 'Blank', pattern: /[ \t]+/, push_mode: 'rest' });
/** Anything else: the message is free text (service logs) or not understood (console). */
export const Text = createToken({ name: 'Text', pattern: /[^\n]+/, start_chars_hint: ANY_CHAR });

// ---- `rest` mode -------------------------------------------------------------------
export const Rest = createToken({ name: 'Rest', pattern: /[^\n]+/, start_chars_hint: ANY_CHAR });

// ---- `curl` mode -------------------------------------------------------------------
export const Ws = createToken({ name: 'Ws', pattern: /[ \t]+/, group: Lexer.SKIPPED });
export const Curl = createToken({ name: 'Curl', pattern: /curl/ });
export const ShortFlag = createToken({ name: 'ShortFlag', pattern: /-[gik](?![A-Za-z])/ });
export const Insecure = createToken({ name: 'Insecure', pattern: /--insecure/ });
export const Cacert = createToken({
  name: 'Cacert',
  pattern: matchCacertOption,
  line_breaks: false,
  start_chars_hint: ['-'],
});
export const MethodOption = createToken({ name: 'MethodOption', pattern: /-X ?[A-Z]+/ });
export const HeaderOption = createToken({
  name: 'HeaderOption',
  pattern: matchHeaderOption,
  line_breaks: false,
  start_chars_hint: ['-'],
});
export const DataOption = createToken({
  name: 'DataOption',
  pattern: matchDataOption,
  line_breaks: false,
  start_chars_hint: ['-'],
});
export const UrlArgument = createToken({
  name: 'UrlArgument',
  pattern: matchUrlArgument,
  line_breaks: false,
  start_chars_hint: ['h', '"', "'"],
});
export const CurlWord = createToken({ name: 'CurlWord', pattern: /[^ \t\n]+/, start_chars_hint: ANY_CHAR });

// ---- `resp` mode -------------------------------------------------------------------
/** `[404]` (keystoneauth) or a bare `404` (neutronclient), only right after `RESP:`. */
const statusPattern = /\[\d{3}\]|\d{3}(?= |$)/y;
export const Status = createToken({
  name: 'Status',
  line_breaks: false,
  start_chars_hint: ['[', ...DIGITS],
  pattern: (text: string, offset: number, tokens: IToken[]) => {
    if (tokens[tokens.length - 1]?.tokenType.name !== 'Resp') return null;
    statusPattern.lastIndex = offset;
    return statusPattern.exec(text);
  },
});
export const DictRepr = createToken({
  name: 'DictRepr',
  pattern: matchDictRepr,
  line_breaks: false,
  start_chars_hint: ['{', 'C'],
  push_mode: 'rest',
});
/**
 * The headers `Name: value Name: value …` as one token (a RESP line has dozens of words;
 * a token per word made it the most expensive line to lex and parse).
 */
export const HeaderRun = createToken({
  name: 'HeaderRun',
  pattern: matchHeaderRun,
  line_breaks: false,
  start_chars_hint: ANY_CHAR,
});

export const prefixTokenTypes = prefixTokens;
export const lexerDefinition = {
  defaultMode: 'line',
  modes: {
    line: [
      ...prefixTokens,
      SplitReq,
      SplitRespStatus,
      SplitBody,
      Req,
      RespBody,
      Resp,
      Urllib3Response,
      WireDebugLine,
      TimingCsvRow,
      RequestIdLine,
      ConnectionLine,
      AuthRequest,
      Start,
      End,
      CommandLine,
      OptionsLine,
      AuthPluginSelected,
      UsingAuthPlugin,
      UsingParameters,
      GetAuthRef,
      RunLine,
      CleanUp,
      FailureStatus,
      RetryFailure,
      RetriableStatus,
      Redirecting,
      RequestIdsLine,
      TracebackStart,
      TracebackChain,
      TracebackFrame,
      OscInfo,
      UwsgiLine,
      WsgiAccessLine,
      CinderApiLine,
      JsonLine,
      TableBorder,
      TableRow,
      ClientErrorLine,
      UsageLine,
      ServerFaultLine,
      Blank,
      Text,
    ],
    rest: [Rest],
    curl: [Ws, Curl, Insecure, Cacert, MethodOption, HeaderOption, DataOption, ShortFlag, UrlArgument, CurlWord],
    resp: [Ws, Status, DictRepr, HeaderRun],
  },
};

export const allTokens: TokenType[] = [...new Set(Object.values(lexerDefinition.modes).flat())];
