// The ERROR and CRITICAL records of one service log, one per kind: a bug report's
// paste is often nothing but such a record and its traceback, and a day's log repeats
// the same one for every request. A kind is the service, the logger and the message
// with its ids and numbers blanked; the first record of a kind is kept, with the
// exception its traceback ended with, and the others are counted.
import type { ServiceError } from '../model/service-schema.js';
import { maskText } from '../secrets/mask.js';
import { own } from '../chain/own.js';

const MAX_MESSAGE = 500;
/** Kinds one input holds at once; past that the map starts afresh (a kind may then be told twice). */
const MAX_KINDS = 2_000;
/** Recent request ids whose records named a volume or server; the oldest is forgotten past this. */
const MAX_NAMED_REQUESTS = 4_096;

/** What the records of one request named: a volume and a server, or that two different ones were named. */
interface Named {
  volume: string | null;
  instance: string | null;
  /** Two different ones: which the operation is about would be a guess. */
  volumes: boolean;
  instances: boolean;
}

/** The resource UUIDs a record names: its `[instance: …]` server, the volume its marker or its words name. */
export interface RecordNames {
  volume: string | null;
  instance: string | null;
}

/** `volume V`, `Volume V:`, `volume volume-V` (cinder's backend name): a UUID the words say is a volume. */
const VOLUME_WORDS = /\b[Vv]olume[: ]+(?:volume-)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/;

/** The volume a message's words name, or null. */
export function volumeNamed(message: string): string | null {
  return VOLUME_WORDS.exec(message.length > 4000 ? message.slice(0, 4000) : message)?.[1] ?? null;
}

/** The error record a line belongs to, while its traceback is read. */
export interface OpenError {
  error: ServiceError;
  /** The first record of its kind: only its traceback is read. */
  first: boolean;
  inTraceback: boolean;
}

/**
 * `keystoneauth1.exceptions.connection.ConnectFailure: Unable …`, `MessagingTimeout: …`,
 * `_queue.Empty`: a dotted name ending in a class name, then `: ` or nothing.
 */
const EXCEPTION_LINE = /^(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?::\s|:?$)/;
/** Class names that are exceptions by name (a message `Command: sudo …` is not one). */
const EXCEPTION_NAME = /(?:Error|Exception|Failure|Fault|Timeout|Empty|NotFound|Invalid\w*|Exit|Interrupt|Refused)$/;

/**
 * A frame of a worker's manager in a volume operation's method: what a traceback cut before its
 * exception (or after its record's message) still tells of the operation.
 */
const OPERATION_FRAME = /\/(nova\/compute|cinder\/volume)\/manager\.py", line \d+, in (\w+)$/;
const OPERATION_METHODS = new Set([
  'attach_volume',
  'detach_volume',
  'swap_volume',
  'extend_volume',
  'initialize_connection',
  'terminate_connection',
  'attachment_update',
  'attachment_delete',
]);

/** `nova.compute.manager.attach_volume` for a frame of that method, else null. */
function operationOfFrame(text: string): string | null {
  const m = OPERATION_FRAME.exec(text.trimEnd());
  const method = m?.[2]?.replace(/^_/, '');
  return m && method && OPERATION_METHODS.has(method) ? `${m[1]!.replace('/', '.')}.manager.${method}` : null;
}

