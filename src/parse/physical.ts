// The pre-lex stage: one physical line in, one or more logical records' texts out.
// Logs reach ostrace through terminals, CI consoles, blog posts and issue trackers, so
// before lexing a line we (1) drop paste markup around it (`<pre>`, `> ` quoting, code
// fences, `$ ` prompts, trailing `\r`) and (2) re-split a log that was flattened onto one
// line (a paste that lost its newlines) at the places where records start. Every scan
// here is a forward indexOf/charCode loop: linear in the line length, no backtracking.
import { stripAnsi } from '../lex/lexer.js';
import {
  matchApacheErrorPrefix,
  matchApacheTimePrefix,
  matchBracketLoggerPrefix,
  matchJournalPrefix,
  matchLevelColonLoggerPrefix,
  matchLevelLoggerPrefix,
  matchModuleLinenoPrefix,
  matchOsloPrefix,
  matchPebblePrefix,
  matchPyLoggingPrefix,
  matchZuulPrefix,
} from '../lex/prefixes.js';
import { HTTP_METHODS } from '../lex/matchers.js';
import { LOG_READERS, logFileOfCommand } from '../input/demux.js';

export type Piece =
  /** Text to lex as one log record. */
  | { kind: 'text'; text: string }
  /** Paste markup alone on its line (a code fence, `<pre>`, `</code>`). */
  | { kind: 'markup'; text: string }
  /** A pasted shell prompt with the command typed (`$ openstack --debug server list`). */
  | { kind: 'shell'; text: string };

/** Split one physical line into the records it holds, markup removed. */
export function prepareLine(raw: string): Piece[] {
  let text = stripAnsi(raw);
  while (text.endsWith('\r')) text = text.slice(0, -1);
  const unwrapped = stripMarkup(text);
  if (unwrapped.markupOnly) return [{ kind: 'markup', text }];
  text = unwrapped.text;
  const shell = shellCommand(text);
  if (shell !== null) return [{ kind: 'shell', text: shell }];
  if (isMarkdownHeading(text)) return [{ kind: 'markup', text }];
  return splitFlattened(text).map((t) => ({ kind: 'text', text: t }));
}

// ---- paste markup ---------------------------------------------------------------------

const OPENING_TAGS = ['<pre', '<code', '<tt', '<samp', '<kbd'];
const CLOSING_TAGS = ['</pre>', '</code>', '</tt>', '</samp>', '</kbd>'];

/** Remove `> ` quoting and HTML code tags at either end; report a line that was only markup. */
function stripMarkup(line: string): { text: string; markupOnly: boolean } {
  let text = line;
  let stripped = false;
  // `> ` e-mail/markdown quoting, possibly nested (`> > `, `>> `).
  while (text.startsWith('>') && (text.length === 1 || text[1] === ' ' || text[1] === '>')) {
    text = text.slice(text[1] === ' ' ? 2 : 1);
    stripped = true;
  }
  // Every tag starts with `<` and every closing tag ends with `>`: most lines skip both loops.
  for (let again = text.charCodeAt(0) === 60 /* < */; again;) {
    again = false;
    const lower = text.slice(0, 16).toLowerCase();
    for (const tag of OPENING_TAGS) {
      if (lower.startsWith(tag) && (text[tag.length] === '>' || text[tag.length] === ' ')) {
        const close = text.indexOf('>', tag.length);
        if (close > 0 && close < 200) {
          text = text.slice(close + 1);
          again = stripped = true;
        }
      }
    }
    for (const tag of CLOSING_TAGS) {
      if (lower.startsWith(tag)) {
        text = text.slice(tag.length);
        again = stripped = true;
      }
    }
  }
  for (let again = text.endsWith('>'); again;) {
    again = false;
    const tail = text.slice(-8).toLowerCase();
    for (const tag of CLOSING_TAGS) {
      if (tail.endsWith(tag)) {
        text = text.slice(0, text.length - tag.length);
        again = stripped = true;
      }
    }
  }
  const hashes = hashesBeforeDate(text);
  if (hashes > 0) {
    text = text.slice(hashes);
    stripped = true;
  }
  const trimmed = text.trim();
  if (isCommentOrBanner(trimmed)) return { text, markupOnly: true };
  if (trimmed.startsWith('```') || trimmed.startsWith('~~~')) {
    // A fence line: the fence and an optional info string (` ```console `).
    const info = trimmed.slice(3).trim();
    if (!info.includes(' ')) return { text, markupOnly: true };
  }
  return { text, markupOnly: stripped && trimmed === '' };
}

