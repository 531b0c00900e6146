// The explain stage: after the rules, a reading of what the run already holds
// (commands and exit codes, exchanges, chains, flow verdicts, service events,
// findings) as one short story per problem, most important first. It adds no
// analysis of its own: a fact it needs is computed by the stage that owns it.
import type { Analysis } from '../core/analysis.js';
import { traceStep } from '../core/step-trace.js';
import type { Explanation } from '../model/explain-schema.js';
import type { CompiledFlow } from '../flows/compile.js';
import { failuresByMarker } from '../flows/failure-steps.js';
import { loadRunFlows } from '../flows/index.js';
import { addAlike, ALIKE_IDS, alikeKey, missingOnlyOutOfSight, type AlikeIds } from './alike.js';
import { outsideCommandsOf } from './outside.js';
import { startUnseenOf } from './start-unseen.js';
import { unendedOf } from './unended.js';
import { unconfirmedOf } from './unconfirmed.js';
import { paragraphOf, titleOf } from './paragraph.js';
import { findProblems, isOperationFinding, type Problem, type RunIndex } from './problems.js';
import type { Rows } from '../rows/rows.js';
import { defaultKeep, SpillList } from '../rows/spill-list.js';
import { alikeFactsOf, forgetStoryLookups, storyOf, type StoryFacts } from './story.js';

export { isOperationFinding };

/**
 * Failed before unfinished; among failures, one the client was told had worked
 * (exit 0, a 2xx) first — nobody looks there; then in log order.
 */
function rank(f: StoryFacts): number {
  // A service's ERROR record no operation accounts for comes after every operation's story.
  if (f.loggedError) return f.severity === 'error' ? 3 : 4;
  // A call the client re-sent until it was answered, in a command that exited 0: after the failures.
  if (f.severity !== 'error' || f.recovered !== null) return 2;
  const quiet = f.command?.exitCode === 0 && (f.clientCall?.status ?? 0) < 400;
  return quiet ? 0 : 1;
}

/** Operations no command started that went wrong the same way are one story (alike.ts). */
function alikeKeyOf(p: Problem, analysis: Analysis, index: RunIndex): string | null {
  if (p.command !== null || p.flows.length !== 1) return null;
  const f = alikeFactsOf(p, analysis, index);
  return alikeKey(p.flows[0]!, f.firstError, f.firstMissing, f.missingLogs);
}

/** Rules whose findings the story's own facts tell (a failed call or step, an ERROR logged, a failed command). */
const TOLD_BY_STORY = /^(flow|http|command|service)\//;

/**
 * Nothing went wrong in what the logs show: no failed call or step, no error logged, no command
 * that failed, no finding of another rule that would make a problem on its own (a slow call's
 * warning would not), and every missing step is one only a log that was not given would show, or
 * a client step the command got past that the log leaves out. Not a problem (unknown is not
 * failed): the verdict lists it apart, and it does not fail the run.
 */
function outOfSight(f: StoryFacts, p: Problem): boolean {
  return (
    f.severity !== 'error' &&
    f.loggedError === null &&
    f.firstError === null &&
    f.undone === null &&
    f.cause === null &&
    // A command whose exit the log does not show (its END cut) did not fail in what it shows either.
    (f.command === null || f.command.exitCode === 0 || f.command.exitCode === null) &&
    f.followed.every((x) => x.kind === 'missing' || x.kind === 'finding') &&
    p.findings.every((x) => x.severity !== 'error' || TOLD_BY_STORY.test(x.ruleId)) &&
    missingOnlyOutOfSight(p.flows, f.missingLogs)
  );
}

/** Reads that are safe to send again: a re-sent one that was answered changed nothing twice. */
const SAFE_METHODS = new Set(['GET', 'HEAD']);
/** What a recovered read's findings may say: its error answer, and that it was sent again. */
const RECOVERY_RULES = new Set(['http/server-error', 'net/retried']);

