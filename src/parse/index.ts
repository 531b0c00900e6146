// The façade of lex + parse: one line in, one record out. It never throws on
// input; a line the grammar cannot take becomes an `unrecognized` record.
import { getLexer, stripAnsi } from '../lex/lexer.js';
import type { LineRecord } from '../records/types.js';
import { getParser } from './parser.js';
import { getVisitor } from './to-record.js';

export function parseLine(raw: string): LineRecord {
  const text = stripAnsi(raw);
  if (text.length === 0) return { kind: 'blank' };
  const lexed = getLexer().tokenize(text);
  if (lexed.errors.length > 0) return { kind: 'unrecognized', text };
  const parser = getParser();
  parser.input = lexed.tokens;
  const cst = parser.line();
  if (parser.errors.length > 0) return { kind: 'unrecognized', text };
  return getVisitor().visit(cst) as LineRecord;
}
