// Which stage takes a record: the client Assembler (openstack --debug, client
// --log-file) or the ServiceCollector (oslo.log / devstack / journald service
// lines, API access lines). Decided per line, so a mixed input (a Zuul job
// output, a whole journal) still works; unprefixed lines follow their record.
import { kindsWith, type LineRecord } from '../core/records.js';
import { tracedWithSource } from '../core/xtrace.js';
import { opensWithTimestamp } from '../lex/prefixes.js';
import { isClientLogger, labelFromLogger, labelFromPrefix } from './labels.js';

export type Route =
  | 'client'
  | 'service'
  | 'service-continuation'
  | 'python-warning'
  | 'uwsgi-diagnostic'
  /** Pebble's own line (Canonical's rocks): its daemon's messages and its API's access log. */
  | 'pebble';

/** Record kinds that only the client side writes. */
const CLIENT_KINDS = kindsWith('client');

/** Kinds an unprefixed continuation line of a service record can have. */
const CONTINUATION_KINDS = kindsWith('continues');

export interface RouteState {
  /** Where the last prefixed record went. */
  last: 'client' | 'service' | null;
  /** The last service record was an access line (those never continue). */
  lastWasAccess: boolean;
  /**
   * journald identifier and pid of the last prefixed record, when the caller tracks
   * them. journald stores each physical line of a record as its own entry (reference
   * §B5): an entry of the same process with neither level nor logger continues that
   * record, on whichever side it went (a keystoneauth `RESP BODY:` in a service's
   * journal is a client record whose body goes on over the next entries).
   */
  lastJournal?: { unit: string; pid: number | undefined } | null;
  /**
   * The last service record was read from entries (journald's, Pebble's), each line of it an
   * entry with its own prefix (reference §B5); `ended` once a blank line came after it.
   */
  entries?: boolean;
  ended?: boolean;
  /** The last line was a Python warning: the indented line under it is the source line it quotes. */
  warned?: boolean;
  /**
   * The last line continued a service record and was blank: a sentence of the writer's after it
   * (a mail's closing words, a bug report's `Expected result:`) is not the record's.
   */
  afterBlank?: boolean;
}

export function routeRecord(record: LineRecord, state: RouteState): Route {
  if (record.kind === 'access') return 'service';
  const p = record.prefix;
  if (!p) {
    if (record.kind === 'indented' && state.warned === true) return 'python-warning';
    if (record.kind === 'unrecognized') {
      if (isPythonWarning(record.text)) return 'python-warning';
      if (UWSGI_DIAGNOSTIC.test(record.text)) return 'uwsgi-diagnostic';
    }
    // A line with a timestamp of its own is another program's (libvirtd's lines pasted under a
    // nova-compute traceback): it ends the record before it. So do a mail's signature separator,
    // after a blank line the writer's own sentence, and a script's traced line (endsText).
    // A record read from entries goes on only over its own entries, prefixed, or over the
    // lines a paste wrapped it on: a blank line ends it, and the unprefixed lines after that
    // are not its (the URL of libvirtd's log a bug report quotes under nova-compute's journal).
    if (
      state.last === 'service' &&
      !state.lastWasAccess &&
      CONTINUATION_KINDS.has(record.kind) &&
      !(record.kind === 'unrecognized' && (opensWithTimestamp(record.text) || endsText(record.text, state))) &&
      !(state.entries === true && (record.kind === 'blank' || state.ended === true))
    )
      return 'service-continuation';
    return 'client';
  }
  // `2025-05-14T07:09:39.570Z [pebble] GET /v1/files?action=read&path=… 11.169403ms 200`: Pebble,
  // the service manager of a rock, logs its own work and each call made to its API (a charm's,
  // a health check's) under its own name. No OpenStack service's line, and no OpenStack call.
  if (p.unit === 'pebble') return 'pebble';
  if (
    p.style === 'journal' &&
    !p.logger &&
    !p.level &&
    state.last !== null &&
    state.lastJournal &&
    state.lastJournal.unit === p.unit &&
    state.lastJournal.pid === p.pid
  )
    return state.last;
  if (p.logger) {
    if (isClientLogger(p.logger)) return 'client';
    // A service logger is a service line whatever its message looks like.
    if (p.style === 'oslo' || p.style === 'level-logger' || p.style === 'journal' || p.style === 'bracket-logger')
      return 'service';
    // A cut log with only the loggers left (`nova.virt.block_device  [instance: …] …`): a logger
    // that names a service is that service's line.
    if (p.style === 'logger-only' && labelFromLogger(p.logger) !== null) return 'service';
    return 'client';
  }
  // A journal entry of a unit known as a service, any line of a service Pebble runs (it prefixes
  // nothing else): the service's, unless the record is a client's (keystoneauth's REQ in it).
  if ((p.style === 'journal' || p.pebble === true) && !CLIENT_KINDS.has(record.kind) && labelFromPrefix(p) !== null)
    return 'service';
  return 'client';
}

/**
 * A mail's signature separator, `-- ` alone on its line (RFC 3676 §4.3): the footer under it
 * (a list's "You received this message because…") is the mail's, never a log record's.
 */
const SIGNATURE_SEPARATOR = '-- ';

/**
 * A writer's sentence: a capitalised word (`Could`, `I`, `Thanks,`), then at least one more word,
 * words only — letters, an apostrophe or a hyphen inside, in quotes or parentheses, a comma,
 * semicolon or colon after — ending with `.`, `?`, `!`, `:` or nothing. A traceback's own
 * sentences (`During handling of the above exception…`) are traceback lines, never this; an
 * exception line starts with its class and a colon (`VolumeBackendAPIException: Bad …`), a
 * record's text carries names, numbers and paths.
 */
const SENTENCE = /^[A-Z][a-z]*(?:['’][a-z]+)?,?(?: ["'(]?[A-Za-z]+(?:['’-][A-Za-z]+)*["')]?[,;:]?)+[.?!:]?$/;

/**
 * Unprefixed text that is not the service record's: the signature separator, or a sentence right
 * after a blank line (open-iscsi-mail-multipart's "Could you please advise further on this."
 * under nova-compute's last record, line 258). A record's text goes on across blank lines
 * (chained tracebacks, an exception line after a blank one) but is not written as prose.
 */
function endsText(text: string, state: RouteState): boolean {
  return (
    text === SIGNATURE_SEPARATOR ||
    (state.afterBlank === true && SENTENCE.test(text)) ||
    // stack.sh's next traced command under a service's output in its console (keystone-manage bootstrap's INFO lines).
    tracedWithSource(text)
  );
}

/**
 * Python's `warnings` output on a service's stderr: `/path/x.py:101: DeprecationWarning: text`
 * (the source line after it is indented). Scanned forward once.
 */
/**
 * uwsgi's own diagnostics in its log: a ctime, ` - `, then the message, e.g.
 * `Fri Dec  4 23:24:08 2026 - SIGPIPE: writing to a closed pipe/socket/fd (probably the client
 * disconnected) on request /v2.1/servers/srv-06 (ip 127.0.0.1) !!!` (samples/minicloud/06).
 */
const UWSGI_DIAGNOSTIC = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4} - \S/;

export function isPythonWarning(text: string): boolean {
  const py = text.indexOf('.py:');
  const space = text.indexOf(' ');
  if (py < 0 || (space >= 0 && space < py)) return false;
  let i = py + 4;
  const digits = i;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === digits || !text.startsWith(': ', i)) return false;
  const colon = text.indexOf(': ', i + 2);
  if (colon < 0) return false;
  const category = text.slice(i + 2, colon);
  return category.endsWith('Warning') && !category.includes(' ');
}
