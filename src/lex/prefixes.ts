// Custom matchers for the log-line prefixes ostrace understands. Each one is a
// chevrotain custom pattern: it is tried at an offset and returns a match with a
// parsed `payload`, so the parser never re-scans the prefix text. They only match
// at the start of a line or right after another prefix (Zuul wraps journald,
// journald wraps devstack's `LEVEL logger [ctx]`), which `onlyAfterPrefixes` checks.
import type { CustomPatternMatcherReturn, IToken } from 'chevrotain';
import type { PrefixFields } from '../core/records.js';

type Matcher = (text: string, offset: number, tokens: IToken[]) => CustomPatternMatcherReturn | null;

const LEVELS = new Set(['DEBUG', 'INFO', 'WARNING', 'WARN', 'ERROR', 'CRITICAL', 'TRACE', 'AUDIT', 'FATAL']);
/** The first letters of the levels: the only characters a `LEVEL…` prefix can start with. */
export const LEVEL_START_CHARS = [...new Set([...LEVELS].map((l) => l[0]!))];

/** Token types that count as prefixes; filled by tokens.ts after creation. */
export const prefixTokenNames = new Set<string>();

/**
 * The logger named by the innermost prefix of the line so far, or null when the line
 * has no prefix yet or a non-prefix token came already. keystoneauth's split loggers
 * (`keystoneauth.session.request` …) drop the `REQ:`/`RESP:` keywords, so the logger
 * is what tells those lines apart.
 */
export function prefixLogger(tokens: IToken[]): string | null {
  if (tokens.length === 0 || !onlyAfterPrefixes(tokens)) return null;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const logger = (tokens[i] as IToken & { payload?: PrefixFields }).payload?.logger;
    if (logger) return logger;
  }
  return null;
}

export function onlyAfterPrefixes(tokens: IToken[]): boolean {
  for (const t of tokens) if (!prefixTokenNames.has(t.tokenType.name)) return false;
  return true;
}

function result(text: string, start: number, end: number, payload: PrefixFields): CustomPatternMatcherReturn {
  const m = [text.slice(start, end)] as unknown as CustomPatternMatcherReturn;
  m.payload = payload;
  return m;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** `YYYY-MM-DD HH:MM:SS` with an optional `.fraction`; returns the end offset or -1. */
function scanIsoTimestamp(text: string, i: number): number {
  // Fixed-width part: 19 characters.
  if (text.length < i + 19) return -1;
  for (let k = 0; k < 19; k++) {
    const c = text.charCodeAt(i + k);
    const want = k === 4 || k === 7 ? 45 : k === 10 ? -1 : k === 13 || k === 16 ? 58 : 0;
    if (want === 0) {
      if (!isDigit(c)) return -1;
    } else if (want === -1) {
      if (c !== 32 && c !== 84) return -1;
    } else if (c !== want) return -1;
  }
  let j = i + 19;
  if (text.charCodeAt(j) === 46 || text.charCodeAt(j) === 44) {
    j++;
    const s = j;
    while (j < text.length && isDigit(text.charCodeAt(j))) j++;
    if (j === s) return -1;
  }
  return j;
}

function scanWhile(text: string, i: number, pred: (c: number) => boolean): number {
  while (i < text.length && pred(text.charCodeAt(i))) i++;
  return i;
}

const isSpace = (c: number) => c === 32 || c === 9;
const isLoggerChar = (c: number) =>
  (c >= 97 && c <= 122) ||
  (c >= 65 && c <= 90) ||
  isDigit(c) ||
  c === 46 ||
  c === 95 ||
  c === 45 ||
  c === 60 ||
  c === 62;

/** Find the `]` closing a context bracket, tolerating nested `[...]` (no backtracking). */
function closingBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91) depth++;
    else if (c === 93) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Scan `LEVEL logger [ctx] ` starting at i; shared by oslo and devstack forms. */
