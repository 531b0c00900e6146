// Mutation tests: every clean sample of every shipped flow, mutated step by step
// — each step dropped, each adjacent pair of steps swapped, each exchange step
// answered with 500 — must give exactly the predicted verdict and step statuses.
//
// The prediction rules (what the replay promises):
// - dropped required step → that step `missing`, verdict incomplete;
//   dropped optional step → `skipped`, verdict complete; client requests outside any
//   command have no start in the log (a paste that begins mid-run): a dropped first step
//   there is `skipped` too, verdict complete;
// - answered 500 → that step `failed` (every occurrence), verdict failed;
// - swapped pair A,B (A first in the clean run) → the two change places in the
//   result and one of them is `out-of-order`: the one with fewer events (a
//   repeated step keeps its place), else the optional one, else A; the verdict
//   stays complete. Skipped optional steps are left out of that comparison
//   (where a placeholder sits is not a promise);
// - a flow that starts at an anchor event (request-scoped, or client requests
//   outside any command) has no instance once its only anchor step is dropped.
// Swaps whose events a second step of the variant also recognises (the same
// GET before and after the create) are ambiguous by grammar: there the replay
// only promises a non-failed verdict with exactly one step out of place.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/model/schema.js';
import type { FlowResult } from '../../src/model/flow-schema.js';
import type { Sample } from '../../src/flows/grammar-schema.js';
import { markerEvents, replayRun } from '../../src/flows/index.js';
import { exchangeEvents } from '../../src/flows/events.js';
import { recognizes } from '../../src/flows/compile.js';
import { flowFilesIn, loadFlowFile, type LoadedFlowFile } from '../../src/flows/load.js';
import { sampleRun } from '../../src/flows/selftest.js';

type Run = Pick<RunResult, 'exchanges' | 'commands' | 'serviceEvents'>;
/** One event of a sample: an exchange id (log samples) or an index into sample.events (inline samples). */
type Item = number;
interface Group {
  step: string;
  items: Item[];
  entries: number;
  hasExchange: boolean;
}

const dir = fileURLToPath(new URL('../../grammars/', import.meta.url));

function isClean(s: Sample): boolean {
  const e = s.expect;
  return (
    e.length === 1 &&
    e[0]!.verdict === 'complete' &&
    (e[0]!.findings ?? []).length === 0 &&
    (e[0]!.steps ?? []).every(([, st]) => st === 'matched' || st === 'skipped')
  );
}

/** The sample as an ordered list of items, and a way to build a run from a mutated list. */
function itemsOf(file: string, sample: Sample, flows: LoadedFlowFile['flows']) {
  if (sample.events) {
    const events = sample.events;
    const items = events.map((_, i) => i);
    const build = (list: Item[], failed: Set<Item>): Run =>
      sampleRun(file, {
        ...sample,
        events: list.map((i) => (failed.has(i) ? { ...events[i]!, status: 500 } : events[i]!)),
      });
    // Which item is a step result's event: exchanges are numbered in order, markers by their line.
    const exchangeIdx = items.filter((i) => events[i]!.type === 'exchange');
    const itemOfResult = (r: FlowResult['steps'][number]): Item => {
      if (r.exchange !== null) return exchangeIdx[r.exchange - 1]!;
      return items.find(
        (i) =>
          events[i]!.type === 'marker' &&
          (events[i]!.line ?? i + 1) === r.line &&
          r.source?.endsWith(`#${events[i]!.observer}`),
      )!;
    };
    return { items, build, itemOfResult };
  }
  const base = sampleRun(file, sample);
  if (base.commands.length === 0 && flows.some((f) => f.def.scope === 'command')) {
    // A client that prints no command markers (the legacy `nova`): its calls outside any command.
    // One source: the replay takes its calls in the order given, so a mutated list is that order.
    const items = base.exchanges.map((e) => e.id);
    const byId = new Map(base.exchanges.map((e) => [e.id, e]));
    const build = (list: Item[], failed: Set<Item>): Run => ({
      serviceEvents: [],
      commands: [],
      exchanges: list
        .map((id) => byId.get(id)!)
        .filter((e) => !(e.resendOf !== null && failed.has(e.resendOf)))
        .map((e) => (failed.has(e.id) ? { ...e, status: 500 } : e)),
    });
    return { items, build, itemOfResult: (r: FlowResult['steps'][number]): Item => r.exchange! };
  }
  if (base.commands.length === 0) return serviceItemsOf(base, flows);
  const cmd = base.commands.at(0)!;
  const items = [...cmd.exchanges];
  const build = (list: Item[], failed: Set<Item>): Run => ({
    serviceEvents: [],
    commands: [{ ...cmd, exchanges: list }],
    exchanges: base.exchanges
      .filter((e) => list.includes(e.id) && !(e.resendOf !== null && failed.has(e.resendOf)))
      .map((e) => (failed.has(e.id) ? { ...e, status: 500 } : e)),
  });
  return { items, build, itemOfResult: (r: FlowResult['steps'][number]): Item => r.exchange! };
}

