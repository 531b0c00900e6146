// What the parser makes of one physical line, shared by every stage: records are plain
// data (the assembler pairs them into exchanges and commands, and nothing downstream
// re-reads text). The lexer's payload types live here too, since records carry them.
import type { ServerFault } from '../model/schema.js';

/** The fields of a line's prefix (oslo.log, journald, Zuul, python logging…). */
export interface PrefixFields {
  style:
    | 'oslo'
    | 'journal'
    | 'zuul'
    | 'level-logger'
    | 'level-colon-logger'
    | 'py-logging'
    | 'module-lineno'
    | 'logger-only'
    | 'bracket-logger'
    | 'apache-error'
    /** A user's own prefix, learnt from a record marker behind it (src/parse/learned.ts). */
    | 'learned';
  /** Timestamp as written (no year for journald). */
  timestamp?: string;
  pid?: number;
  level?: string;
  logger?: string;
  /** Raw text between the brackets of an oslo.log / osc `--log-file` context. */
  context?: string;
  host?: string;
  /** journald identifier, e.g. `devstack@n-cpu.service` or `nova-compute`; Pebble's service name (`wsgi-nova-api`). */
  unit?: string;
  /** The prefix is Pebble's (Canonical's rocks): `unit` names a service Pebble runs, `pebble` Pebble itself. */
  pebble?: true;
  node?: string;
}

/** urllib3's response line. */
export interface Urllib3Payload {
  scheme: string | null;
  host: string | null;
  port: number | null;
  method: string;
  target: string;
  httpVersion: string;
  status: number;
  length: number | null;
}

/** `GET call to compute for http://… used request id req-…`. */
export interface RequestIdPayload {
  method: string;
  service: string | null;
  url: string;
  requestId: string;
}

/** `Starting new HTTP connection (1): host:port`, `Resetting dropped connection: host`. */
export interface ConnectionPayload {
  event: 'new' | 'reset';
  scheme: string | null;
  number: number | null;
  host: string;
  port: number | null;
}

/** An API service's access line (nova requestlog, eventlet, uwsgi, cinder-api). */
export interface AccessPayload {
  style: 'nova-requestlog' | 'eventlet' | 'apache' | 'uwsgi' | 'cinder-request' | 'cinder-returned';
  method: string | null;
  /** Path with query, or the full URL for cinder lines. */
  target: string;
  status: number | null;
  length: number | null;
  microversion: string | null;
  /** Server-side time in milliseconds. */
  timeMs: number | null;
  client: string | null;
}

export type Header = [name: string, value: string];

interface Base {
  /** The line's prefix fields, when it had any (timestamp, level, logger, context…). */
  prefix?: PrefixFields;
}

export type LineRecord = Base &
  (
    | {
        kind: 'req';
        method: string | null;
        url: string | null;
        quotedUrl: boolean;
        headers: Header[];
        body: string | null;
        bodyTruncated: boolean;
        tls: 'insecure' | 'cacert' | null;
        style: 'ksa' | 'legacy-url-first' | 'glued' | 'bytes' | 'split';
      }
    | { kind: 'resp'; status: number | null; headers: Header[]; headerStyle: 'ksa' | 'dict'; body: string | null }
    | { kind: 'resp-body'; text: string; omittedContentType: string | null }
    | ({ kind: 'urllib3' } & Urllib3Payload)
    | ({ kind: 'connection' } & ConnectionPayload)
    | { kind: 'request-id'; method: string; service: string | null; url: string; requestId: string }
    | { kind: 'auth-request'; url: string }
    | { kind: 'json'; text: string }
    | { kind: 'start'; argv: string[] }
    | { kind: 'command'; name: string; className: string | null; auth: boolean | null }
    | { kind: 'run'; text: string }
    | { kind: 'clean-up'; className: string; error: string }
    | { kind: 'end'; exitCode: number | null }
    | { kind: 'failure-status'; status: number | null }
    | { kind: 'retry'; reason: string; delaySeconds: number | null; retriesLeft: number | null; status: number | null }
    | { kind: 'redirect'; text: string }
    | { kind: 'traceback-start' }
    | { kind: 'traceback-frame'; text: string }
    /**
     * A client's error line; no request id (null) when it gave none (osc's `Error while executing
     * command: …`). `endsRun`: the client exits after it (a legacy client's `ERROR (…): …`).
     */
    | {
        kind: 'client-error';
        message: string;
        status: number | null;
        requestId: string | null;
        endsRun?: boolean;
        /** osc's own line (`Error while executing command: …`, `ERROR: openstack …`): no other client's run. */
        osc?: true;
        /** The program's exit status, when its line tells it (argparse's `prog: error: …` exits 2). */
        exitCode?: number;
        /** argparse's `prog: error: …`: the command line was refused before the command ran. */
        argparse?: true;
        /** The URL the error names (openstacksdk's `… Error for url: URL, …`); the method is not told. */
        url?: string;
      }
    /** nova's fault of a server as osc prints it (`server show -f value -c fault`): its code, message and created. */
    | ({ kind: 'server-fault' } & ServerFault)
    /** argparse's usage of a client's command: the program and the command's words (`security group rule create`). */
    | { kind: 'usage'; program: string; command: string }
    | {
        kind: 'osc';
        what: 'options' | 'auth-plugin' | 'using-auth-plugin' | 'using-parameters' | 'get-auth-ref' | 'info';
        text: string;
      }
    | ({ kind: 'access' } & AccessPayload)
    | { kind: 'table-border' }
    | { kind: 'table-row'; cells: string[] }
    | { kind: 'blank' }
    /** Indented text: a continuation of the previous record (traceback code, wrapped body). */
    | { kind: 'indented'; text: string }
    /** Free text after a recognized prefix: a service log message. */
    | { kind: 'message'; text: string }
    /** Paste markup alone on its line: a code fence, `<pre>`, `</code>`. */
    | { kind: 'markup'; text: string }
    /** A pasted shell prompt and the command typed: `$ openstack --debug server list`. */
    | { kind: 'shell'; text: string }
    /** A line ostrace could not classify: counted and kept with its line number. */
    | { kind: 'unrecognized'; text: string }
    /** python http.client's `send:` (a request's head, or a body sent after it): `debuglevel` 1. */
    | {
        kind: 'wire-send';
        method: string | null;
        target: string | null;
        host: string | null;
        headers: Header[];
        body: string | null;
      }
    /** http.client's `reply: 'HTTP/1.1 200 OK\r\n'`. */
    | { kind: 'wire-reply'; status: number; reason: string }
    /** http.client's `header: Name: value`, one per response header. */
    | { kind: 'wire-header'; name: string; value: string }
  );