/**
 * A command that exited 0 whose failed call the client re-sent until it was answered (an SDK's
 * retry of a 503), with every flow of it complete and nothing else gone wrong: it recovered, and
 * the verdict lists it apart. A re-sent POST may have gone through twice: that stays a problem.
 */
function recoveredOnly(f: StoryFacts, p: Problem): boolean {
  return (
    f.recovered !== null &&
    f.command?.exitCode === 0 &&
    SAFE_METHODS.has(f.firstError?.method ?? '') &&
    f.loggedError === null &&
    f.undone === null &&
    f.cause === null &&
    p.flows.every((fl) => fl.verdict === 'complete') &&
    f.findings.every((x) => RECOVERY_RULES.has(x.ruleId)) &&
    f.followed.every((x) => x.kind === 'retry' || x.kind === 'finding')
  );
}

/** Which list of the verdict a story goes to when it is not a problem. */
type Apart = 'notFollowed' | 'recovered' | null;

/** The run's verdict: its problems, most important first, and what it tells apart. */
export interface ExplainedRun {
  problems: Rows<Explanation>;
  /** In log order: the operations whose remaining steps only a log that was not given would show. */
  notFollowed: Rows<Explanation>;
  /** In log order: commands that exited 0 once a read they re-sent was answered. */
  recovered: Rows<Explanation>;
}

/**
 * Explanations held as objects before the oldest are written out: a day's console log has
 * thousands of failed commands, each story a few KB, and they are told in rank order only at the end.
 */
const EXPLANATIONS_KEPT = 32;

/** A story's explanation: its title and paragraph, its facts, and the alike operations it also tells. */
function toldOf(f: StoryFacts, alike: AlikeIds | undefined): Explanation {
  const {
    firstMissing: _firstMissing,
    serviceLogsGiven: _given,
    acceptedLast: _accepted,
    commandEnded: _ended,
    undone: _undone,
    recovered: _recovered,
    loggedOperation: _operation,
    loggedStep: _step,
    ...facts
  } = f;
  const count = alike?.count ?? 0;
  const ids = alike?.ids ?? [];
  const more =
    count === 0
      ? ''
      : ` The same happened to ${count} more ${f.flows[0]!.flow} operation${count === 1 ? '' : 's'}${ids.length > 0 ? ` (${ids.slice(0, ALIKE_IDS).join(', ')}${ids.length > ALIKE_IDS ? ', …' : ''})` : ''}.`;
  return {
    title: `${titleOf(f)}${count > 0 ? ` (×${count + 1})` : ''}`,
    text: `${paragraphOf(f)}${more}`,
    ...facts,
    alike: { count, requestIds: ids.slice(0, ALIKE_IDS) },
  };
}

/** A list of explanations as the result holds it: a plain array while it fits in memory. */
function settled(list: SpillList<Explanation>): Rows<Explanation> {
  if (!list.hasSpilled) return Array.from(list);
  list.seal();
  return list;
}

