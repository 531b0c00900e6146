// The one lexer ostrace builds. Chevrotain analyses the definition once at
// construction; building it per line or per file would dominate the run time.
import { Lexer } from 'chevrotain';
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

/** Remove ANSI colour sequences (devstack writes them even with colour off) and a stray `[00m`. */
export function stripAnsi(text: string): string {
  if (!text.includes('\x1b') && !text.includes('[0')) return text;
  return text.replace(/\x1b\[[0-9;]*m|\[0[01](?:;3\d)?m/g, '');
}