export type LineKind = LineRecord['kind'];

/** What the stages need to know of a record kind. */
export interface KindTraits {
  /** Begins a record of its own: indented (a markdown code block), it is a pasted line, not a continuation. */
  opens: boolean;
  /** Only clients write it (keystoneauth, osc, urllib3): a journald entry of this kind is a client line. */
  client: boolean;
  /** Without a prefix it can be the next physical line of a service record (a traceback, a wrapped message). */
  continues: boolean;
}

/** Every record kind, once: a kind added to LineRecord without its row here fails to compile. */
export const LINE_KINDS: Readonly<Record<LineKind, KindTraits>> = {
  req: { opens: true, client: true, continues: false },
  resp: { opens: true, client: true, continues: false },
  'resp-body': { opens: true, client: true, continues: false },
  urllib3: { opens: true, client: true, continues: false },
  connection: { opens: true, client: true, continues: false },
  'request-id': { opens: true, client: true, continues: false },
  'auth-request': { opens: true, client: true, continues: false },
  json: { opens: false, client: false, continues: true },
  start: { opens: true, client: true, continues: false },
  command: { opens: true, client: true, continues: false },
  run: { opens: true, client: true, continues: false },
  'clean-up': { opens: true, client: true, continues: false },
  end: { opens: true, client: true, continues: false },
  'failure-status': { opens: true, client: true, continues: false },
  retry: { opens: true, client: true, continues: false },
  redirect: { opens: false, client: true, continues: false },
  'traceback-start': { opens: true, client: false, continues: true },
  'traceback-frame': { opens: false, client: false, continues: true },
  'client-error': { opens: false, client: true, continues: false },
  usage: { opens: true, client: true, continues: false },
  'server-fault': { opens: false, client: true, continues: false },
  osc: { opens: true, client: true, continues: false },
  access: { opens: false, client: false, continues: false },
  'table-border': { opens: false, client: true, continues: false },
  'table-row': { opens: false, client: true, continues: false },
  blank: { opens: false, client: false, continues: true },
  indented: { opens: false, client: false, continues: true },
  message: { opens: false, client: false, continues: true },
  markup: { opens: false, client: false, continues: false },
  shell: { opens: false, client: false, continues: false },
  unrecognized: { opens: false, client: false, continues: true },
  'wire-send': { opens: true, client: true, continues: false },
  'wire-reply': { opens: true, client: true, continues: false },
  'wire-header': { opens: true, client: true, continues: false },
};

/** The kinds that have a trait, as a set for the hot paths. */
export function kindsWith(trait: keyof KindTraits): ReadonlySet<LineKind> {
  return new Set((Object.keys(LINE_KINDS) as LineKind[]).filter((k) => LINE_KINDS[k][trait]));
}

/** For a switch over record kinds that must handle them all: `default: return unhandledKind(record)`. */
export function unhandledKind(record: never): never {
  throw new Error(`unhandled record kind: ${(record as { kind: string }).kind}`);
}
