// Every shipped flow file loads and replays its own samples exactly (both
// directions: each sample gives its expectations, each required step is matched
// by some sample).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { flowFilesIn, loadFlowFile } from '../../src/flows/load.js';
import { checkSamples } from '../../src/flows/selftest.js';

const dir = fileURLToPath(new URL('../../grammars/', import.meta.url));

describe('shipped flow files', () => {
  const files = flowFilesIn(dir);
  it('ships the client and service-side families', () => {
    expect(files.map((f) => f.slice(dir.length))).toEqual([
      'client-server-add-volume.flow.json',
      'client-server-create.flow.json',
      'client-server-delete.flow.json',
      'client-server-rebuild.flow.json',
      'client-server-remove-volume.flow.json',
      'client-server-resize.flow.json',
      'client-server-shelve.flow.json',
      'client-server-swap-volume.flow.json',
      'client-volume.flow.json',
      'server-attach-volume.flow.json',
      'server-delete.flow.json',
      'server-detach-volume.flow.json',
      'server-extend-volume.flow.json',
      'server-live-migrate.flow.json',
      'server-rebuild.flow.json',
      'server-resize.flow.json',
      'server-retype-volume.flow.json',
      'server-shelve.flow.json',
      'server-swap-volume.flow.json',
      'server-volume-create.flow.json',
    ]);
  });
  for (const file of files) {
    it(`${file.slice(dir.length)} loads and self-tests`, () => {
      const r = loadFlowFile(file);
      if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.at}: ${d.message}`).join('\n'));
      expect(checkSamples(r.value)).toEqual([]);
    });
  }
});