function scanLevelLogger(
  text: string,
  i: number,
  requireContext: boolean,
): { end: number; level: string; logger: string; context?: string } | null {
  const levelEnd = scanWhile(text, i, (c) => c >= 65 && c <= 90);
  const level = text.slice(i, levelEnd);
  if (!LEVELS.has(level) || !isSpace(text.charCodeAt(levelEnd))) return null;
  const loggerStart = scanWhile(text, levelEnd, isSpace);
  const loggerEnd = scanWhile(text, loggerStart, isLoggerChar);
  if (loggerEnd === loggerStart) return null;
  const logger = text.slice(loggerStart, loggerEnd);
  let j = loggerEnd;
  if (j >= text.length) return { end: j, level, logger };
  if (!isSpace(text.charCodeAt(j))) return null;
  j = scanWhile(text, j, isSpace);
  if (text.charCodeAt(j) === 91 /* [ */) {
    const close = closingBracket(text, j);
    // `[instance: …]` is part of the message, not a context bracket.
    if (close > 0 && !text.startsWith('[instance:', j)) {
      const context = text.slice(j + 1, close);
      let end = close + 1;
      if (isSpace(text.charCodeAt(end))) end++;
      return { end, level, logger, context };
    }
  }
  if (requireContext) return null;
  return { end: j, level, logger };
}

/** The packages whose modules log in an OpenStack service (not a client's: keystoneauth, novaclient…). */
const SERVICE_PACKAGES = new Set([
  'nova',
  'cinder',
  'glance',
  'keystone',
  'neutron',
  'placement',
  'os_brick',
  'oslo_messaging',
  'oslo.messaging',
]);

/** A dotted logger of a service's own module: `cinder.api.v3.attachments`, `oslo_messaging.rpc.server`. */
function isServiceModule(logger: string): boolean {
  const dot = logger.indexOf('.');
  if (dot < 0) return false;
  // `oslo.messaging._drivers…` keeps its dot in the package name.
  return SERVICE_PACKAGES.has(logger.slice(0, dot)) || SERVICE_PACKAGES.has(logger.split('.', 2).join('.'));
}

/** oslo.log / osc `--log-file`: `2026-11-25 20:13:58.834 22992 INFO osc_lib.shell [ctx] msg`. */
export const matchOsloPrefix: Matcher = (text, offset, tokens) => {
  if (!onlyAfterPrefixes(tokens)) return null;
  const tsEnd = scanIsoTimestamp(text, offset);
  if (tsEnd < 0 || !isSpace(text.charCodeAt(tsEnd))) return null;
  const pidStart = scanWhile(text, tsEnd, isSpace);
  const pidEnd = scanWhile(text, pidStart, isDigit);
  if (pidEnd === pidStart) {
    // Grizzly's context format had no pid: `2013-04-24 10:55:21.182 ERROR nova.… [req-… user
    // tenant] msg`. Taken only with its context bracket (a level and a logger alone say too
    // little), or as a traceback line of nova-common's exception prefix (`2012-07-05 22:00:30
    // TRACE nova.rpc.amqp   File …`): OpenStack's own TRACE level before a dotted logger. A
    // format without pid and context (`%(asctime)s %(levelname)s %(name)s %(message)s`, as a
    // Yaook cinder-api writes: `2024-06-11 14:13:50 ERROR cinder.api.v3.attachments Unable to
    // update the attachment.`) is taken when the logger is a service's own module.
    const early = scanLevelLogger(text, pidStart, false);
    if (
      !early ||
      (early.context === undefined &&
        !(early.level === 'TRACE' && early.logger.includes('.')) &&
        !isServiceModule(early.logger))
    )
      return null;
    return result(text, offset, early.end, {
      style: 'oslo',
      timestamp: text.slice(offset, tsEnd),
      level: early.level,
      logger: early.logger,
      ...(early.context !== undefined ? { context: early.context } : {}),
    });
  }
  if (!isSpace(text.charCodeAt(pidEnd))) return null;
  const rest = scanLevelLogger(text, scanWhile(text, pidEnd, isSpace), false);
  if (!rest) return null;
  return result(text, offset, rest.end, {
    style: 'oslo',
    timestamp: text.slice(offset, tsEnd),
    pid: Number(text.slice(pidStart, pidEnd)),
    level: rest.level,
    logger: rest.logger,
    ...(rest.context !== undefined ? { context: rest.context } : {}),
  });
};

