// Token definitions. One physical line is lexed at a time, starting in the `line`
// mode: any number of prefix tokens, then one token that names the line's kind.
// Kinds with inner structure push a mode of their own (`curl` for REQ lines, `resp`
// for RESP headers); kinds whose rest is opaque push `rest`, which takes the
// remainder as one token so that a 5 MB body costs one token, not millions.
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';
import {
  matchCacertOption, matchClientErrorLine, matchCinderApiLine, matchConnectionLine, matchDataOption,
  matchDictRepr, matchHeaderOption, matchRequestIdLine, matchUrlArgument, matchUrllib3Response,
  matchUwsgiLine, matchWsgiAccessLine,
} from './matchers.js';
import {
  matchJournalPrefix, matchLevelLoggerPrefix, matchLoggerOnlyPrefix, matchModuleLinenoPrefix,
  matchOsloPrefix, matchPyLoggingPrefix, matchZuulPrefix, prefixTokenNames,
} from './prefixes.js';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
const LOWER = 'abcdefghijklmnopqrstuvwxyz'.split('');

// ---- prefixes -------------------------------------------------------------------
export const ZuulPrefix = createToken({ name: 'ZuulPrefix', pattern: matchZuulPrefix, line_breaks: false, start_chars_hint: DIGITS });
export const OsloPrefix = createToken({ name: 'OsloPrefix', pattern: matchOsloPrefix, line_breaks: false, start_chars_hint: DIGITS });
export const JournalPrefix = createToken({ name: 'JournalPrefix', pattern: matchJournalPrefix, line_breaks: false, start_chars_hint: ['J', 'F', 'M', 'A', 'S', 'O', 'N', 'D'] });
export const PyLoggingPrefix = createToken({ name: 'PyLoggingPrefix', pattern: matchPyLoggingPrefix, line_breaks: false, start_chars_hint: UPPER });
export const ModuleLinenoPrefix = createToken({ name: 'ModuleLinenoPrefix', pattern: matchModuleLinenoPrefix, line_breaks: false, start_chars_hint: UPPER });
export const LevelLoggerPrefix = createToken({ name: 'LevelLoggerPrefix', pattern: matchLevelLoggerPrefix, line_breaks: false, start_chars_hint: UPPER });
export const LoggerOnlyPrefix = createToken({ name: 'LoggerOnlyPrefix', pattern: matchLoggerOnlyPrefix, line_breaks: false, start_chars_hint: LOWER });
const prefixTokens = [ZuulPrefix, OsloPrefix, JournalPrefix, PyLoggingPrefix, ModuleLinenoPrefix, LevelLoggerPrefix, LoggerOnlyPrefix];
for (const t of prefixTokens) prefixTokenNames.add(t.name);