/** A record's date and time: `2015-12-14 14:31:19`. */
const DATED = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d/;

/**
 * `######2015-12-14 14:31:19.662 2970 INFO cinder.volume.manager [req-…] …`: a paste that put a
 * run of `#` before every record (a driver's published test results,
 * samples/field/cloudbyte-retype-hash-prefixed). The run's length when the record's date follows
 * it directly, else 0: `# 2015-…` with a space is a comment or a heading, not this.
 */
function hashesBeforeDate(text: string): number {
  if (text.charCodeAt(0) !== 35 /* # */) return 0;
  let n = 1;
  while (text.charCodeAt(n) === 35) n++;
  const c = text.charCodeAt(n);
  return c >= 48 && c <= 57 && DATED.test(text.slice(n, n + 19)) ? n : 0;
}

/** Characters an ASCII banner line is made of (`=====`, `-----`, `*****`, `#####`). */
const BANNER_CHARS = new Set([61, 45, 42, 35, 126, 95]);

/**
 * A whole-line HTML comment (`<!-- … -->`) or an ASCII banner: one character repeated, at
 * least three times (grep's `--` separator has two and is the demultiplexer's).
 */
function isCommentOrBanner(trimmed: string): boolean {
  const c = trimmed.charCodeAt(0);
  if (c === 60 /* < */) return trimmed.startsWith('<!--') && trimmed.endsWith('-->');
  if (!BANNER_CHARS.has(c) || trimmed.length < 3) return false;
  for (let i = 1; i < trimmed.length; i++) if (trimmed.charCodeAt(i) !== c) return false;
  return true;
}

/**
 * A markdown ATX heading between pasted lines: `## Output of nova --debug`. Two `#` at least:
 * `# text` is as often a shell comment or a root prompt; whether it is a heading depends on the
 * lines around it (paste-blocks.ts).
 */
function isMarkdownHeading(line: string): boolean {
  if (line.charCodeAt(0) !== 35 /* # */ || line.charCodeAt(1) !== 35) return false;
  let i = 2;
  while (i < 6 && line.charCodeAt(i) === 35) i++;
  return line.charCodeAt(i) === 32 && i + 1 < line.length && line.charCodeAt(i + 1) !== 32;
}

/**
 * A markdown code fence alone on its line (after quoting and code tags): its character and
 * whether it has an info string (` ```console `), else null.
 */
export function codeFence(line: string): { char: string; info: boolean } | null {
  if (line.indexOf('```') < 0 && line.indexOf('~~~') < 0) return null;
  const trimmed = stripMarkup(line).text.trim();
  if (!trimmed.startsWith('```') && !trimmed.startsWith('~~~')) return null;
  let i = 3;
  while (trimmed[i] === trimmed[0]) i++;
  const info = trimmed.slice(i).trim();
  return info.includes(' ') ? null : { char: trimmed[0]!, info: info !== '' };
}

const ROOT_PROMPT_COMMANDS = [
  'openstack ',
  'nova ',
  'cinder ',
  'neutron ',
  'keystone ',
  'glance ',
  'curl ',
  // what people run on logs before they paste them (`# grep req-… api.log`)
  'grep ',
  'egrep ',
  'zgrep ',
  'tail ',
  'cat ',
  'zcat ',
  'less ',
  'journalctl ',
];
/**
 * A prompt that names user and host: `[root@controller ~]# `, `root@node1:/etc/nova# `, or a
 * user's `$` on RHEL and CentOS, `[stack@undercloud ~]$ ` (TripleO's `(overcloud)` before it), its
 * host perhaps with a bracketed suffix (`[user@stack01[poc1] ~]$ `, a real cloud's docs). A paste
 * may have lost the space after a prompt with nothing typed (`[root@openstack ~(keystone_admin)]#`).
 * bash's `[\h \W]\$ ` names the host alone (`[cc1 ~]# `, CubeCOS's issues): a bracket, a host, one
 * space and a directory word, then `#` or `$`.
 */
