// What the assembler's state machines share: the exchange being read (Draft), the
// command it belongs to (CommandDraft), where finished work goes, and which record
// an unprefixed line continues.
import type { ExchangeDetail } from '../../core/analysis.js';
import type { Header } from '../../core/records.js';
import type { Command, Exchange, ShownState } from '../../model/schema.js';

export interface AssemblerSink {
  exchange(exchange: Exchange, detail: ExchangeDetail): void;
  command(command: Command): void;
}

export interface IdSource {
  nextExchangeId(): number;
  nextCommandId(): number;
}

/** A finished exchange with what it carried, as handed to the sink. */
export type Finished = [Exchange, ExchangeDetail];

export interface Draft {
  id: number;
  line: number;
  endLine: number;
  kind: Exchange['kind'];
  method: string | null;
  url: string | null;
  requestHeaders: Header[];
  requestBody: string | null;
  urllib3Status: number | null;
  status: number | null;
  responseHeaders: Header[] | null;
  responseBody: string | null;
  hasResp: boolean;
  hasBody: boolean;
  requestIdFromLine: string | null;
  serviceHint: string | null;
  clientErrorRequestId: string | null;
  /** The client's error line's message (`… (HTTP 409) (Request-ID: …)`), for a response that showed none. */
  clientErrorMessage: string | null;
  startedMs: number | null;
  endedMs: number | null;
  /** One of its times has no fraction of a second: the two tell no duration. */
  wholeSeconds: boolean;
  /** The record that opened it (a count), and whether a later record gave it a time: one record is a moment. */
  startRecord: number;
  timedTwice: boolean;
  incompleteReason: string | null;
  resendOf: number | null;
  command: number | null;
  closed: boolean;
  /** Elapsed time from an osc `--timing` table row, when one matched. */
  tableMs: number | null;
  /**
   * Known only from keystoneauth's `… used request id …` line, written once the response
   * came: answered, with a status the log does not show (null, never guessed).
   */
  answeredUnseen?: boolean;
  /**
   * The exchange was seen on the wire (http.client's `send:`/`reply:` dump): the REQ, urllib3
   * and RESP lines of the same request, before or after it, are the same exchange.
   */
  wire?: { reqSeen: boolean; urllib3Seen: boolean };
}

export interface CommandDraft {
  id: number;
  line: number;
  endLine: number;
  argv: string[];
  name: string | null;
  className: string | null;
  exitCode: number | null;
  error: string | null;
  traceback: Command['traceback'];
  exchanges: Draft[];
  /**
   * A run seen without --debug (its prompt, or its error line alone): no `END return value`
   * will come, so its end (the next prompt, the end of input) leaves it complete.
   */
  plain: boolean;
  /** argparse refused its command line (`prog: error: …`): the command itself never ran. */
  usageError: boolean;
  /** The server's fault its output printed (`server show -c fault`, or the table's `fault` row). */
  fault: Command['fault'] | null;
  /** A plain run's printed status of each volume or server its table showed (shown-tables.ts). */
  shows?: ShownState[];
}

/**
 * Record kinds after which unprefixed, unrecognized lines are taken as continuation lines;
 * `foreign`: another program's dated line, whose lines under it (up to a blank line) are its
 * own, unrecognized with it; `usage`: argparse's usage, its options wrapped onto indented lines.
 */
export type Continuation =
  'resp-body' | 'message' | 'json' | 'traceback' | 'req-body' | 'error-text' | 'foreign' | 'usage' | null;
