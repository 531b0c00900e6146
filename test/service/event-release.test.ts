// Step events leave the collector as the service log is read (issue #11): a long
// nova-compute log's events went to the run's list only at the log's end, all of them
// held until then (1 GB of older nova logs: the heap went 59 → 220 MB while nova-compute
// was read). The list they make is the same, in the same order.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';
import type { ServiceEvent } from '../../src/model/service-schema.js';
import { eventStats } from '../../src/service/collector.js';
import { repeated } from './repeated.js';

/** Real nova-compute lines of the minicloud recording (samples/timed/services/README.md). */
const NOVA_COMPUTE = readFileSync('samples/timed/services/nova-compute.log', 'utf8');

/** A real nova-compute log of a failed attach (samples/minicloud/04-attach-driver-error): its error event goes on over a traceback. */
const DRIVER_ERROR = readFileSync('samples/minicloud/04-attach-driver-error/nova-compute.log', 'utf8');

/**
 * A devstack journal whose `attach device xml:` record goes on over several entries of its
 * process with another unit's entry in between (samples/multi-service/devstack-attach/README.md).
 */
const JOURNAL = readFileSync('samples/multi-service/devstack-attach/devstack-multiline.journal.txt', 'utf8');

/**
 * The same journal with cinder-volume's attach entry (its 12th) again, `times` times, amid the
 * xml record: events made, and handed on, while that record is still open (a busy host's
 * other units log between a record's entries).
 */
function interleaved(times: number): string {
  const lines = JOURNAL.split('\n');
  const volume = lines[11]!;
  expect(volume).toContain('cinder-volume[44444]');
  const xml = lines.findIndex((l) => l.includes('attach device xml'));
  return [...lines.slice(0, xml + 2), ...Array<string>(times).fill(volume), ...lines.slice(xml + 2)].join('\n');
}

/** Real compose v1 logs of the same recording: the containers' lines interleaved (its expectation file tells the source). */
const COMPOSE = readFileSync('samples/field/compose-v1-logs-attach/compose-v1-logs-attach.log', 'utf8');

function events(name: string, text: string): { events: ServiceEvent[]; peak: number } {
  eventStats.peakHeld = 0;
  const { result } = analyzeText([{ name, text }]);
  return { events: [...result.serviceEvents], peak: eventStats.peakHeld };
}

/** What an event tells, without its place in the input and the copy's request id. */
const told = (e: ServiceEvent) => ({
  ...e,
  source: '',
  line: 0,
  endLine: e.endLine - e.line,
  requestId: null,
  message: e.message.replace(/req-[0-9a-f-]+/g, 'req-'),
});

describe('step events during the read', () => {
  const copies = 200;
  const once = events('nova-compute.log', NOVA_COMPUTE).events;
  const many = events('nova-compute.log', repeated(NOVA_COMPUTE, copies));

  it('holds a bounded number of events however many the log has', () => {
    expect(once.length).toBeGreaterThan(5);
    expect(many.events).toHaveLength(once.length * copies);
    expect(many.peak).toBeGreaterThan(0);
    expect(many.peak).toBeLessThan(200);
  });

  it('hands them on in line order, with the lines a record went on over', () => {
    const lines = many.events.map((e) => e.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    const first = many.events.slice(0, once.length);
    expect(first.map(told)).toEqual(once.map(told));

    const alone = events('nova-compute.log', DRIVER_ERROR).events;
    const perCopy = DRIVER_ERROR.split('\n').length - 1;
    const repeats = events('nova-compute.log', repeated(DRIVER_ERROR, copies)).events;
    expect(repeats).toHaveLength(alone.length * copies);
    expect(alone.some((e) => e.endLine > e.line)).toBe(true);
    // the first copy was handed on long before the end, the last at the end: alike
    for (const copy of [0, copies - 1]) {
      const these = repeats.slice(copy * alone.length, (copy + 1) * alone.length);
      expect(these.map((e) => [e.line - copy * perCopy, e.endLine - copy * perCopy])).toEqual(
        alone.map((e) => [e.line, e.endLine]),
      );
      expect(these.map(told)).toEqual(alone.map(told));
    }
  });

  it("keeps a journald process's record open across other units' entries", () => {
    // more of the other unit's events amid the record than are held before some are handed on
    const one = interleaved(150);
    const lines = one.split('\n');
    const perCopy = lines.length - 1;
    const xmlStart = lines.findIndex((l) => l.includes('attach device xml')) + 1;
    const xmlEnd = lines.findIndex((l) => l.includes('attach_device /opt/stack/nova')) + 1;
    expect(xmlEnd - xmlStart).toBeGreaterThan(150);
    // every list writes its rows out as early as it may: an event must be whole when handed on
    process.env.OSTRACE_SPILL_AFTER = '1';
    let all: ServiceEvent[];
    try {
      all = events('journal.txt', repeated(one, 5)).events;
    } finally {
      delete process.env.OSTRACE_SPILL_AFTER;
    }
    const xml = all.filter((e) => e.message.startsWith('attach device xml'));
    expect(xml.map((e) => [e.line, e.endLine])).toEqual(
      [0, 1, 2, 3, 4].map((copy) => [xmlStart + copy * perCopy, xmlEnd + copy * perCopy]),
    );
    expect(all.filter((e) => e.service === 'cinder-volume').length).toBeGreaterThan(5 * 150);
  });

  it('keeps the events of a log whose service only its end tells, in the same order', () => {
    // no label in the name: markers are matched when the loggers' vote is known, at the end
    const unnamed = events('compute.txt', repeated(NOVA_COMPUTE, 3));
    const named = events('nova-compute.log', repeated(NOVA_COMPUTE, 3));
    expect(unnamed.events.length).toBe(named.events.length);
    expect(unnamed.events.map((e) => ({ ...e, source: '' }))).toEqual(named.events.map((e) => ({ ...e, source: '' })));
  });

  it("gives a stream's sources their events together, in the order the sources opened", () => {
    const { events: all } = events('compose.txt', repeated(COMPOSE, 100));
    const sources = all.map((e) => e.source);
    const runs = sources.filter((s, i) => i === 0 || s !== sources[i - 1]);
    expect(runs).toHaveLength(2);
    expect(new Set(runs).size).toBe(runs.length);
    for (const source of runs) {
      const lines = all.filter((e) => e.source === source).map((e) => e.line);
      expect(lines).toEqual([...lines].sort((a, b) => a - b));
    }
  });
});
