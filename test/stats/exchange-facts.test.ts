// The columns the statistics stage keeps of chained exchanges give back what the exchanges said.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';
import { ExchangeFactTable } from '../../src/stats/exchange-facts.js';
import { pathTemplate } from '../../src/stats/template.js';
import { durationOf, startOf } from '../../src/stats/timing.js';

const text = readFileSync(new URL('../../samples/timed/client.log', import.meta.url), 'utf8');

describe('ExchangeFactTable', () => {
  it('returns each added exchange facts as the exchange has them, and null for any other id', () => {
    const exchanges = [...analyzeText([{ name: 'client.log', text }]).result.exchanges];
    expect(exchanges.length).toBeGreaterThan(10);
    const table = new ExchangeFactTable();
    const added = exchanges.filter((_, i) => i % 2 === 0);
    for (const e of added) table.add(e);
    for (const e of added)
      expect(table.get(e.id)).toEqual({
        id: e.id,
        side: e.side,
        service: e.service,
        method: e.method,
        template: pathTemplate(e.path),
        start: startOf(e),
        duration: durationOf(e),
      });
    expect(added.some((e) => startOf(e) !== null && durationOf(e) !== null)).toBe(true);
    for (const e of exchanges.filter((_, i) => i % 2 === 1)) expect(table.get(e.id)).toBeNull();
    expect(table.get(1e6)).toBeNull();
  });

  it('grows past its first columns', () => {
    const table = new ExchangeFactTable();
    const [first] = analyzeText([{ name: 'client.log', text }]).result.exchanges;
    table.add({ ...first!, id: 5000, service: 'nova-api', path: '/v2.1/servers/1b5f0d28-0bd2-4b62-8c51-60a1a7a6d8e2' });
    expect(table.get(5000)).toMatchObject({ service: 'nova-api', template: '/v2.1/servers/{id}' });
    expect(table.get(4999)).toBeNull();
  });
});
