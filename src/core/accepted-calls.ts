// The volume operations whose accepting call a client flow matched (an attach's, a detach's
// answer), as the rules and explain read them: a few hundred bytes each, kept as the replay
// makes them. The flow results themselves are kilobytes of steps; two later passes (the
// `flow/attach-rolled-back` rule and explain's unconfirmed operations) decoded every attach's
// and detach's result to find these few facts.
import type { FlowResult } from '../model/flow-schema.js';
import { rowsWithAny, type Rows } from '../rows/rows.js';

/** The client flows of asynchronous volume operations, and the step whose answer accepts them. */
export const ACCEPTING_STEPS: Readonly<Record<string, string>> = {
  'client/server-add-volume': 'attach',
  'client/server-remove-volume': 'detach',
};

/** An accepted volume operation: its flow's verdict and names, and the call the API accepted. */
export interface AcceptedVolumeCall {
  flow: string;
  command: number | null;
  verdict: FlowResult['verdict'];
  /**
   * The flow's steps happened as far as the log can show: complete, or incomplete only by client
   * steps its command got past that the log leaves out (`notShown`: an excerpt, verdicts.ts).
   */
  shownWhole: boolean;
  source: string | null;
  line: number | null;
  /** The names the flow bound that the readers ask for (absent: not bound). */
  captures: { volume?: string; volume_id?: string; server?: string; server_id?: string };
  /** The accepting step's call. */
  call: { exchange: number; requestId: string | null; source: string | null; line: number | null };
}

/** The accepted call of a flow of an asynchronous volume operation; null for any other flow or none matched. */
export function acceptedCallOf(f: FlowResult): AcceptedVolumeCall | null {
  const step = ACCEPTING_STEPS[f.flow];
  if (step === undefined) return null;
  const s = f.steps.find((x) => x.step === step && x.status === 'matched' && x.exchange !== null);
  if (!s) return null;
  const c = f.captures ?? {};
  const captures: AcceptedVolumeCall['captures'] = {};
  for (const key of ['volume', 'volume_id', 'server', 'server_id'] as const)
    if (c[key] !== undefined) captures[key] = c[key];
  return {
    flow: f.flow,
    command: f.command,
    verdict: f.verdict,
    shownWhole:
      f.verdict === 'complete' ||
      (f.verdict === 'incomplete' &&
        f.steps.every(
          (x) => x.status === 'matched' || x.status === 'skipped' || (x.status === 'missing' && x.notShown === true),
        )),
    source: f.source ?? null,
    line: f.line ?? null,
    captures,
    call: { exchange: s.exchange!, requestId: s.requestId, source: s.source, line: s.line },
  };
}

/** The markers of the flows `acceptedCallOf` reads, in a spilled row's JSON. */
const ACCEPTING_FLOW_MARKERS = Object.keys(ACCEPTING_STEPS).map((flow) => `"flow":"${flow}"`);

/**
 * A run's accepted volume calls in flow order: those the replay kept, else (a run whose flows
 * were not replayed through the pipeline, e.g. one made by hand) read from its flow results.
 */
export function* acceptedCallsOf(
  kept: Rows<AcceptedVolumeCall> | undefined,
  flows: Rows<FlowResult>,
): Generator<AcceptedVolumeCall> {
  if (kept) {
    yield* kept;
    return;
  }
  for (const f of rowsWithAny(flows, ACCEPTING_FLOW_MARKERS, (row) => row.flow in ACCEPTING_STEPS)) {
    const a = acceptedCallOf(f);
    if (a) yield a;
  }
}