/**
 * Service logs (several files, ordered by time): the items are the exchanges and
 * marker events of the one request the sample's flow replays; a mutated list is
 * re-timed one second apart so the replay sees it in list order.
 */
function serviceItemsOf(base: Run, flows: LoadedFlowFile['flows']) {
  const [clean] = replayRun(flows, base).flows;
  if (!clean?.requestId) throw new Error('a service-log sample without a request-scoped flow result');
  const key = (x: { globalRequestId: string | null; requestId: string | null }) => x.globalRequestId ?? x.requestId;
  const events = [...(base.serviceEvents ?? [])];
  const MARKER = 1_000_000; // marker items: MARKER + index into serviceEvents
  // Exchanges carry ISO times, service events the logged `2026-11-25 21:10:40.346`: compare as milliseconds.
  const timeOf = (item: Item): number =>
    Date.parse(
      (
        (item >= MARKER ? events[item - MARKER]!.timestamp : base.exchanges.find((e) => e.id === item)!.startedAt) ?? ''
      ).replace(' ', 'T'),
    );
  const items: Item[] = [
    ...base.exchanges.filter((e) => e.side === 'server' && key(e) === clean.requestId).map((e) => e.id),
    ...events.flatMap((e, k) => (key(e) === clean.requestId ? [MARKER + k] : [])),
  ].sort((a, b) => timeOf(a) - timeOf(b));
  const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString().replace('T', ' ').replace('Z', '');
  const build = (list: Item[], failed: Set<Item>): Run => ({
    commands: [],
    exchanges: list
      .filter((i) => i < MARKER)
      .map((i) => {
        const e = base.exchanges.find((x) => x.id === i)!;
        return { ...e, startedAt: at(list.indexOf(i)), status: failed.has(i) ? 500 : e.status };
      }),
    serviceEvents: list
      .filter((i) => i >= MARKER)
      .map((i) => ({ ...events[i - MARKER]!, timestamp: at(list.indexOf(i)) })),
  });
  const itemOfResult = (r: FlowResult['steps'][number]): Item =>
    r.exchange !== null ? r.exchange : MARKER + events.findIndex((e) => e.source === r.source && e.line === r.line);
  return { items, build, itemOfResult };
}

function groupsOf(clean: FlowResult, itemOfResult: (r: FlowResult['steps'][number]) => Item): Group[] {
  const groups: Group[] = [];
  for (const r of clean.steps) {
    if (r.status === 'skipped') continue;
    const last = groups.at(-1);
    const item = itemOfResult(r);
    if (last && last.step === r.step) {
      last.items.push(item);
      last.entries++;
      last.hasExchange ||= r.exchange !== null;
    } else groups.push({ step: r.step, items: [item], entries: 1, hasExchange: r.exchange !== null });
  }
  return groups;
}