const NAMED_PROMPT =
  /^(?:\[[\w.-]+@[\w.-]+(?:\[[\w.-]{1,40}\])? [^\]\n]{0,80}\]|\[[\w.-]+ [^\]\s@]{1,80}\]|[\w.-]+@[\w.-]+:[^\s#]{0,120})[#$](?: |$)/;

/**
 * Whether NAMED_PROMPT may match at `i`: the line goes on with `[`, or with a word of
 * `[\w.-]` ending in `@`. Most lines do neither, and are not sliced and matched.
 */
function mayBeNamedPrompt(line: string, i: number): boolean {
  if (line.charCodeAt(i) === 91 /* [ */) return true;
  let j = i;
  for (;;) {
    const c = line.charCodeAt(j);
    // \w (A-Z a-z 0-9 _), `.` and `-`
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45) j++;
    else break;
  }
  return j > i && line.charCodeAt(j) === 64; /* @ */
}

/**
 * A shell prompt line: `$ cmd`, `user@host:~$ cmd`, `(venv) $ cmd`, or a root `# cmd`
 * when cmd is an OpenStack client; or a command reading one log file typed without a prompt.
 * Returns the command, or null.
 */
function shellCommand(line: string): string | null {
  let i = 0;
  while (line[i] === ' ' || line[i] === '\t') i++;
  if (line.startsWith('(', i)) {
    // virtualenv marker
    const close = line.indexOf(') ', i);
    if (close > 0 && close - i < 64) i = close + 2;
  }
  // A prompt naming user and host is a prompt whatever the command (a `#` heading names no host);
  // one with nothing typed is a prompt too (the last line of a paste).
  const named = mayBeNamedPrompt(line, i) ? NAMED_PROMPT.exec(line.slice(i, i + 220)) : null;
  if (named) return line.slice(i + named[0].length).trim();
  const sp = line.indexOf(' ', i);
  if (sp < 0) return null;
  const word = line.slice(i, sp);
  if (word.endsWith('$') && !word.includes('"') && !word.includes("'")) return line.slice(sp + 1).trim();
  if (word === '#') {
    const cmd = line.slice(sp + 1).trim();
    if (ROOT_PROMPT_COMMANDS.some((c) => cmd.startsWith(c))) return cmd;
  }
  // No prompt, but a log reader over one log file (`tail -200 /var/log/nova/nova-api.log | grep
  // -B 5 …` above what it printed): the command a paste shows its output under.
  if ((word === 'sudo' || LOG_READERS.has(word)) && logFileOfCommand(line.slice(i)) !== null)
    return line.slice(i).trim();
  return null;
}

// ---- flattened logs -----------------------------------------------------------------

/** Texts that begin a client record; a flattened log has them after a space, mid-line. */
const RECORD_STARTS = [
  'REQ: curl ',
  "REQ: b'curl ",
  'RESP: [',
  'RESP BODY: ',
  'Starting new HTTP',
  'Resetting dropped connection: ',
  'Making authentication request to ',
  'START with options: ',
  'END return value: ',
  'clean_up ',
  'run(Namespace(',
  'Get auth_ref',
  'Using auth plugin: ',
  'Using parameters ',
  'Auth plugin ',
  'Request returned failure status: ',
  'Traceback (most recent call last):',
];
/**
 * Whether a text begins the way a client record begins (`REQ: curl`, `RESP: [`, `GET call to`,
 * urllib3's `http://h:p "GET`…): a line that does is a record of its own even when it was cut.
 */
