// A collector's server-exchange drafts, held only while something in the log can still
// change them (an open cinder request, a request/returned pair waiting for its access
// line, the record being read). Then they are written out in line order (SpillList):
// a long service log's memory follows what is open, not its length. A draft still open
// long after (a request never `returned`) leaves a stub in its place and stays an
// object, so it blocks no other. End-of-input facts (the voted label, whether the log
// had DEBUG lines) are applied as the drafts are read back.
import { SpillList, type SpillListData } from '../rows/spill-list.js';
import type { AccessPayload } from '../core/records.js';

/** A server-side exchange before it gets its id (uwsgi lines are merged across inputs first). */
export interface ServerDraft {
  source: string;
  line: number;
  endLine: number;
  service: string | null;
  style: AccessPayload['style'];
  method: string | null;
  url: string;
  path: string | null;
  status: number | null;
  microversion: string | null;
  startMs: number | null;
  endMs: number | null;
  serverTimeMs: number | null;
  requestId: string | null;
  globalRequestId: string | null;
  complete: boolean;
  incompleteReason: string | null;
  error: string | null;
  /** First key of the request body, from the API's `Action: …, body: {…}` line (os-reserve, attachment…); undefined: the body was not seen (a log without DEBUG lines). */
  action: string | null | undefined;
  /**
   * Its log's times have no fraction of a second (python logging's 2013 default, syslog):
   * two of them tell no duration (a request and its answer a second apart took 0–2 s).
   */
  wholeSeconds?: boolean;
}

/**
 * A request line with no request id that a service's own line of the same request may stand
 * beside: uwsgi's, and Apache's access line next to nova's requestlog line (an Apache service
 * under Pebble logs both, samples/field/sunbeam-pebble-nova-api). It is folded into that
 * request where one is found near it (exchanges.ts), else it stays an exchange of its own.
 */
export function foldable(d: Pick<ServerDraft, 'style' | 'requestId'>): boolean {
  return d.style === 'uwsgi' || (d.style === 'apache' && d.requestId === null);
}

/** Drafts kept as objects past the newest before the oldest are let go (a batch). */
const RELEASE_AFTER = 128;
/**
 * Drafts waiting behind one still open before it is held aside as an object (a stub in its
 * place): more than a request/returned pair waits for its access line (the collector's 256).
 */
const WAIT_AT_MOST = 1024;
/** Drafts written out that a SpillList keeps in memory (it holds up to twice this). */
const KEEP_WRITTEN = 32;

/** In place of a draft that was still open when its turn to be written came. */
interface HeldStub {
  held: number;
}

/** How many drafts all stores hold as objects at once, at most: read by tests. */
export const draftStats = { peakInMemory: 0 };

export interface DraftRules {
  /** Something in the log may still change it (open request, pair, current record). */
  pinned(d: ServerDraft): boolean;
  /** Facts from lines seen so far that land on it once nothing changes it (error, action). */
  settle(d: ServerDraft): void;
}

/** After the input's end no draft changes, and each was settled. */
const ENDED: DraftRules = {
  pinned: () => false,
  settle: () => undefined,
};

/** An ended DraftStore as data for another thread of the process (`toData`, `DraftStore.fromData`). */
export interface DraftStoreData {
  rows: SpillListData<ServerDraft | HeldStub>;
  held: Array<[number, ServerDraft]>;
  uwsgi: number;
  total: number;
  ordered: boolean;
  label: string | null;
  sawDebug: boolean;
}

export class DraftStore {
  private readonly rows: SpillList<ServerDraft | HeldStub>;
  /** Not yet written, in line order: from `head` on. */
  private queue: ServerDraft[] = [];
  private head = 0;
  /** Stub number → the draft still open when its turn came. */
  private readonly held = new Map<number, ServerDraft>();
  /** Held drafts not settled yet. */
  private readonly unsettled = new Set<ServerDraft>();
  private uwsgi = 0;
  private total = 0;
  private lastLine = Number.NEGATIVE_INFINITY;
  private ordered = true;
  private label: string | null = null;
  private sawDebug = true;