/** The run's flows (the built-in ones by default): their failure steps name what a service's ERROR record is. */
export function explainRun(analysis: Analysis, flows: readonly CompiledFlow[] = loadRunFlows()): ExplainedRun {
  const { problems, index, dispose } = findProblems(analysis, failuresByMarker(flows));
  traceStep('explain: problems');
  // Alike operations share their rank (no command, same flow and verdict), so the first of
  // them in log order is the one told: the others' stories are dropped as they are made
  // (a day of nova logs without cinder's has thousands of alike attaches). Such a first one's
  // story waits for the end (its count of alike ones grows); every other is told at once and
  // written out, and only its rank and place are kept for the order.
  const keep = Math.min(EXPLANATIONS_KEPT, defaultKeep());
  const made = new SpillList<Explanation>({ keep, indexed: true });
  const order: Array<{ rank: number; i: number; apart: Apart; slot: number }> = [];
  const waiting: Array<{ f: StoryFacts; alike: AlikeIds; i: number; apart: Apart }> = [];
  const byKey = new Map<string, { f: StoryFacts; alike: AlikeIds }>();
  const held: Array<Problem | undefined> = problems;
  for (let i = 0; i < held.length; i++) {
    const p = held[i]!;
    // Let each problem go once told: a day's failed commands are not all held with their stories.
    held[i] = undefined;
    // The key first: an alike operation's story would be dropped, so it is not made.
    const key = alikeKeyOf(p, analysis, index);
    const first = key === null ? undefined : byKey.get(key);
    if (first) {
      addAlike(first.alike, p.flows[0]!.requestId);
      continue;
    }
    const f = storyOf(p, analysis, index);
    const apart: Apart = outOfSight(f, p) ? 'notFollowed' : recoveredOnly(f, p) ? 'recovered' : null;
    if (key !== null) {
      const entry = { f, alike: { count: p.alike?.count ?? 0, ids: [...(p.alike?.ids ?? [])] }, i, apart };
      byKey.set(key, entry);
      waiting.push(entry);
      continue;
    }
    order.push({ rank: rank(f), i, apart, slot: made.length });
    made.push(toldOf(f, p.alike));
  }
  // Indexes of every chain and event: held while the stories are made, not while the report is written.
  forgetStoryLookups(analysis);
  dispose();
  traceStep('explain: stories');
  for (const { f, alike, i, apart } of waiting) {
    order.push({ rank: rank(f), i, apart, slot: made.length });
    made.push(toldOf(f, alike));
  }
  order.sort((a, b) => a.rank - b.rank || a.i - b.i);
  const out = {
    problems: new SpillList<Explanation>({ keep }),
    notFollowed: new SpillList<Explanation>({ keep }),
    recovered: new SpillList<Explanation>({ keep }),
  };
  for (const o of order) out[o.apart ?? 'problems'].push(made.at(o.slot)!);
  made.dispose();
  return { problems: settled(out.problems), notFollowed: settled(out.notFollowed), recovered: settled(out.recovered) };
}

/** The commands the explanations tell. */
function commandIdsOf(list: Rows<Explanation>): Set<number> {
  const ids = new Set<number>();
  for (const x of list) if (x.command) ids.add(x.command.id);
  return ids;
}

/** The stage: the run's explanations, in the result. */
export function applyExplain(analysis: Analysis, flows?: readonly CompiledFlow[]): void {
  const { problems, notFollowed, recovered } = explainRun(analysis, flows);
  analysis.result.explanations = problems;
  // Absent, not empty, when there is none: a run whose operations the logs show whole is written as before.
  if (notFollowed.length > 0) analysis.result.notFollowed = notFollowed;
  if (recovered.length > 0) analysis.result.recovered = recovered;
  // A command not followed to its end (an excerpt) is told apart, but not its accepted call's outcome: that stays open.
  // So is a recovered one: its story tells the re-sent read, not how its accepted attach or detach went on.
  const failed = commandIdsOf(problems);
  const unconfirmed = unconfirmedOf(analysis, failed);
  traceStep('explain: unconfirmed');
  const told = new Set([...failed, ...commandIdsOf(recovered)]);
  // Absent, not empty, when there is none: a run whose outcome the log shows is written as before.
  if (unconfirmed.length > 0) analysis.result.unconfirmed = unconfirmed;
  const toldApart = new Set([...told, ...commandIdsOf(notFollowed)]);
  const unended = unendedOf(analysis, toldApart);
  traceStep('explain: unended');
  if (unended.length > 0) analysis.result.unended = unended;
  // An accepted operation's note already names its command as one whose start the log does not show.
  const named = new Set<string>();
  for (const u of unconfirmed) if (u.command.line !== null) named.add(`${u.command.source}:${u.command.line}`);
  const startUnseen = startUnseenOf(analysis, toldApart, named);
  if (startUnseen.length > 0) analysis.result.startUnseen = startUnseen;
  const outside = outsideCommandsOf(analysis);
  if (outside.length > 0) analysis.result.outsideCommands = outside;
}
