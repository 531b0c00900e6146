// The dash-driven UUID scan finds exactly what the regular expression finds, in order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachUuid } from '../../src/core/uuid.js';
import { startWatchdog } from '../watchdog.js';

// random inputs: a loop that never ends must fail this file, not hang the run
startWatchdog(import.meta.url);

const PATTERN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const byPattern = (text: string) => [...text.matchAll(PATTERN)].map((m) => [m[0], m.index]);
const byScan = (text: string) => {
  const out: Array<[string, number]> = [];
  forEachUuid(text, (uuid, at) => void out.push([uuid, at]));
  return out;
};

describe('forEachUuid', () => {
  it('finds the UUIDs of real log lines', () => {
    const line =
      'Attach volume 5fa16a0f-2663-4bb9-ae4b-a5720209d082 to instance 940fd2ef-8635-4df6-a535-e4a64b778697 ' +
      '[req-1449d429-4e90-45f0-a87f-9b7b7a841ae9] x5fa16a0f-2663-4bb9-ae4b-a5720209d082ff 5FA16A0F-2663-4bb9-ae4b-a5720209d082';
    expect(byScan(line)).toEqual(byPattern(line));
    expect(byScan(line).map(([u]) => u)).toEqual([
      '5fa16a0f-2663-4bb9-ae4b-a5720209d082',
      '940fd2ef-8635-4df6-a535-e4a64b778697',
      '1449d429-4e90-45f0-a87f-9b7b7a841ae9',
      '5fa16a0f-2663-4bb9-ae4b-a5720209d082',
    ]);
  });

  it('agrees with the pattern on any text of hex digits, dashes and others (property)', () => {
    const uuidish = fc
      .array(fc.constantFrom('0', '9', 'a', 'f', 'g', 'A', '-', ' ', 'é'), { maxLength: 120 })
      .map((cs) => cs.join(''));
    const withUuids = fc
      .array(
        fc.oneof(
          uuidish,
          fc.uuid().map((u) => u.toLowerCase()),
        ),
        { maxLength: 8 },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(withUuids, (text) => {
        expect(byScan(text)).toEqual(byPattern(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('stops when asked', () => {
    const text = 'a 5fa16a0f-2663-4bb9-ae4b-a5720209d082 b 940fd2ef-8635-4df6-a535-e4a64b778697';
    const seen: string[] = [];
    forEachUuid(text, (u) => {
      seen.push(u);
      return false;
    });
    expect(seen).toEqual(['5fa16a0f-2663-4bb9-ae4b-a5720209d082']);
  });
});