  constructor(
    private rules: DraftRules,
    rows?: SpillList<ServerDraft | HeldStub>,
  ) {
    this.rows = rows ?? new SpillList({ keep: KEEP_WRITTEN, readChunk: 1 << 16 });
  }

  /** Foldable drafts among them (uwsgi's, Apache's: their lines are merged across inputs). */
  get uwsgiCount(): number {
    return this.uwsgi;
  }

  get length(): number {
    return this.total;
  }

  /** Drafts held as objects now. */
  get inMemory(): number {
    return this.queue.length - this.head + this.held.size + this.rows.inMemory;
  }

  /** Drafts still held that some record may change (request ids kept by the collector's maps). */
  get heldOpen(): ReadonlySet<ServerDraft> {
    return this.unsettled;
  }

  /** Made in the order of their lines (always, unless lines were taken out of order). */
  get inLineOrder(): boolean {
    return this.ordered;
  }

  add(d: ServerDraft): void {
    if (d.line < this.lastLine) this.ordered = false;
    this.lastLine = d.line;
    this.queue.push(d);
    this.total++;
    if (foldable(d)) this.uwsgi++;
    if (this.queue.length - this.head >= 2 * RELEASE_AFTER) this.release(this.queue.length - RELEASE_AFTER);
  }

  /** The input ended: every draft is final, the held ones settled with what the log told. */
  end(label: string | null, sawDebug: boolean): void {
    this.release(this.queue.length, true);
    for (const d of this.unsettled) this.rules.settle(d);
    this.unsettled.clear();
    // The rules are the collector's: they would keep all of its state (a request-id map and a
    // span table of the whole log) as long as the drafts wait for the run's end.
    this.rules = ENDED;
    this.label = label;
    this.sawDebug = sawDebug;
  }

  /** Each draft in line order with its input's end-of-input facts (after end()). */
  *[Symbol.iterator](): Generator<ServerDraft> {
    for (const row of this.rows) {
      const d = 'held' in row ? this.held.get(row.held)! : row;
      d.service ??= this.label;
      // Unknown stays unknown: a flow step may then take the call by method, path, order and status.
      if (d.action === null && !this.sawDebug && (d.method === 'POST' || d.method === 'PUT')) d.action = undefined;
      yield d;
    }
  }

  /** After end(): its drafts as data; this store is not read again. */
  toData(): DraftStoreData {
    return {
      rows: this.rows.toData(),
      held: [...this.held],
      uwsgi: this.uwsgi,
      total: this.total,
      ordered: this.ordered,
      label: this.label,
      sawDebug: this.sawDebug,
    };
  }

  /** The ended store `toData` described. */
  static fromData(data: DraftStoreData): DraftStore {
    const store = new DraftStore(ENDED, SpillList.fromData(data.rows));
    for (const [n, d] of data.held) store.held.set(n, d);
    store.uwsgi = data.uwsgi;
    store.total = data.total;
    store.ordered = data.ordered;
    store.label = data.label;
    store.sawDebug = data.sawDebug;
    return store;
  }

  dispose(): void {
    this.rows.dispose();
    this.held.clear();
  }

  /** Write out the queue's drafts before index `to` that nothing changes any more. */
  private release(to: number, atEnd = false): void {
    draftStats.peakInMemory = Math.max(draftStats.peakInMemory, this.inMemory);
    let i = this.head;
    for (; i < to; i++) {
      const d = this.queue[i]!;
      if (!atEnd && this.rules.pinned(d)) {
        // still open: the others wait behind it a while, in line order
        if (this.queue.length - i < WAIT_AT_MOST) break;
        const n = this.held.size;
        this.held.set(n, d);
        this.unsettled.add(d);
        this.rows.push({ held: n });
      } else {
        this.rules.settle(d);
        this.rows.push(d);
      }
    }
    this.head = i;
    if (this.head >= RELEASE_AFTER) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (atEnd) return;
    for (const d of this.unsettled)
      if (!this.rules.pinned(d)) {
        this.rules.settle(d);
        this.unsettled.delete(d);
      }
  }
}
