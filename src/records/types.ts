// What the parser makes of one physical line. Records are plain data: the chain
// stage pairs them into exchanges and commands, and nothing downstream re-reads text.
import type { PrefixFields } from '../lex/prefixes.js';
import type { AccessPayload, ConnectionPayload, Urllib3Payload } from '../lex/matchers.js';

export type { PrefixFields, AccessPayload, ConnectionPayload, Urllib3Payload };

export interface OsloContext {
  /** The global request id, or null where the log prints `None`/nothing. */
  globalRequestId: string | null;
  requestId: string | null;
  /** The identity words after the ids (user/project ids, or devstack's names). */
  identity: string[];
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
    | { kind: 'client-error'; message: string; status: number | null; requestId: string }
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
  );

export type LineKind = LineRecord['kind'];

/** A record with where it came from. */
export type Located<T = LineRecord> = T & { source: string; line: number };
