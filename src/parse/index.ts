// The façade of lex + parse. It never throws on input; text the grammar cannot take
// becomes an `unrecognized` record.
//   parseRecords(physical line) → every record the line holds (pre-lex splitter, physical.ts)
//   parseLine(text)             → exactly one record for one logical line
import { stripAnsi, tokenizeLine } from '../lex/lexer.js';
import { opensWithTimestamp } from '../lex/prefixes.js';
import { kindsWith, type LineRecord } from '../core/records.js';
import { getParser } from './parser.js';
import { prepareLine } from './physical.js';
import { getVisitor, recordFromTokens } from './to-record.js';
import { xtraceClientCommand } from '../core/xtrace.js';

/** A record with the text it was read from (its own part of a flattened line, markup removed). */
export interface ParsedPiece {
  record: LineRecord;
  text: string;
}

/** All records of one physical line with their texts: usually one; several when a log was flattened onto it. */
export function parsePieces(raw: string): ParsedPiece[] {
  return prepareLine(raw).map((piece): ParsedPiece => {
    if (piece.kind === 'markup') return { record: { kind: 'markup', text: piece.text }, text: piece.text };
    if (piece.kind === 'shell') return { record: { kind: 'shell', text: piece.text }, text: piece.text };
    return { record: parseText(piece.text), text: piece.text };
  });
}

/** All records of one physical line: usually one; several when a log was flattened onto it. */
export function parseRecords(raw: string): LineRecord[] {
  return parsePieces(raw).map((p) => p.record);
}

/** One line as one record (no flattened-log splitting); paste markup is removed first. */
export function parseLine(raw: string): LineRecord {
  const pieces = prepareLine(raw);
  if (pieces.length === 1 && pieces[0]!.kind !== 'text') return parseRecords(raw)[0]!;
  let text = stripAnsi(raw);
  while (text.endsWith('\r')) text = text.slice(0, -1);
  return parseText(pieces.length === 1 ? pieces[0]!.text : text);
}

/** Kinds that begin a record of their own: an indented line of one of these is pasted, not a continuation. */
const RECORD_KINDS = kindsWith('opens');

function parseText(text: string): LineRecord {
  // devstack's debug suffix `{{(pid=…) func /path:line}}` trails every DEBUG line; a client
  // record under it (nova's cinderclient calls) is read without it. Service messages keep it.
  const suffix = Math.max(debugSuffixStart(text), osloDebugSuffixStart(text));
  if (suffix > 0) {
    const inner = parseText(text.slice(0, suffix));
    if (RECORD_KINDS.has(inner.kind)) return inner;
  }
  const record = lex(text);
  // A traced client run (stack.sh's xtrace), alone or under a CI console's bare time prefix.
  if ((record.kind === 'unrecognized' || record.kind === 'message') && isBare(record.prefix)) {
    const traced = xtraceClientCommand(record.text);
    if (traced !== null) return { kind: 'shell', text: traced, ...(record.prefix ? { prefix: record.prefix } : {}) };
  }
  // A markdown code block indents every line; take the record when the line is one.
  if (record.kind === 'indented') {
    const dedented = lex(text.trimStart());
    // A client's error line (`… (HTTP 409) (Request-ID: req-…)`) is one too: nothing continues into it.
    if (
      RECORD_KINDS.has(dedented.kind) ||
      dedented.kind === 'client-error' ||
      (dedented.prefix !== undefined && dedented.kind !== 'unrecognized')
    )
      return dedented;
    // Another program's dated line, indented with the rest of a quote (a bug report's
    // description): a line of its own, unrecognized, not text that continues a record.
    if (dedented.kind === 'unrecognized' && opensWithTimestamp(dedented.text)) return dedented;
  }
  return record;
}

/** No prefix, or one that only carries a line (a Zuul console's, a journal's: no level nor logger). */
function isBare(p: LineRecord['prefix']): boolean {
  return (
    p === undefined ||
    ((p.style === 'zuul' || p.style === 'journal') && p.logger === undefined && p.level === undefined)
  );
}

/** Where a trailing ` {{…}}` devstack debug suffix starts, or -1. */
function debugSuffixStart(text: string): number {
  const end = text.trimEnd();
  if (!end.endsWith('}}')) return -1;
  const open = end.lastIndexOf(' {{');
  return open > 0 && !end.slice(open + 3, -2).includes('}}') ? open : -1;
}

/**
 * Where oslo.log's default debug suffix ` funcName /path/file.py:line` starts, or -1: without
 * devstack's braces (packaged services, e.g. Debian's) it would end a RESP line's last header value.
 */
function osloDebugSuffixStart(text: string): number {
  const end = text.trimEnd();
  const last = end.charCodeAt(end.length - 1);
  if (!(last >= 48 && last <= 57)) return -1;
  const path = end.lastIndexOf(' /');
  if (path < 1 || !OSLO_DEBUG_PATH.test(end.slice(path + 1))) return -1;
  const func = end.lastIndexOf(' ', path - 1);
  return func > 0 && OSLO_FUNC_NAME.test(end.slice(func + 1, path)) ? func : -1;
}

const OSLO_DEBUG_PATH = /^\/\S+\.py:\d+$/;
const OSLO_FUNC_NAME = /^[A-Za-z_<][\w<>.]*$/;

function lex(text: string): LineRecord {
  if (text.length === 0) return { kind: 'blank' };
  const lexed = tokenizeLine(text);
  if (lexed.errors.length > 0) return { kind: 'unrecognized', text };
  const record = recordFromTokens(lexed.tokens);
  if (record) return record;
  const parser = getParser();
  parser.input = lexed.tokens;
  const cst = parser.line();
  if (parser.errors.length > 0) return { kind: 'unrecognized', text };
  return getVisitor().visit(cst) as LineRecord;
}