// ---- line kinds with structure ----------------------------------------------------
export const Req = createToken({ name: 'Req', pattern: /REQ: (?:b')?/, push_mode: 'curl' });
export const RespBody = createToken({ name: 'RespBody', pattern: /RESP BODY: ?/, push_mode: 'rest' });
export const Resp = createToken({ name: 'Resp', pattern: /RESP: /, push_mode: 'resp' });
export const Urllib3Response = createToken({ name: 'Urllib3Response', pattern: matchUrllib3Response, line_breaks: false, start_chars_hint: ['h', '"'] });
export const RequestIdLine = createToken({ name: 'RequestIdLine', pattern: matchRequestIdLine, line_breaks: false, start_chars_hint: UPPER });
export const ConnectionLine = createToken({ name: 'ConnectionLine', pattern: matchConnectionLine, line_breaks: false, start_chars_hint: ['S', 'R'] });
export const WsgiAccessLine = createToken({ name: 'WsgiAccessLine', pattern: matchWsgiAccessLine, line_breaks: false, start_chars_hint: [...DIGITS, ...LOWER, ':', '-', '['] });
export const UwsgiLine = createToken({ name: 'UwsgiLine', pattern: matchUwsgiLine, line_breaks: false, start_chars_hint: ['['] });
export const CinderApiLine = createToken({ name: 'CinderApiLine', pattern: matchCinderApiLine, line_breaks: false, start_chars_hint: [...UPPER, 'h'] });
export const ClientErrorLine = createToken({ name: 'ClientErrorLine', pattern: matchClientErrorLine, line_breaks: false, start_chars_hint: [...UPPER, ...LOWER] });

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
export const TracebackStart = keyword('TracebackStart', /Traceback \(most recent call last\):/);
export const TracebackFrame = keyword('TracebackFrame', /\s+File "/);
/** osc-lib set-up chatter that carries no exchange data but is known, not unrecognized. */
export const OscInfo = keyword('OscInfo', /auth_config_hook\(\): |defaults: |cloud cfg: |Instantiating |[a-z_]+ API version [^,]*, cmd group |[A-Za-z]+ client initialized using OpenStack SDK|compute API version |boot_args: |boot_kwargs: |Resource .* not found|Discovering versions from the identity service|Loading |Deferring /);
export const JsonLine = createToken({ name: 'JsonLine', pattern: /[{[](?=["{\[\]}])/, push_mode: 'rest' });
export const TableBorder = createToken({ name: 'TableBorder', pattern: /\+-[-+]*\+/ });
export const TableRow = keyword('TableRow', /\| /);
export const Blank = createToken({ name: 'Blank', pattern: /[ \t]+/, push_mode: 'rest' });
/** Anything else: the message is free text (service logs) or not understood (console). */
export const Text = createToken({ name: 'Text', pattern: /[^\n]+/ });

// ---- `rest` mode -------------------------------------------------------------------
export const Rest = createToken({ name: 'Rest', pattern: /[^\n]+/ });

// ---- `curl` mode -------------------------------------------------------------------
export const Ws = createToken({ name: 'Ws', pattern: /[ \t]+/, group: Lexer.SKIPPED });
export const Curl = createToken({ name: 'Curl', pattern: /curl/ });
export const ShortFlag = createToken({ name: 'ShortFlag', pattern: /-[gik](?![A-Za-z])/ });
export const Insecure = createToken({ name: 'Insecure', pattern: /--insecure/ });
export const Cacert = createToken({ name: 'Cacert', pattern: matchCacertOption, line_breaks: false, start_chars_hint: ['-'] });
export const MethodOption = createToken({ name: 'MethodOption', pattern: /-X ?[A-Z]+/ });
export const HeaderOption = createToken({ name: 'HeaderOption', pattern: matchHeaderOption, line_breaks: false, start_chars_hint: ['-'] });
export const DataOption = createToken({ name: 'DataOption', pattern: matchDataOption, line_breaks: false, start_chars_hint: ['-'] });
export const UrlArgument = createToken({ name: 'UrlArgument', pattern: matchUrlArgument, line_breaks: false, start_chars_hint: ['h', '"', "'"] });
export const CurlWord = createToken({ name: 'CurlWord', pattern: /[^ \t\n]+/ });

// ---- `resp` mode -------------------------------------------------------------------
/** `[404]` (keystoneauth) or a bare `404` (neutronclient), only right after `RESP:`. */
const statusPattern = /\[\d{3}\]|\d{3}(?= |$)/y;
export const Status = createToken({
  name: 'Status', line_breaks: false, start_chars_hint: ['[', ...DIGITS],
  pattern: (text: string, offset: number, tokens: IToken[]) => {
    if (tokens[tokens.length - 1]?.tokenType.name !== 'Resp') return null;
    statusPattern.lastIndex = offset;
    return statusPattern.exec(text);
  },
});
export const DictRepr = createToken({ name: 'DictRepr', pattern: matchDictRepr, line_breaks: false, start_chars_hint: ['{', 'C'], push_mode: 'rest' });
export const HeaderName = createToken({ name: 'HeaderName', pattern: /[A-Za-z][A-Za-z0-9_-]*:(?= |$)/ });
export const Word = createToken({ name: 'Word', pattern: /[^ \t\n]+/ });

export const prefixTokenTypes = prefixTokens;
export const lexerDefinition = {
  defaultMode: 'line',
  modes: {
    line: [
      ...prefixTokens,
      Req, RespBody, Resp, Urllib3Response, RequestIdLine, ConnectionLine, AuthRequest,
      Start, End, CommandLine, OptionsLine, AuthPluginSelected, UsingAuthPlugin, UsingParameters, GetAuthRef,
      RunLine, CleanUp, FailureStatus, RetryFailure, RetriableStatus, Redirecting, TracebackStart, TracebackFrame,
      OscInfo, UwsgiLine, WsgiAccessLine, CinderApiLine, JsonLine, TableBorder, TableRow, ClientErrorLine, Blank, Text,
    ],
    rest: [Rest],
    curl: [Ws, Curl, Insecure, Cacert, MethodOption, HeaderOption, DataOption, ShortFlag, UrlArgument, CurlWord],
    resp: [Ws, Status, DictRepr, HeaderName, Word],
  },
};

export const allTokens: TokenType[] = [...new Set(Object.values(lexerDefinition.modes).flat())];