/** Zuul job-output: `2024-01-01 12:00:00.123456 | node | msg`. */
export const matchZuulPrefix: Matcher = (text, offset, tokens) => {
  if (!onlyAfterPrefixes(tokens)) return null;
  const tsEnd = scanIsoTimestamp(text, offset);
  if (tsEnd < 0 || !text.startsWith(' | ', tsEnd)) return null;
  const nodeStart = tsEnd + 3;
  const bar = text.indexOf(' | ', nodeStart);
  const node = bar < 0 || bar - nodeStart > 64 ? '' : text.slice(nodeStart, bar);
  // Zuul's own lines (`TASK [...]`, `PLAY RECAP`) have no node column.
  if (node === '' || node.includes(' '))
    return result(text, offset, nodeStart, { style: 'zuul', timestamp: text.slice(offset, tsEnd) });
  return result(text, offset, bar + 3, { style: 'zuul', timestamp: text.slice(offset, tsEnd), node });
};

/**
 * Pebble's log (the service manager of Canonical's OpenStack rocks; `kubectl logs` of a pod's
 * container): `2025-05-14T04:27:20.100Z [nova-conductor] ` before each physical line of a
 * service's output, `[pebble]` before its own. Like a journal entry it carries the time and the
 * service's name (`unit`), and no pid. An Apache service's lines carry Apache's own time after
 * it, with microseconds (`[wsgi-nova-api] 2025-05-14 04:27:20.100583 2025-05-14 04:27:20.061 31
 * WARNING …`): taken with the prefix, the line it wrote follows.
 */
export const matchPebblePrefix: Matcher = (text, offset, tokens) => {
  if (!onlyAfterPrefixes(tokens)) return null;
  const tsEnd = scanIsoTimestamp(text, offset);
  if (tsEnd < 0 || text.charCodeAt(offset + 10) !== 84 /* T */ || !text.startsWith('Z [', tsEnd)) return null;
  const nameStart = tsEnd + 3;
  // A layer may name a service with spaces in it: glance's rock runs `[apache forwarder]`.
  const nameEnd = scanWhile(text, nameStart, isServiceNameChar);
  if (
    nameEnd === nameStart ||
    nameEnd - nameStart > 64 ||
    text.charCodeAt(nameEnd) !== 93 /* ] */ ||
    text.charCodeAt(nameStart) === 32 ||
    text.charCodeAt(nameEnd - 1) === 32
  )
    return null;
  let end = nameEnd + 1;
  if (end < text.length) {
    if (text.charCodeAt(end) !== 32) return null;
    end++;
    const apache = scanIsoTimestamp(text, end);
    if (apache - end === 26 && text.charCodeAt(end + 10) === 32 && text.charCodeAt(apache) === 32) end = apache + 1;
  }
  return result(text, offset, end, {
    style: 'journal',
    timestamp: text.slice(offset, tsEnd + 1),
    unit: text.slice(nameStart, nameEnd),
    pebble: true,
  });
};
/**
 * Apache's own time before what mod_wsgi wrote to stderr, in an error log whose ErrorLogFormat
 * is `"%{cu}t %M"` (Ubuntu's keystone package: /var/log/apache2/keystone.log): microseconds, no
 * zone, then the line the service wrote (`2016-11-09 11:49:44.485447 2016-11-09 11:49:44.483
 * 2992 ERROR keystone.common.wsgi …`). Taken only before a dated line (or alone): a record's own
 * time with six digits (a user's `%(asctime)s.%(msecs)06d`) has no second time after it. Pebble's line holds
 * the same time after its own prefix (matchPebblePrefix).
 */
