// The whole analysis, one way: lex/parse/assemble (analyze.ts) → chains → flows →
// stats → rules → explain. Each stage reads what the earlier ones wrote into the RunResult
// and adds its own part; reporters only render. Client flows are replayed while
// the input streams, as each command closes, so no stage needs every exchange in
// memory at once (result.exchanges may live on disk: src/rows/spill-list.ts).
import { analyzeSources, analyzeText, type AnalyzeOptions } from './analyze.js';
import { buildChains } from './chain/chains.js';
import { acceptedCallOf, type AcceptedVolumeCall } from './core/accepted-calls.js';
import type { Analysis } from './core/analysis.js';
import { applyRules } from './engine/index.js';
import { applyExplain } from './explain/index.js';
import type { LintSession } from './engine/session.js';
import { FlowReplayer, loadRunFlows, replayFlows } from './flows/index.js';
import type { LineSource } from './input/read.js';
import type { FlowResult } from './model/flow-schema.js';
import { defaultKeep, SpillList } from './rows/spill-list.js';
import { computeStats } from './stats/index.js';

export interface PipelineOptions extends AnalyzeOptions {
  /** Extra flow directories (`--flows DIR`), after the built-in grammars/. */
  flowDirs?: string[];
  /** The lint session that receives the rules stage (`ostrace lint`); the default rule set when absent. */
  lint?: LintSession;
  /** Called as each stage ends (read, chains, flows, stats, rules, explain). */
  onStage?: (stage: string) => void;
}

/** Flow results held as objects before the oldest are written out. */
const FLOW_RESULTS_KEPT = 32;

/** The streaming part of the flows stage, fed by the Analyzer's command and exchange events. */
function streamingFlows(options: PipelineOptions): {
  replayer: FlowReplayer;
  flows: SpillList<FlowResult>;
  accepted: SpillList<AcceptedVolumeCall>;
  options: AnalyzeOptions;
} {
  // Loaded before any input is read: an invalid --flows file stops the run at once (exit 2).
  // A result is done with once pushed: written out after a few more, it dies young (a day of
  // service logs makes tens of thousands, each tens of KB as objects).
  // Indexed: a report lists a hundred of them, picked from their heads, and reads those alone.
  const flows = new SpillList<FlowResult>({ keep: Math.min(FLOW_RESULTS_KEPT, defaultKeep()), indexed: true });
  // What the rules and explain read of the accepted attaches and detaches, kept as they are made:
  // no later pass decodes every one of their results (kilobytes of steps each).
  const accepted = new SpillList<AcceptedVolumeCall>();
  const results = {
    push(result: FlowResult): void {
      flows.push(result);
      const call = acceptedCallOf(result);
      if (call) accepted.push(call);
    },
  };
  const replayer = new FlowReplayer(loadRunFlows(options.flowDirs), results);
  const { onExchange, onCommand } = options;
  return {
    replayer,
    flows,
    accepted,
    options: {
      ...options,
      onExchange: (exchange, detail) => {
        if (exchange.command === null) replayer.outside(exchange, detail);
        onExchange?.(exchange, detail);
      },
      onCommand: (command, exchanges) => {
        replayer.command(command, exchanges);
        onCommand?.(command, exchanges);
      },
    },
  };
}

/**
 * The stages after the input: chains, then flows (finished from the streamed replay
 * when the Analyzer was fed through it, else replayed now), stats and rules.
 */
export function finishPipeline(
  analysis: Analysis,
  options: PipelineOptions = {},
  streamed?: ReturnType<typeof streamingFlows>,
): Analysis {
  const ended = options.onStage ?? (() => {});
  buildChains(analysis);
  ended('chains');
  if (streamed) {
    streamed.replayer.finish(analysis.result);
    analysis.result.flows = streamed.flows;
    analysis.acceptedCalls = streamed.accepted;
  } else {
    replayFlows(analysis, options.flowDirs);
  }
  // The long lists are complete: the later stages read them many times over, each from its file.
  const { exchanges, commands, chains, flows } = analysis.result;
  for (const rows of [exchanges, commands, chains, flows, analysis.acceptedCalls])
    if (rows instanceof SpillList) rows.seal();
  ended('flows');
  computeStats(analysis);
  ended('stats');
  applyRules(analysis, options.lint);
  ended('rules');
  // The flows the run was replayed with: their failure steps name what a service's ERROR record is.
  applyExplain(analysis, streamed?.replayer.flows ?? loadRunFlows(options.flowDirs));
  ended('explain');
  return analysis;
}

export async function runPipeline(sources: LineSource[], options: PipelineOptions = {}): Promise<Analysis> {
  const flows = streamingFlows(options);
  const analysis = await analyzeSources(sources, flows.options);
  options.onStage?.('read');
  return finishPipeline(analysis, options, flows);
}

/** In-memory variant for tests and programmatic use. */
export function runPipelineOnText(
  inputs: Array<{ name: string; text: string }>,
  options: PipelineOptions = {},
): Analysis {
  const flows = streamingFlows(options);
  return finishPipeline(analyzeText(inputs, flows.options), options, flows);
}
