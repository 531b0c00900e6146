// The failure steps a service's log line marks (`failure: true` steps matched by a marker), by
// marker id: which operation and step a service's ERROR record is, read from the flows' data,
// when no instance of the flow started (the request that starts one is in no log given).
import type { CompiledFlow } from './compile.js';

export interface MarkedFailure {
  /** The flow's id and title (`server/attach-volume`, `volume attach`). */
  flow: string;
  flowTitle: string;
  step: string;
  title: string;
  observer: string;
  /** The services whose logged request starts an instance of the flow (its anchors' observers). */
  startedBy: string[];
}

/**
 * Every failure step's marker, with its step; null for a marker that is the failure step of two
 * flows, or of two steps that differ in id or title: which one failed would be a guess.
 */
export function failuresByMarker(flows: readonly CompiledFlow[]): Map<string, MarkedFailure | null> {
  const out = new Map<string, MarkedFailure | null>();
  for (const flow of flows)
    for (const { def } of flow.allSteps) {
      const marker = def.match.marker;
      if (def.failure !== true || marker === undefined) continue;
      const found: MarkedFailure = {
        flow: flow.def.id,
        flowTitle: flow.def.title,
        step: def.step,
        title: def.title,
        observer: def.observer,
        startedBy: [...new Set(flow.anchors.filter((a) => a.def.failure !== true).map((a) => a.def.observer))],
      };
      const known = out.get(marker);
      if (known === undefined) out.set(marker, found);
      else if (
        known !== null &&
        (known.flow !== found.flow || known.step !== found.step || known.title !== found.title)
      )
        out.set(marker, null);
    }
  return out;
}
