// The grammar of one log line, kept pure: rules only, no semantics. The CST
// visitor in to-record.ts turns a parse into a LineRecord.
import { CstParser } from 'chevrotain';
import * as T from '../lex/tokens.js';

export const KEYWORDS = [
  T.Start,
  T.End,
  T.CommandLine,
  T.OptionsLine,
  T.AuthPluginSelected,
  T.UsingAuthPlugin,
  T.UsingParameters,
  T.GetAuthRef,
  T.RunLine,
  T.CleanUp,
  T.AuthRequest,
  T.FailureStatus,
  T.RetryFailure,
  T.RetriableStatus,
  T.Redirecting,
  T.RequestIdsLine,
  T.TracebackStart,
  T.TracebackChain,
  T.TracebackFrame,
  T.OscInfo,
  T.JsonLine,
  T.TableRow,
];
export const SINGLES = [
  T.Urllib3Response,
  T.TimingCsvRow,
  T.RequestIdLine,
  T.ConnectionLine,
  T.UwsgiLine,
  T.WsgiAccessLine,
  T.CinderApiLine,
  T.ClientErrorLine,
  T.UsageLine,
  T.ServerFaultLine,
  T.WireDebugLine,
];

export class LineParser extends CstParser {
  /** `validate`: run chevrotain's grammar checks (a test does; every run would pay ~20 ms for them). */
  constructor(validate = false) {
    super(T.allTokens, { recoveryEnabled: false, maxLookahead: 1, skipValidations: !validate });
    this.performSelfAnalysis();
  }

  public line = this.RULE('line', () => {
    this.MANY(() => this.SUBRULE(this.prefix));
    this.OPTION(() => this.SUBRULE(this.message));
  });

  private prefix = this.RULE('prefix', () => {
    this.OR(T.prefixTokenTypes.map((t) => ({ ALT: () => this.CONSUME(t) })));
  });

  private message = this.RULE('message', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.reqLine) },
      { ALT: () => this.SUBRULE(this.respLine) },
      { ALT: () => this.SUBRULE(this.respBodyLine) },
      { ALT: () => this.SUBRULE(this.keywordLine) },
      { ALT: () => this.SUBRULE(this.singleLine) },
      { ALT: () => this.SUBRULE(this.tableBorderLine) },
      { ALT: () => this.SUBRULE(this.indentedLine) },
      { ALT: () => this.CONSUME(T.Text) },
    ]);
  });

  private reqLine = this.RULE('reqLine', () => {
    this.OR1([{ ALT: () => this.CONSUME(T.Req) }, { ALT: () => this.CONSUME(T.SplitReq) }]);
    this.MANY(() =>
      this.OR([
        { ALT: () => this.CONSUME(T.Curl) },
        { ALT: () => this.CONSUME(T.ShortFlag) },
        { ALT: () => this.CONSUME(T.Insecure) },
        { ALT: () => this.CONSUME(T.Cacert) },
        { ALT: () => this.CONSUME(T.MethodOption) },
        { ALT: () => this.CONSUME(T.HeaderOption) },
        { ALT: () => this.CONSUME(T.DataOption) },
        { ALT: () => this.CONSUME(T.UrlArgument) },
        { ALT: () => this.CONSUME(T.CurlWord) },
      ]),
    );
  });

  private respLine = this.RULE('respLine', () => {
    this.OR1([
      {
        ALT: () => {
          this.CONSUME(T.Resp);
          this.OPTION(() => this.CONSUME(T.Status));
        },
      },
      { ALT: () => this.CONSUME(T.SplitRespStatus) },
    ]);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.DictRepr);
          this.OPTION2(() => this.CONSUME(T.Rest));
        },
      },
      { ALT: () => this.OPTION3(() => this.CONSUME(T.HeaderRun)) },
    ]);
  });

  private respBodyLine = this.RULE('respBodyLine', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.RespBody);
          this.OPTION(() => this.CONSUME(T.Rest));
        },
      },
      { ALT: () => this.CONSUME(T.SplitBody) },
    ]);
  });

  private keywordLine = this.RULE('keywordLine', () => {
    this.OR(KEYWORDS.map((t) => ({ ALT: () => this.CONSUME(t) })));
    this.OPTION(() => this.CONSUME(T.Rest));
  });

  private singleLine = this.RULE('singleLine', () => {
    this.OR(SINGLES.map((t) => ({ ALT: () => this.CONSUME(t) })));
  });

  private tableBorderLine = this.RULE('tableBorderLine', () => {
    this.CONSUME(T.TableBorder);
    this.OPTION(() => this.CONSUME(T.Text));
  });

  private indentedLine = this.RULE('indentedLine', () => {
    this.CONSUME(T.Blank);
    this.OPTION(() => this.CONSUME(T.Rest));
  });
}

let parser: LineParser | undefined;

/** The shared parser (chevrotain parsers are reused by resetting `input`). */
export function getParser(): LineParser {
  parser ??= new LineParser();
  return parser;
}
