// A flow's variants told apart by the client that sent the compute calls (its User-Agent:
// `openstacksdk` from OSC 5.8.0, `python-novaclient` before; reference §A8), not by which variant
// the calls the log shows happen to fit first: an excerpt that leaves out the lookups that tell
// them apart fits both alike. Real input: osc 6 output (samples/real-osc) cut as a paste is.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const sample = (path: string) => readFileSync(fileURLToPath(new URL(`../../samples/${path}`, import.meta.url)), 'utf8');

function variants(text: string, name = 'client.log'): Array<[string, string | null]> {
  return runPipelineOnText([{ name, text }])
    .result.flows.filter((f) => f.flow.startsWith('client/server-'))
    .map((f) => [f.flow, f.variant]);
}

describe('client flows: the variant the calls’ client names', () => {
  it('osc 6 `server remove volume` with its token request and lookups cut: openstacksdk, as its DELETE’s User-Agent says', () => {
    const lines = sample('real-osc/server-remove-volume.log').split('\n');
    const cut = lines.filter((_, i) => i + 1 < 15 || i + 1 > 73).join('\n');
    expect(cut).toContain('User-Agent: openstacksdk/0.101.0');
    expect(variants(cut)).toEqual([['client/server-remove-volume', 'openstacksdk']]);
  });

  it('the same DELETE sent by python-novaclient: the novaclient variant', () => {
    const lines = sample('real-osc/server-remove-volume.log').split('\n');
    const cut = lines
      .filter((_, i) => i + 1 < 15 || i + 1 > 73)
      .join('\n')
      .replace(
        /User-Agent: openstacksdk\/\S+ keystoneauth1\/\S+ python-requests\/\S+ CPython\/[\d.]+/g,
        'User-Agent: python-novaclient',
      );
    expect(variants(cut)).toEqual([['client/server-remove-volume', 'novaclient']]);
  });

  it('the whole logs keep the variant their lookups show', () => {
    expect(variants(sample('real-osc/server-remove-volume.log'))).toEqual([
      ['client/server-remove-volume', 'openstacksdk'],
    ]);
    expect(variants(sample('seed-attach-volume/client.log'))).toEqual([['client/server-add-volume', 'novaclient']]);
  });
});
