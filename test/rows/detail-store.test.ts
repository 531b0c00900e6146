// DetailStore: the headers and bodies of a long run go to disk past a budget and come back
// exactly, by exchange id, in any order; HAR and HTML read them the same either way.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';
import { DetailStore } from '../../src/rows/detail-store.js';

const root = new URL('../../', import.meta.url).pathname;
// real keystoneauth output with token, catalog, request and error bodies
const sample = 'samples/real-osc/server-add-volume-401-reauth.log';

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(root, 'dist/bin/ostrace.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('DetailStore', () => {
  it('gives back every detail of a real log, in any order, held or written out', () => {
    const text = readFileSync(join(root, sample), 'utf8');
    const { result, details } = analyzeText([{ name: sample, text }], { keepDetails: true });
    const ids = [...result.exchanges].map((e) => e.id);
    expect(ids.length).toBeGreaterThan(5);
    const held = new DetailStore();
    const written = new DetailStore(1);
    for (const id of ids) {
      held.set(id, details.get(id)!);
      written.set(id, details.get(id)!);
    }
    expect(written.size).toBe(ids.length);
    for (const id of [...ids].reverse()) {
      expect(written.get(id)).toEqual(details.get(id));
      expect(held.get(id)).toEqual(details.get(id));
    }
    expect(written.get(Math.max(...ids) + 1000)).toBeUndefined();
    expect(details.get(ids[0]!)!.responseBody).not.toBeNull();
  });

  it('HAR and HTML are the same whether the bodies stayed in memory or went to disk', () => {
    for (const format of ['har', 'html']) {
      const inMemory = cli(['analyze', '--format', format, sample]);
      const onDisk = cli(['analyze', '--format', format, sample], { OSTRACE_SPILL_AFTER: '1' });
      expect(onDisk).toBe(inMemory);
      expect(inMemory.length).toBeGreaterThan(10_000);
    }
    const har = JSON.parse(cli(['analyze', '--format', 'har', sample], { OSTRACE_SPILL_AFTER: '1' })) as {
      log: { entries: Array<{ response: { content: { text?: string } } }> };
    };
    expect(har.log.entries.filter((e) => e.response.content.text !== undefined).length).toBeGreaterThan(3);
  });
});