/** A traceback frame's line from the file name's end on: `….py", line 142, in _dispatch`. */
const FRAME_TAIL = /^[^\s"]*", line \d+, in /;

/** The exception class line a message is, or null. */
export function exceptionLine(message: string): string | null {
  const m = EXCEPTION_LINE.exec(message);
  if (!m) return null;
  const name = m[0].replace(/[:\s]+$/, '');
  const cls = name.slice(name.lastIndexOf('.') + 1);
  return EXCEPTION_NAME.test(cls) || name.includes('.') ? message : null;
}

/** The message with its ids, hex strings and numbers blanked: what records of one kind share. */
function kindOf(message: string): string {
  return message
    .replace(/\b(?:req-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '#')
    .replace(/\b[0-9a-f]*\d[0-9a-f]*\b/gi, '#');
}

function cut(text: string): string {
  return maskText(text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text);
}

export class ErrorRecords {
  private readonly kinds = new Map<string, ServiceError>();
  private readonly done: ServiceError[] = [];
  /** The volume and server each recent request's records named, by request id. */
  private readonly named = new Map<string, Named>();
  /** The first records of their kinds, by request id: later records of the request may name their volume and server. */
  private readonly firstsByRequest = new Map<string, ServiceError[]>();

  constructor(private readonly source: string) {}

  /** A new ERROR or CRITICAL record. */
  open(record: {
    line: number;
    service: string | null;
    timestamp: string | null;
    level: 'ERROR' | 'CRITICAL';
    logger: string | null;
    requestId: string | null;
    globalRequestId: string | null;
    message: string;
  }): OpenError {
    const firstLine = record.message.split('\n', 1)[0]!.trimEnd();
    const key = `${record.service ?? ''}\0${record.logger ?? ''}\0${kindOf(firstLine)}`;
    const known = this.kinds.get(key);
    if (known) {
      known.count++;
      known.lastLine = record.line;
      return { error: known, first: false, inTraceback: false };
    }
    if (this.kinds.size >= MAX_KINDS) this.flush();
    const error: ServiceError = {
      source: this.source,
      line: record.line,
      endLine: record.line,
      service: own(record.service),
      timestamp: own(record.timestamp),
      level: record.level,
      logger: own(record.logger),
      requestId: own(record.requestId),
      globalRequestId: own(record.globalRequestId),
      message: own(cut(firstLine)),
      exception: exceptionLine(firstLine) === null ? null : own(cut(firstLine)),
      count: 1,
      lastLine: record.line,
    };
    this.kinds.set(key, error);
    if (error.requestId !== null) {
      const firsts = this.firstsByRequest.get(error.requestId);
      if (firsts) firsts.push(error);
      else this.firstsByRequest.set(error.requestId, [error]);
      this.nameFrom(error, this.named.get(error.requestId));
    }
    const method = operationOfFrame(firstLine);
    if (method !== null) error.method = own(method);
    // A paste cut inside a traceback opens the record on a frame, or on a frame's indented source
    // line (`    nwinfo = self.network_api.allocate_for_instance(`, Python 3.11's `^^^^` under it):
    // the traceback is under way.
    return { error, first: true, inTraceback: /^(?:File "[^"]+", line \d+, in |\s+\S)/.test(firstLine) };
  }

  /** A line of an open record (its traceback, a wrapped message); `text` is its message part, when known. */
  continued(open: OpenError, line: number, text: string | null): void {
    if (!open.first) return;
    open.error.endLine = Math.max(open.error.endLine, line);
    if (text === null) return;
    const message = text.trimEnd();
    if (open.error.method === undefined) {
      const method = operationOfFrame(message);
      if (method !== null) open.error.method = own(method);
    }
    if (message.startsWith('Traceback (most recent call last):')) open.inTraceback = true;
    else if (
      open.inTraceback &&
      message !== '' &&
      !/^\s/.test(message) &&
      !message.startsWith('During handling') &&
      // The rest of a frame's line a paste wrapped (`her.py", line 142, in _dispatch_and_reply`).
      !FRAME_TAIL.test(message)
    )
      // The last unindented line of a traceback is its exception (a chained one ends with the last).
      if (!message.startsWith('The above exception')) open.error.exception = own(cut(message));
  }

  /**
   * A record of a request (an error's or any other) named a volume or a server: the first error
   * records of that request take them, unless the request names two different ones.
   */
  nameRequest(requestId: string, names: RecordNames): void {
    if (names.volume === null && names.instance === null) return;
    let n = this.named.get(requestId);
    if (n === undefined) {
      if (this.named.size >= MAX_NAMED_REQUESTS) this.named.delete(this.named.keys().next().value!);
      n = { volume: null, instance: null, volumes: false, instances: false };
      this.named.set(own(requestId), n);
    }
    if (names.volume !== null) {
      if (n.volume === null) n.volume = own(names.volume);
      else if (n.volume !== names.volume) n.volumes = true;
    }
    if (names.instance !== null) {
      if (n.instance === null) n.instance = own(names.instance);
      else if (n.instance !== names.instance) n.instances = true;
    }
    for (const e of this.firstsByRequest.get(requestId) ?? []) this.nameFrom(e, n);
  }

  private nameFrom(e: ServiceError, n: Named | undefined): void {
    if (n === undefined) return;
    e.volume = n.volumes ? null : n.volume;
    e.instance = n.instances ? null : n.instance;
  }

  /** Every kind of the input, in line order, with the service the input was labelled with where a line had none. */
  end(label: string | null): ServiceError[] {
    this.flush();
    for (const e of this.done) e.service ??= label;
    return this.done.sort((a, b) => a.line - b.line);
  }

  private flush(): void {
    for (const e of this.kinds.values()) {
      // The operation's volume and server go with the method its traceback went through (null: not named).
      if (e.method === undefined) {
        delete e.volume;
        delete e.instance;
      } else {
        e.volume ??= null;
        e.instance ??= null;
      }
      this.done.push(e);
    }
    this.kinds.clear();
    this.firstsByRequest.clear();
  }
}
