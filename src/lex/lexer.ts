// The one lexer ostrace builds. Chevrotain analyses the definition once at
// construction; building it per line or per file would dominate the run time.
import { Lexer, type ILexingResult } from 'chevrotain';
import { lexerDefinition } from './tokens.js';

let instance: Lexer | undefined;

/** The shared lexer. Tests pass `validate` to run chevrotain's definition checks. */
export function getLexer(options: { validate?: boolean } = {}): Lexer {
  if (options.validate) {
    return new Lexer(lexerDefinition, { positionTracking: 'onlyOffset', ensureOptimizations: true });
  }
  instance ??= new Lexer(lexerDefinition, { positionTracking: 'onlyOffset', skipValidations: true });
  return instance;
}

/** What chevrotain's Lexer has behind `tokenize()` (chevrotain 11). */
interface LexerInternals {
  lexerDefinitionErrors?: unknown[];
  defaultMode?: string;
  tokenizeInternal?: (text: string, initialMode: string) => ILexingResult;
}

let direct: ((text: string) => ILexingResult) | undefined;

/**
 * One line's tokens from the shared lexer. chevrotain's `tokenize()` checks the definition's
 * errors (lodash `isEmpty`) on every call, a fifth of its time on a short line: they are
 * checked once here, and each line goes straight to the tokenizer behind it. A chevrotain
 * without that tokenizer (another version) is called the ordinary way.
 */
export function tokenizeLine(text: string): ILexingResult {
  direct ??= directTokenizer(getLexer());
  return direct(text);
}

function directTokenizer(lexer: Lexer): (text: string) => ILexingResult {
  const inner = lexer as unknown as LexerInternals;
  const { tokenizeInternal, defaultMode } = inner;
  if (
    typeof tokenizeInternal !== 'function' ||
    typeof defaultMode !== 'string' ||
    inner.lexerDefinitionErrors?.length !== 0
  )
    return (text) => lexer.tokenize(text);
  return (text) => tokenizeInternal.call(lexer, text, defaultMode);
}

/**
 * Remove ANSI colour sequences (devstack writes them even with colour off) and a stray `[00m`, and
 * the character-set designation `ESC ( B` that `tput sgr0` writes before its `ESC [ m` (devstack's
 * PS4 greys the traced source with tput since 2023: `+\x1b[38;5;242mfile:function:line\x1b(B\x1b[m cmd`).
 */
export function stripAnsi(text: string): string {
  if (!text.includes('\x1b') && !text.includes('[0')) return text;
  return text.replace(/\x1b\[[0-9;]*m|\x1b[()][0-2AB]|\[0[01](?:;3\d)?m/g, '');
}