export function startsRecord(text: string): boolean {
  for (const m of RECORD_STARTS) if (text.startsWith(m)) return true;
  if (text.startsWith('RESP:') || text.startsWith('REQ:')) return true;
  const sp = text.indexOf(' ');
  if (sp > 0 && sp < 8 && HTTP_METHODS.has(text.slice(0, sp)) && text.startsWith(' call to ', sp)) return true;
  if (text.startsWith('http://') || text.startsWith('https://')) {
    const origin = text.indexOf(' ');
    return origin > 0 && text.startsWith(' "', origin) && isUrllib3Request(text, origin + 1);
  }
  return false;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Re-split a flattened log at record boundaries. A normal line has no boundary after its
 * start and comes back unchanged (as the only element).
 */
export function splitFlattened(line: string): string[] {
  // A pasted block's indentation (markdown's four spaces) opens no record: a dated line
  // indented by spaces is one record, as it is indented by a tab.
  if (line.charCodeAt(0) === 32 /* space */) {
    const body = line.trimStart();
    const parts = splitFlattened(body);
    return parts.length === 1 && parts[0] === body ? [line] : parts;
  }
  if (line.length < 24 || !mayBeFlattened(line)) return [line];
  const cuts = new Set<number>();
  // Inside a double-quoted string (a JSON body's value, a quoted header) marker text is
  // data, not a record start: a quote scanner walks along with the spaces, once.
  let scanned = 0;
  let quoted = false;
  const insideQuotes = (at: number): boolean => {
    for (; scanned < at; scanned++) {
      const c = line.charCodeAt(scanned);
      if (c === 92 /* \ */) scanned++;
      else if (c === 34 /* " */) quoted = !quoted;
    }
    return quoted;
  };
  // One pass over the spaces of the line; only a space followed by a marker's first
  // character costs more than a jump, so long runs of spaces or text stay cheap.
  for (let sp = line.indexOf(' '); sp >= 0 && sp < line.length - 1; sp = line.indexOf(' ', sp + 1)) {
    const at = sp + 1;
    const handlers = HANDLERS_BY_FIRST_CHAR.get(line.charCodeAt(at));
    if (!handlers || insideQuotes(at)) continue;
    for (const h of handlers) if (line.startsWith(h.marker, at)) h.cut(line, at, cuts);
  }
  if (cuts.size === 0) return [line];
  const sorted = [...cuts].filter((c) => c > 0).sort((a, b) => a - b);
  const out: string[] = [];
  let start = 0;
  for (const cut of sorted) {
    const raw = line.slice(start, cut);
    // A prefix directly followed by a record start is one record, not two.
    if (raw.trim() === '' || isPrefixOnly(raw)) continue;
    out.push(...splitUrllib3Tail(raw.trimEnd()));
    start = cut;
  }
  out.push(...splitUrllib3Tail(line.slice(start)));
  return out.length > 0 ? out : [line];
}

/**
 * Signs that a second record starts inside a line: a record-start marker after the first
 * character, or a second timestamp prefix. End-of-record markers (` used request id `, the
 * urllib3 `HTTP/1.1"`) are left to the full pass, which only runs when one of these is seen.
 */
const SECOND_RECORD =
  / (?:REQ: (?:b')?curl |RESP: \[|RESP BODY: |START with options: |END return value: |Making authentication request to |Starting new HTTP|Resetting dropped connection: |Traceback \(most recent call last\):|\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d)/;

/** Whether a line could hold more than one record (most lines: no, decided by one linear scan). */
function mayBeFlattened(line: string): boolean {
  return SECOND_RECORD.test(line);
}

interface Handler {
  marker: string;
  cut: (line: string, at: number, cuts: Set<number>) => void;
}

const HANDLERS: Handler[] = [
  ...RECORD_STARTS.map((marker): Handler => ({
    marker,
    cut: (_l, at, cuts) => {
      cuts.add(at);
    },
  })),
  {
    // `GET call to … used request id req-…`: the record starts at the method.
    marker: 'call to ',
    cut: (line, at, cuts) => {
      const methodStart = line.lastIndexOf(' ', at - 2) + 1;
      if (methodStart > 0 && HTTP_METHODS.has(line.slice(methodStart, at - 1))) cuts.add(methodStart);
    },
  },
  {
    // …and ends after the id, or after the debug suffix its logger adds (a line under Pebble's
    // prefix holds a second timestamp, so it is looked at here).
    marker: 'used request id ',
    cut: (line, at, cuts) => {
      const end = wordEnd(line, at + 16);
      if (end < line.length && !DEBUG_SUFFIX.test(line.slice(end))) cuts.add(skipSpaces(line, end));
    },
  },
  {
    // `command: NAME -> module.Class (auth=…)`: `command: ` alone is too common a text.
    marker: 'command: ',
    cut: (line, at, cuts) => {
      const arrow = line.indexOf(' -> ', at);
      if (arrow > 0 && arrow - at < 200) cuts.add(at);
    },
  },
  // urllib3: `http://h:p "GET /p HTTP/1.1" 200 12`, and the older `"GET /p HTTP/1.1" 200 12`.
  ...['http://', 'https://'].map((marker): Handler => ({
    marker,
    cut: (line, at, cuts) => {
      const sp = line.indexOf(' ', at);
      if (sp > 0 && sp - at < 300 && isUrllib3Request(line, sp + 1)) cuts.add(at);
    },
  })),
  {
    marker: '"',
    cut: (line, at, cuts) => {
      if (!isUrllib3Request(line, at)) return;
      // Not the tail of an origin (`http://h:80 "GET`): that cut is made at the origin.
      const prevWord = line.slice(line.lastIndexOf(' ', at - 2) + 1, at - 1);
      // Nor the request of eventlet's access line, after its date: `[14/May/2025 04:27:08] "GET …`
      // (glance under Pebble, whose line holds a second timestamp).
      if (ACCESS_DATE_END.test(prevWord)) return;
      if (!prevWord.includes('http://') && !prevWord.includes('https://')) cuts.add(at);
    },
  },
  // Prefixes of flattened `--log-file`, Zuul or journald logs.
  ...['20', '19'].map((marker): Handler => ({
    marker,
    cut: (line, at, cuts) => {
      if (matchOsloPrefix(line, at, []) || matchZuulPrefix(line, at, []) || matchJournalPrefix(line, at, []))
        cuts.add(at);
    },
  })),
  ...MONTHS.map((m): Handler => ({
    marker: `${m} `,
    cut: (line, at, cuts) => {
      if (matchJournalPrefix(line, at, [])) cuts.add(at);
    },
  })),
];

const HANDLERS_BY_FIRST_CHAR = new Map<number, Handler[]>();
for (const h of HANDLERS) {
  const c = h.marker.charCodeAt(0);
  const list = HANDLERS_BY_FIRST_CHAR.get(c) ?? [];
  list.push(h);
  HANDLERS_BY_FIRST_CHAR.set(c, list);
}

function wordEnd(line: string, i: number): number {
  while (i < line.length && line[i] !== ' ' && line[i] !== '\t') i++;
  return i;
}

function skipSpaces(line: string, i: number): number {
  while (line[i] === ' ' || line[i] === '\t') i++;
  return i;
}

/** oslo.log's default debug suffix ` request /path/keystoneauth1/session.py:954`: the rest of the line. */
const DEBUG_SUFFIX = /^ +[A-Za-z_<][\w<>.]* \/\S+\.py:\d+\s*$/;

/** The end of eventlet's access line date: `[14/May/2025 04:27:08]`. */
const ACCESS_DATE_END = /\d\d:\d\d:\d\d\]$/;

/** `"GET /path HTTP/1.1" 200` at i. */
function isUrllib3Request(line: string, i: number): boolean {
  if (line[i] !== '"') return false;
  const sp = line.indexOf(' ', i + 1);
  if (sp < 0 || sp - i > 9 || !HTTP_METHODS.has(line.slice(i + 1, sp))) return false;
  const close = line.indexOf('" ', sp);
  return close > 0 && line.startsWith(' HTTP/', line.lastIndexOf(' ', close));
}

const PREFIX_MATCHERS = [
  matchApacheErrorPrefix,
  matchBracketLoggerPrefix,
  matchZuulPrefix,
  matchPebblePrefix,
  matchApacheTimePrefix,
  matchOsloPrefix,
  matchJournalPrefix,
  matchPyLoggingPrefix,
  matchModuleLinenoPrefix,
  matchLevelColonLoggerPrefix,
  matchLevelLoggerPrefix,
];

/** A piece that is only log prefixes, stacked or not (the record they introduce starts at the next cut). */
function isPrefixOnly(piece: string): boolean {
  const end = piece.trimEnd().length;
  let at = 0;
  for (let found = true; found && at < end;) {
    found = false;
    for (const m of PREFIX_MATCHERS) {
      const hit = m(piece, at, []);
      if (hit && hit[0].length > 0) {
        at += hit[0].length;
        found = true;
        break;
      }
    }
  }
  // A bare logger column (`keystoneauth.session  REQ: …`) is a prefix too.
  if (at < end && !piece.slice(at, end).includes(' ') && piece.slice(at, end).includes('.')) at = end;
  return at >= end;
}

/** After a urllib3 response line the next record follows its length (`… 201 1315 {"token": …`). */
function splitUrllib3Tail(piece: string): string[] {
  const q = piece.startsWith('"') ? 0 : piece.indexOf(' "');
  if (q < 0 || q > 300) return [piece];
  const at = q === 0 ? 0 : q + 1;
  if (!isUrllib3Request(piece, at)) return [piece];
  if (q > 0 && !(piece.startsWith('http://') || piece.startsWith('https://'))) return [piece];
  const close = piece.indexOf('" ', at + 1);
  let i = close + 2;
  const statusEnd = wordEnd(piece, i);
  if (statusEnd - i !== 3) return [piece];
  i = skipSpaces(piece, statusEnd);
  const lengthEnd = wordEnd(piece, i);
  const word = piece.slice(i, lengthEnd);
  if (!/^\d+$/.test(word) && word !== 'None') return [piece];
  const rest = piece.slice(skipSpaces(piece, lengthEnd));
  return rest === '' ? [piece] : [piece.slice(0, lengthEnd), rest];
}
