// The recordings in samples/real-osc/ are genuine `openstack --debug` output; each
// has the fake cloud's own list of the requests it served. ostrace, run as a CLI,
// must reconstruct exactly those requests: method, path, status and request id.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';
import { analyzeWithOstrace, compareWithServed, type ServedLike } from './compare.js';

const root = new URL('../../', import.meta.url).pathname;
const dir = join(root, 'samples/real-osc');
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as Array<{ name: string; description: string }>;

describe('recorded real-client scenarios', () => {
  it.each(index)('$name: $description', async ({ name }) => {
    const log = readFileSync(join(dir, `${name}.log`), 'utf8');
    const served = JSON.parse(readFileSync(join(dir, `${name}.served.json`), 'utf8')) as ServedLike[];
    const exchanges = await analyzeWithOstrace(log, { mainJs: join(root, 'dist/bin/ostrace.js') });
    expect(compareWithServed(served, exchanges)).toEqual([]);
  });

  it.each(index)('$name: every line of the genuine client output is recognized', ({ name }) => {
    const text = readFileSync(join(dir, `${name}.log`), 'utf8');
    const input = analyzeText([{ name, text }]).result.inputs[0]!;
    expect(input.unrecognized).toEqual([]);
    expect(input.lines).toBe(text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
  });
});
