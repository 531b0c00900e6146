// `--format json`: the RunResult, as described by its zod schema (`ostrace schema`).
// Written in chunks, one array element per line, so a large run is never turned
// into one giant string and the output stays friendly to grep and jq.
import type { RunResult } from '../model/schema.js';
import type { Rows } from '../rows/rows.js';
import type { Reporter } from './types.js';

/** Top-level keys whose arrays can be long: one element per line. */
const ARRAY_KEYS = new Set([
  'inputs',
  'commands',
  'exchanges',
  'findings',
  'chains',
  'serviceEvents',
  'serviceErrors',
  'flows',
]);
/** Top-level keys written on one line as JSON.stringify writes an array, but read row by row (they may live on disk). */
const INLINE_KEYS = new Set([
  'explanations',
  'notFollowed',
  'recovered',
  'unconfirmed',
  'unended',
  'startUnseen',
  'outsideCommands',
]);
/** Keys of `stats` whose rows can be long. */
const STATS_ARRAY_KEYS = new Set(['byCommand', 'pairs']);
/** Keys of `stats` written on one line as JSON.stringify writes an array, but read row by row (they may live on disk). */
const STATS_INLINE_KEYS = new Set(['criticalPath']);
const BATCH = 65536;

function* jsonOf(rows: Iterable<unknown>): Generator<string> {
  for (const row of rows) yield JSON.stringify(row);
}

type JsonRows = Iterable<unknown> & Pick<Rows<unknown>, 'jsonRows' | 'jsonJoined'>;

/** The rows' JSON with `separator` between two: a list's own joined text when it has one (no string per row). */
function* joined(rows: JsonRows, separator: string): Generator<string> {
  if (rows.jsonJoined) {
    yield* rows.jsonJoined(separator);
    return;
  }
  let first = true;
  for (const json of rows.jsonRows ? rows.jsonRows() : jsonOf(rows)) {
    yield first ? json : `${separator}${json}`;
    first = false;
  }
}

/** `prefix`, the rows with `separator` between two, then `suffix`, batched (nothing for no row, unless `always`). */
function* joinedChunks(
  rows: JsonRows,
  separator: string,
  prefix: string,
  suffix: string,
  always: boolean,
): Generator<string> {
  let batch = prefix;
  let empty = true;
  for (const piece of joined(rows, separator)) {
    batch += piece;
    empty = false;
    if (batch.length > BATCH) {
      yield batch;
      batch = '';
    }
  }
  yield empty && !always ? '' : `${batch}${suffix}`;
}

/** One element per line, read as the rows stream (they may live on disk). */
function rowsChunks(indent: string, rows: JsonRows): Generator<string> {
  return joinedChunks(rows, `,\n${indent}`, indent, '\n', false);
}

/** `[a,b,…]` exactly as JSON.stringify writes an array of plain rows, in pieces. */
function inlineRowsChunks(rows: JsonRows): Generator<string> {
  return joinedChunks(rows, ',', '[', ']', true);
}

const isRows = (v: unknown): v is Iterable<unknown> & { length: number } =>
  v !== null && typeof v === 'object' && Symbol.iterator in v;

function* objectChunks(
  indent: string,
  value: Record<string, unknown>,
  arrayKeys: ReadonlySet<string>,
  nested: (key: string, value: unknown) => Generator<string> | null,
  inlineKeys: ReadonlySet<string> = new Set(),
): Generator<string> {
  const keys = Object.keys(value);
  const inner = `${indent}  `;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const v = value[key];
    const comma = k < keys.length - 1 ? ',' : '';
    const sub = nested(key, v);
    if (sub) {
      yield `${indent}${JSON.stringify(key)}: {\n`;
      yield* sub;
      yield `${indent}}${comma}\n`;
    } else if (inlineKeys.has(key) && isRows(v)) {
      yield `${indent}${JSON.stringify(key)}: `;
      yield* inlineRowsChunks(v);
      yield `${comma}\n`;
    } else if (arrayKeys.has(key) && isRows(v)) {
      const rows = v;
      if (rows.length === 0) {
        yield `${indent}${JSON.stringify(key)}: []${comma}\n`;
        continue;
      }
      yield `${indent}${JSON.stringify(key)}: [\n`;
      yield* rowsChunks(inner, rows);
      yield `${indent}]${comma}\n`;
    } else {
      yield `${indent}${JSON.stringify(key)}: ${JSON.stringify(v)}${comma}\n`;
    }
  }
}

export function* jsonChunks(run: RunResult): Generator<string> {
  yield '{\n';
  yield* objectChunks(
    '  ',
    run as unknown as Record<string, unknown>,
    ARRAY_KEYS,
    (key, value) =>
      key === 'stats' && value !== null && typeof value === 'object'
        ? objectChunks('    ', value as Record<string, unknown>, STATS_ARRAY_KEYS, () => null, STATS_INLINE_KEYS)
        : null,
    INLINE_KEYS,
  );
  yield '}\n';
}

export const jsonReporter: Reporter = {
  id: 'json',
  description: 'One JSON object (see `ostrace schema`), one array element per line',
  render(run) {
    return [...jsonChunks(run)].join('');
  },
  chunks: jsonChunks,
};