const statuses = (r: FlowResult): string[][] => r.steps.map((s) => [s.step, s.status]);
/** Readable diffs: one `step:status` string per result. */
const show = (list: string[][]) => list.map(([a, b]) => `${a}:${b}`).join(' ');

for (const file of flowFilesIn(dir)) {
  const loaded = loadFlowFile(file);
  if (!loaded.ok) throw new Error(`${file} does not load`);
  const lf: LoadedFlowFile = loaded.value;
  describe(`mutants of ${file.slice(dir.length)}`, () => {
    for (const sample of lf.samples.filter(isClean)) {
      const { items, build, itemOfResult } = itemsOf(file, sample, lf.flows);
      const replay = (list: Item[], failed = new Set<Item>()) => replayRun(lf.flows, build(list, failed)).flows;
      const [clean] = replay(items);
      if (!clean) throw new Error(`${sample.name}: no flow result`);
      // A sample of several volumes repeats an `each` group: a mutant there is a question of
      // which volume a call belongs to, which these one-volume mutations do not ask.
      if (Object.keys(clean.captures ?? {}).some((name) => name.includes('#'))) continue;
      const flow = lf.flows.find((f) => f.def.id === clean.flow)!;
      const variant = flow.variants.find((v) => v.def.id === clean.variant)!;
      const optional = (step: string) => variant.steps.find((s) => s.def.step === step)?.def.optional === true;
      const groups = groupsOf(clean, itemOfResult);
      const cleanStatuses: string[][] = statuses(clean);
      /** Does another step of the variant also recognise one of the group's events? */
      const ambiguous = (g: Group): boolean => {
        const run = build(items, new Set());
        const events = [...exchangeEvents([...run.exchanges]), ...markerEvents(run)];
        const mine = clean.steps.filter((s) => s.step === g.step && s.status !== 'skipped');
        return mine.some((m) => {
          const ev = events.find((e) =>
            m.exchange !== null ? e.exchange === m.exchange : e.line === m.line && e.source === m.source,
          );
          return ev !== undefined && flow.allSteps.some((s) => s.def.step !== g.step && recognizes(s, ev));
        });
      };
      /** Index in clean.steps of the first entry of group g. */
      const at = (g: Group) => clean.steps.findIndex((s) => s.step === g.step && s.status !== 'skipped');

      it(`${sample.name}: the clean run is complete`, () => {
        expect(clean.verdict).toBe('complete');
        expect(groups.length).toBeGreaterThanOrEqual(3);
      });

      groups.forEach((g, gi) => {
        it(`${sample.name}: drop ${g.step}`, () => {
          const results = replay(items.filter((i) => !g.items.includes(i)));
          const anchors = groups.filter((x) => variant.steps.find((s) => s.def.step === x.step)?.def.anchor);
          if (
            (sample.events || flow.def.scope === 'request' || clean.command === null) &&
            anchors.length === 1 &&
            anchors[0] === g
          ) {
            // No instance of this flow is left; another flow of the file may take what is left
            // (without the migrate request, nova-compute's "Migrating" names a resize).
            expect(results.filter((r) => r.flow === clean.flow)).toEqual([]);
            return;
          }
          expect(results).toHaveLength(1);
          const r = results[0]!;
          if (r.variant !== clean.variant) {
            // What is left fits an earlier variant as well (e.g. begin_detaching then nothing: shelved or not?);
            // the first declared one wins the tie, and the step is still reported missing there.
            // Or the dropped step is what set the variant apart (the multiattach marker): what is
            // left is a clean run of a variant that has no such step.
            const missing = r.steps.filter((s) => s.status === 'missing');
            const other = flow.variants.find((v) => v.def.id === r.variant)!;
            if (r.verdict === 'complete')
              expect([other.steps.some((s) => s.def.step === g.step), missing.length]).toEqual([false, 0]);
            else expect([r.verdict, missing.length]).toEqual(['incomplete', 1]);
            expect(flow.variants.findIndex((v) => v.def.id === r.variant)).toBeLessThan(
              flow.variants.findIndex((v) => v.def.id === clean.variant),
            );
            return;
          }
          const expected = [...cleanStatuses];
          const beforeStart =
            flow.def.scope === 'command' &&
            clean.command === null &&
            at(g) === clean.steps.findIndex((s) => s.status !== 'skipped');
          const unseen = optional(g.step) || beforeStart;
          if (r.verdict === 'complete' && !unseen) {
            // What is left is a clean run of another route of the variant, one without the step:
            // a create up to cinder 2015.1 (Kilo) ends at `created successfully`, a later one at
            // `Created volume successfully.`. The route taken has no such step, and none is missing.
            expect([
              r.variant,
              r.steps.some((s) => s.step === g.step),
              r.steps.filter((s) => s.status === 'missing'),
            ]).toEqual([clean.variant, false, []]);
            expect(variant.paths.some((p) => p.every((ps) => ps.step.def.step !== g.step))).toBe(true);
            return;
          }
          expected.splice(at(g), g.entries, [g.step, unseen ? 'skipped' : 'missing']);
          expect([r.variant, r.verdict, show(statuses(r))]).toEqual([
            clean.variant,
            unseen ? 'complete' : 'incomplete',
            show(expected),
          ]);
        });

        if (g.hasExchange) {
          it(`${sample.name}: ${g.step} answered 500`, () => {
            const r = replay(items, new Set(g.items))[0]!;
            const expected = cleanStatuses.map(([s, st], k): string[] =>
              k >= at(g) && k < at(g) + g.entries ? [s!, 'failed'] : [s!, st!],
            );
            expect([r.variant, r.verdict, show(statuses(r))]).toEqual([clean.variant, 'failed', show(expected)]);
            expect(r.steps.filter((s) => s.status === 'failed').every((s) => s.message?.includes('500'))).toBe(true);
          });
        }

        const next = groups[gi + 1];
        if (next) {
          it(`${sample.name}: swap ${g.step} and ${next.step}`, () => {
            const first = items.indexOf(g.items[0]!);
            const list = items.filter((i) => !g.items.includes(i) && !next.items.includes(i));
            list.splice(first, 0, ...next.items, ...g.items);
            const r = replay(list)[0]!;
            if (ambiguous(g) || ambiguous(next)) {
              expect(r.verdict).not.toBe('failed');
              // (Two GETs of the swap's two volumes trade places: the first one names the other volume, mismatched.)
              expect(
                r.steps.filter(
                  (s) => s.status === 'out-of-order' || s.status === 'missing' || s.status === 'mismatched',
                ).length,
              ).toBeGreaterThanOrEqual(1);
              return;
            }
            const flagged =
              g.entries !== next.entries
                ? g.entries < next.entries
                  ? g
                  : next
                : optional(next.step) && !optional(g.step)
                  ? next
                  : g;
            // Compare without skipped placeholders: there g and next are neighbours.
            const placed = (l: string[][]) => l.filter(([, st]) => st !== 'skipped');
            const base = placed(cleanStatuses);
            const a = base.findIndex(([s]) => s === g.step);
            const expected = [
              ...base.slice(0, a),
              ...base.slice(a + g.entries, a + g.entries + next.entries),
              ...base.slice(a, a + g.entries),
              ...base.slice(a + g.entries + next.entries),
            ].map(([s, st]): string[] => (s === flagged.step ? [s!, 'out-of-order'] : [s!, st!]));
            expect([r.variant, r.verdict, show(placed(statuses(r)))]).toEqual([
              clean.variant,
              'complete',
              show(expected),
            ]);
            const ooo = r.steps.find((s) => s.status === 'out-of-order')!;
            if (flagged === g) expect(ooo.after).toBe(next.step);
            expect(ooo.message).toMatch(/came (after|too late)/);
          });
        }
      });
    }
  });
}
