// A public data set nobody here wrote, checked against its own labels (samples/field/
// loghub-openstack-2k): 2,000 lines of three nova logs in one stream, each line opened by its
// file's name. Loghub's parse says which lines are access lines (templates E24–E26) and
// which request id each line carries.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const dir = new URL('../../samples/field/loghub-openstack-2k/', import.meta.url);
const text = readFileSync(new URL('OpenStack_2k.log', dir), 'utf8');
const labels = readFileSync(new URL('labels.csv', dir), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((row) => {
    const [line, event, requestId] = row.split(',');
    return { line: Number(line), event: event!, requestId: requestId || null };
  });
const ACCESS: Record<string, string> = { E24: 'DELETE', E25: 'GET', E26: 'POST' };
const { result } = runPipelineOnText([{ name: 'OpenStack_2k.log', text }]);
const exchanges = [...result.exchanges];

describe('loghub OpenStack_2k against its own labels', () => {
  it('every line is recognized, in three inputs named by the prefix', () => {
    expect(labels).toHaveLength(2000);
    expect(result.inputs.map((i) => [i.name.split(' » ')[1]!.split('.log')[0], i.unrecognizedLines])).toEqual([
      ['nova-api', 0],
      ['nova-compute', 0],
      ['nova-scheduler', 0],
    ]);
    expect(result.inputs.reduce((n, i) => n + i.lines, 0)).toBe(2000);
  });

  it('one server exchange for each access line and none for any other line', () => {
    const access = labels.filter((l) => ACCESS[l.event]);
    expect(access.length).toBeGreaterThan(1000);
    expect(exchanges.every((e) => e.side === 'server')).toBe(true);
    expect(exchanges.map((e) => e.line).sort((a, b) => a - b)).toEqual(access.map((l) => l.line));
  });

  it('each exchange has the method and request id loghub read on its line', () => {
    const byLine = new Map(labels.map((l) => [l.line, l]));
    const wrong = exchanges.filter((e) => {
      const l = byLine.get(e.line)!;
      return e.method !== ACCESS[l.event] || e.requestId !== l.requestId;
    });
    expect(wrong.map((e) => e.line)).toEqual([]);
    // The metadata server's lines carry no request id (`[-]`): unknown stays null.
    expect(exchanges.filter((e) => e.requestId === null).length).toBe(
      labels.filter((l) => ACCESS[l.event] && !l.requestId).length,
    );
  });

  it('each DELETE answered 204 is a complete server/delete', () => {
    const deletes = exchanges.filter((e) => e.method === 'DELETE' && e.status === 204).map((e) => e.requestId);
    const complete = [...result.flows].filter((f) => f.flow === 'server/delete' && f.verdict === 'complete');
    expect(deletes.length).toBeGreaterThan(10);
    expect(complete.map((f) => f.requestId).sort()).toEqual(deletes.sort());
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});
