// Step lines logged under another request id than their operation's (steps with `joinBy`).
// cinder before 8.0.0 Mitaka logged whatever followed a driver's context.get_admin_context()
// under the admin context's new request id (bug 1511406): a Kilo create's last line, `Volume …
// (…): created successfully`, is not under the id the create started with. Such a line is taken
// into the instance that names its volume, when it comes after the instance's first line naming
// it and nothing under its own request id starts an operation (no anchor of any flow): a line
// of an operation of its own stays there. Each line joins one instance, the first to ask. A failure
// line that is an anchor and joinBy (Kilo's `Volume …: create failed`, under the same admin id)
// starts no operation of its own here: it joins the instance that names its volume, and only a
// line no instance takes is replayed under its own id (the run's log began after the create did).
import { recognizes, type CompiledFlow, type CompiledStep } from './compile.js';
import type { FlowEvent } from './events.js';

/** A step line and its place in the run's list of step lines (the order of one log). */
export interface PlacedEvent {
  ev: FlowEvent;
  place: number;
}

interface Candidate extends PlacedEvent {
  key: string;
}

export class Joins {
  private readonly anchors: readonly CompiledStep[];
  private readonly joinable: readonly CompiledStep[];
  /** The lines some joinBy step can take, by the volume they name. */
  private readonly byVolume = new Map<string, Candidate[]>();
  /** The request keys of those lines: only theirs are looked at for anchors. */
  private readonly candidateKeys = new Set<string>();
  /** Request keys with an event that starts an operation: their lines are their own. */
  private readonly anchored = new Set<string>();
  /** Places of lines already joined to an instance. */
  private readonly used = new Set<number>();

  constructor(flows: readonly CompiledFlow[]) {
    // An anchor that may be joined does not make its request id an operation's own.
    this.anchors = flows.flatMap((f) => f.anchors.filter((a) => a.def.joinBy === undefined));
    this.joinable = flows.flatMap((f) => f.allSteps.filter((s) => s.def.joinBy !== undefined));
  }

  /** Whether any flow has a step that may be joined: else nothing need be seen. */
  get active(): boolean {
    return this.joinable.length > 0;
  }

  /** A step line of the run under request key `key`, at `place` among the run's step lines. */
  line(key: string, ev: FlowEvent, place: number): void {
    if (this.anchors.some((a) => recognizes(a, ev))) this.anchored.add(key);
    const volume = ev.captures.get('volume');
    if (volume === undefined || !this.joinable.some((s) => recognizes(s, ev))) return;
    const list = this.byVolume.get(volume);
    const c = { ev, place, key };
    if (list) list.push(c);
    else this.byVolume.set(volume, [c]);
    this.candidateKeys.add(key);
  }

  /** Whether the line at `place` was joined to an instance of another request id (it is no longer its own id's). */
  taken(place: number): boolean {
    return this.used.has(place);
  }

  /** Whether a call under `key` must be shown to `call` (its key has a line that may be joined). */
  wantsCallsOf(key: string): boolean {
    return this.candidateKeys.has(key) && !this.anchored.has(key);
  }

  /** A call (exchange) under a key `wantsCallsOf` asked for. */
  call(key: string, ev: FlowEvent): void {
    if (this.anchors.some((a) => recognizes(a, ev))) this.anchored.add(key);
  }

  /**
   * The places of the lines `flow`'s joinBy steps take into the instance of request key `key`,
   * whose step lines are `lines`: lines under another key that no operation claims, naming a
   * volume one of `lines` that the flow recognises names, after that line.
   */
  take(flow: CompiledFlow, key: string, lines: readonly PlacedEvent[]): number[] {
    if (this.byVolume.size === 0) return [];
    const steps = flow.allSteps.filter((s) => s.def.joinBy === 'volume');
    if (steps.length === 0) return [];
    const firstNaming = new Map<string, PlacedEvent>();
    for (const line of lines) {
      const volume = line.ev.captures.get('volume');
      if (volume === undefined || firstNaming.has(volume) || !this.byVolume.has(volume)) continue;
      if (flow.allSteps.some((s) => recognizes(s, line.ev))) firstNaming.set(volume, line);
    }
    const out: number[] = [];
    for (const [volume, first] of firstNaming) {
      for (const c of this.byVolume.get(volume)!) {
        if (c.key === key || this.used.has(c.place) || this.anchored.has(c.key) || !comesAfter(c, first)) continue;
        if (!steps.some((s) => recognizes(s, c.ev))) continue;
        this.used.add(c.place);
        out.push(c.place);
      }
    }
    return out;
  }
}

/** By time when both lines have one (several logs), else by their place (one log's order). */
function comesAfter(a: PlacedEvent, b: PlacedEvent): boolean {
  if (a.ev.atMs !== null && b.ev.atMs !== null && a.ev.source !== b.ev.source) return a.ev.atMs >= b.ev.atMs;
  return a.place > b.place;
}