export const matchApacheTimePrefix: Matcher = (text, offset, tokens) => {
  // Six digits of a second, then a space: an oslo.log time (three) fails here, before any scan.
  if (text.charCodeAt(offset + 26) !== 32 || !isDigit(text.charCodeAt(offset + 25))) return null;
  if (!onlyAfterPrefixes(tokens)) return null;
  const end = scanIsoTimestamp(text, offset);
  if (end - offset !== 26 || text.charCodeAt(offset + 10) !== 32 || text.charCodeAt(end) !== 32) return null;
  // At the text's end the dated line was cut away from it (a flattened line's first piece).
  if (end + 1 < text.length && scanIsoTimestamp(text, end + 1) < 0) return null;
  return result(text, offset, end + 1, { style: 'apache-error', timestamp: text.slice(offset, end) });
};
const isServiceNameChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 45 || c === 95 || c === 46 || c === 32;

const MONTHS = new Set(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']);

/** `Mon DD HH:MM:SS[.ffffff]` (syslog, journald's short and short-precise); returns the end offset or -1. */
function scanSyslogTimestamp(text: string, i: number): number {
  if (!MONTHS.has(text.slice(i, i + 3)) || text.charCodeAt(i + 3) !== 32) return -1;
  let j = scanWhile(text, i + 4, isSpace);
  const dayEnd = scanWhile(text, j, isDigit);
  if (dayEnd === j || dayEnd - j > 2 || text.charCodeAt(dayEnd) !== 32) return -1;
  j = dayEnd + 1;
  // HH:MM:SS[.ffffff]
  for (let k = 0; k < 8; k++) {
    const c = text.charCodeAt(j + k);
    if (k === 2 || k === 5 ? c !== 58 : !isDigit(c)) return -1;
  }
  j += 8;
  return text.charCodeAt(j) === 46 ? scanWhile(text, j + 1, isDigit) : j;
}

/**
 * Whether a line no prefix matched opens (after its indentation) with a timestamp of its own,
 * `YYYY-MM-DD HH:MM:SS` or `Mon DD HH:MM:SS`: another program's log line (libvirtd's
 * `2021-05-26 09:49:40.189+0000: 79419: info : …`), never the next line of a record before it.
 */
export function opensWithTimestamp(text: string): boolean {
  let i = 0;
  while (isSpace(text.charCodeAt(i))) i++;
  const c = text.charCodeAt(i);
  return isDigit(c) ? scanIsoTimestamp(text, i) >= 0 : c >= 65 && c <= 90 && scanSyslogTimestamp(text, i) >= 0;
}

/**
 * journalctl's `-o short-iso` / `short-iso-precise` time: `2026-11-25T21:02:53+0000`,
 * `2026-11-25T21:02:53.346123+0000` (systemd 255 and later write the offset `+00:00`, PR #29134);
 * returns the end offset or -1. The `T` and the offset tell it from a record's own time (oslo.log's
 * `2026-11-25 21:02:53.346`, Pebble's and a CI runner's `…Z`).
 */
function scanJournalIsoTimestamp(text: string, i: number): number {
  const j = scanIsoTimestamp(text, i);
  if (j < 0 || text.charCodeAt(i + 10) !== 84 /* T */ || text.charCodeAt(i + 19) === 44 /* , */) return -1;
  const sign = text.charCodeAt(j);
  if (sign !== 43 && sign !== 45) return -1;
  if (!isDigit(text.charCodeAt(j + 1)) || !isDigit(text.charCodeAt(j + 2))) return -1;
  const m = text.charCodeAt(j + 3) === 58 /* : */ ? j + 4 : j + 3;
  return isDigit(text.charCodeAt(m)) && isDigit(text.charCodeAt(m + 1)) ? m + 2 : -1;
}

/**
 * journald short / short-precise: `Jul 10 02:07:43.123456 host ident[1234]: msg`; short-iso /
 * short-iso-precise: `2026-11-25T21:02:53[.346123]+0000 host ident[1234]: msg`.
 */
export const matchJournalPrefix: Matcher = (text, offset, tokens) => {
  if (!onlyAfterPrefixes(tokens)) return null;
  const j = isDigit(text.charCodeAt(offset))
    ? scanJournalIsoTimestamp(text, offset)
    : scanSyslogTimestamp(text, offset);
  if (j < 0) return null;
  const timestamp = text.slice(offset, j);
  if (text.charCodeAt(j) !== 32) return null;
  const hostStart = j + 1;
  const hostEnd = scanWhile(text, hostStart, (c) => c !== 32 && c !== 9);
  if (hostEnd === hostStart || text.charCodeAt(hostEnd) !== 32) return null;
  const identStart = hostEnd + 1;
  // identifier up to `[pid]: ` or `: `
  const identEnd = scanWhile(text, identStart, (c) => c !== 91 && c !== 58 && c !== 32);
  if (identEnd === identStart) return null;
  let pid: number | undefined;
  let k = identEnd;
  if (text.charCodeAt(k) === 91) {
    const pidEnd = scanWhile(text, k + 1, isDigit);
    if (pidEnd === k + 1 || text.charCodeAt(pidEnd) !== 93) return null;
    pid = Number(text.slice(k + 1, pidEnd));
    k = pidEnd + 1;
  }
  if (text.charCodeAt(k) !== 58) return null;
  k++;
  if (text.charCodeAt(k) === 32) k++;
  return result(text, offset, k, {
    style: 'journal',
    timestamp,
    host: text.slice(hostStart, hostEnd),
    unit: text.slice(identStart, identEnd),
    ...(pid !== undefined ? { pid } : {}),
  });
};

/**
 * devstack / plain `%(levelname)s %(name)s` formats: `DEBUG nova.compute.manager [ctx] msg`
 * or `DEBUG novaclient.v2.client REQ: …`. The logger must be dotted (or followed by a
 * context bracket) so that ordinary prose starting with `INFO` is not taken for a prefix.
 */
export const matchLevelLoggerPrefix: Matcher = (text, offset, tokens) => {
  if (!onlyAfterPrefixes(tokens)) return null;
  const rest = scanLevelLogger(text, offset, false);
  if (!rest) return null;
  if (rest.context === undefined && !rest.logger.includes('.')) return null;
  return result(text, offset, rest.end, {
    style: 'level-logger',
    level: rest.level,
    logger: rest.logger,
    ...(rest.context !== undefined ? { context: rest.context } : {}),
  });
};

/** Python's `logging.basicConfig` default: `DEBUG:keystoneauth.session:REQ: …`. */
export const matchPyLoggingPrefix: Matcher = (text, offset, tokens) => {
  if (!onlyAfterPrefixes(tokens)) return null;
  const levelEnd = scanWhile(text, offset, (c) => c >= 65 && c <= 90);
  if (!LEVELS.has(text.slice(offset, levelEnd)) || text.charCodeAt(levelEnd) !== 58) return null;
  const loggerEnd = scanWhile(text, levelEnd + 1, isLoggerChar);
  if (loggerEnd === levelEnd + 1 || text.charCodeAt(loggerEnd) !== 58) return null;
  return result(text, offset, loggerEnd + 1, {
    style: 'py-logging',
    level: text.slice(offset, levelEnd),
    logger: text.slice(levelEnd + 1, loggerEnd),
  });
};

/**
 * OSC before osc-lib and neutronclient's debug format `%(levelname)s: %(name)s %(message)s`:
 * `DEBUG: keystoneclient.session REQ: curl -i …`. The logger must be dotted.
 */
export const matchLevelColonLoggerPrefix: Matcher = (text, offset, tokens) => {
  if (!onlyAfterPrefixes(tokens)) return null;
  const levelEnd = scanWhile(text, offset, (c) => c >= 65 && c <= 90);
  if (!LEVELS.has(text.slice(offset, levelEnd)) || !text.startsWith(': ', levelEnd)) return null;
  const loggerEnd = scanWhile(text, levelEnd + 2, isLoggerChar);
  const logger = text.slice(levelEnd + 2, loggerEnd);
  if (!logger.includes('.') || logger.endsWith('.') || !isSpace(text.charCodeAt(loggerEnd))) return null;
  return result(text, offset, loggerEnd + 1, {
    style: 'level-colon-logger',
    level: text.slice(offset, levelEnd),
    logger,
  });
};

/** Old clients' `%(levelname)s (%(module)s:%(lineno)d) %(message)s`: `DEBUG (connectionpool:330) …`. */
export const matchModuleLinenoPrefix: Matcher = (text, offset, tokens) => {
  if (!onlyAfterPrefixes(tokens)) return null;
  const levelEnd = scanWhile(text, offset, (c) => c >= 65 && c <= 90);
  if (!LEVELS.has(text.slice(offset, levelEnd)) || !text.startsWith(' (', levelEnd)) return null;
  const modEnd = scanWhile(text, levelEnd + 2, isLoggerChar);
  if (text.charCodeAt(modEnd) !== 58) return null;
  const lineEnd = scanWhile(text, modEnd + 1, isDigit);
  if (lineEnd === modEnd + 1 || !text.startsWith(') ', lineEnd)) return null;
  return result(text, offset, lineEnd + 2, {
    style: 'module-lineno',
    level: text.slice(offset, levelEnd),
    logger: text.slice(levelEnd + 2, modEnd),
  });
};

/** Keywords that may follow a bare logger name (`keystoneauth.session  REQ: …`). */
const AFTER_BARE_LOGGER = [
  'REQ:',
  'RESP:',
  'RESP BODY:',
  'Making authentication request',
  'Starting new HTTP',
  'Resetting dropped connection',
  'START with options',
  'END return value',
  'clean_up ',
  'run(',
  'command: ',
  'http://',
  'https://',
  'GET call',
  'POST call',
  'PUT call',
  'DELETE call',
  'PATCH call',
  'HEAD call',
  '{"token"',
];

/** A dotted logger name with the timestamp stripped: `keystoneauth.session  REQ: …`. */
export const matchLoggerOnlyPrefix: Matcher = (text, offset, tokens) => {
  if (!onlyAfterPrefixes(tokens)) return null;
  const c0 = text.charCodeAt(offset);
  if (!(c0 >= 97 && c0 <= 122)) return null;
  const end = scanWhile(text, offset, isLoggerChar);
  const logger = text.slice(offset, end);
  if (!logger.includes('.') || logger.endsWith('.') || !isSpace(text.charCodeAt(end))) return null;
  const msg = scanWhile(text, end, isSpace);
  // Two or more spaces after a dotted name is the column gap of a cut log; one space needs a known record.
  if (msg - end < 2 && !AFTER_BARE_LOGGER.some((k) => text.startsWith(k, msg))) return null;
  if (msg >= text.length) return null;
  return result(text, offset, msg, { style: 'logger-only', logger });
};

/**
 * `%(asctime)s %(name)s  %(message)s`, the format keystoneauth's own documentation logs its
 * split loggers with: `2017-09-19 22:10:09,751 keystoneauth.session.response    [200] …`. Only
 * the time, and only where a dotted logger follows as matchLoggerOnlyPrefix takes it (two
 * spaces after it, or one before a known record): that prefix is read next, stacked.
 */
export const matchAsctimePrefix: Matcher = (text, offset, tokens) => {
  if (!onlyAfterPrefixes(tokens)) return null;
  const tsEnd = scanIsoTimestamp(text, offset);
  if (tsEnd < 0 || text.charCodeAt(tsEnd) !== 32) return null;
  if (matchLoggerOnlyPrefix(text, tsEnd + 1, []) === null) return null;
  return result(text, offset, tsEnd + 1, { style: 'logger-only', timestamp: text.slice(offset, tsEnd) });
};

/**
 * The python-logging default of 2012–2013 services (openstack-common before oslo.log),
 * `%(asctime)s %(levelname)8s [%(name)s] %(message)s`:
 * `2013-08-08 00:08:05     INFO [cinder.api.openstack.wsgi] GET http://…/volumes/detail`.
 * No pid, the level padded to eight columns, the logger in brackets.
 */
export const matchBracketLoggerPrefix: Matcher = (text, offset, tokens) => {
  if (!onlyAfterPrefixes(tokens)) return null;
  const tsEnd = scanIsoTimestamp(text, offset);
  if (tsEnd < 0 || !isSpace(text.charCodeAt(tsEnd))) return null;
  const levelStart = scanWhile(text, tsEnd, isSpace);
  const levelEnd = scanWhile(text, levelStart, (c) => c >= 65 && c <= 90);
  const level = text.slice(levelStart, levelEnd);
  if (!LEVELS.has(level) || !text.startsWith(' [', levelEnd)) return null;
  const loggerEnd = scanWhile(text, levelEnd + 2, isLoggerChar);
  if (loggerEnd === levelEnd + 2 || text.charCodeAt(loggerEnd) !== 93 /* ] */) return null;
  let end = loggerEnd + 1;
  if (isSpace(text.charCodeAt(end))) end++;
  return result(text, offset, end, {
    style: 'bracket-logger',
    timestamp: text.slice(offset, tsEnd),
    level,
    logger: text.slice(levelEnd + 2, loggerEnd),
  });
};

const MONTH_NUMBERS: Record<string, string> = {
  Jan: '01',
  Feb: '02',
  Mar: '03',
  Apr: '04',
  May: '05',
  Jun: '06',
  Jul: '07',
  Aug: '08',
  Sep: '09',
  Oct: '10',
  Nov: '11',
  Dec: '12',
};
const WEEKDAYS = new Set(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);

/**
 * Apache's error log, where mod_wsgi puts what Horizon and its clients write to stderr:
 * 2.2 `[Tue Mar 05 10:11:12 2013] [error] `, 2.4 `[Tue Mar 05 10:11:12.123456 2019] [wsgi:error]
 * [pid 12:tid 34] [remote 10.0.0.1:5678] ` (`[client …]` before 2.4.x). The timestamp is
 * given back as `YYYY-MM-DD HH:MM:SS[.ffffff]`; Apache's level says nothing of the record's.
 */
export const matchApacheErrorPrefix: Matcher = (text, offset, tokens) => {
  if (text.charCodeAt(offset) !== 91 /* [ */ || !onlyAfterPrefixes(tokens)) return null;
  if (!WEEKDAYS.has(text.slice(offset + 1, offset + 4)) || text.charCodeAt(offset + 4) !== 32) return null;
  const month = MONTH_NUMBERS[text.slice(offset + 5, offset + 8)];
  if (month === undefined || text.charCodeAt(offset + 8) !== 32) return null;
  let i = scanWhile(text, offset + 9, isSpace);
  const dayEnd = scanWhile(text, i, isDigit);
  if (dayEnd === i || dayEnd - i > 2 || text.charCodeAt(dayEnd) !== 32) return null;
  const day = text.slice(i, dayEnd).padStart(2, '0');
  i = dayEnd + 1;
  for (let k = 0; k < 8; k++) {
    const c = text.charCodeAt(i + k);
    if (k === 2 || k === 5 ? c !== 58 : !isDigit(c)) return null;
  }
  const time = text.slice(i, i + 8);
  let j = i + 8;
  let fraction = '';
  if (text.charCodeAt(j) === 46) {
    const f = scanWhile(text, j + 1, isDigit);
    fraction = text.slice(j, f);
    j = f;
  }
  if (text.charCodeAt(j) !== 32) return null;
  const yearEnd = scanWhile(text, j + 1, isDigit);
  if (yearEnd - (j + 1) !== 4 || !text.startsWith('] [', yearEnd)) return null;
  const levelClose = text.indexOf(']', yearEnd + 3);
  if (levelClose < 0 || levelClose - yearEnd > 40) return null;
  let end = levelClose + 1;
  let pid: number | undefined;
  // `[pid N]`, `[pid N:tid M]`, `[client ip:port]`, `[remote ip:port]`, in this order when present.
  for (const tag of ['[pid ', '[client ', '[remote ']) {
    if (!text.startsWith(` ${tag}`, end)) continue;
    const close = text.indexOf(']', end + 1);
    if (close < 0 || close - end > 64) break;
    if (tag === '[pid ') pid = Number.parseInt(text.slice(end + 6, close), 10);
    end = close + 1;
  }
  if (text.charCodeAt(end) === 32) end++;
  return result(text, offset, end, {
    style: 'apache-error',
    timestamp: `${text.slice(j + 1, yearEnd)}-${month}-${day} ${time}${fraction}`,
    ...(pid !== undefined && Number.isFinite(pid) ? { pid } : {}),
  });
};
