// A story names the volume's states the client's reads showed, before and after its command
// (minicloud 08: `vol-08` read `available` after the failed attach, client.log:156, in a later
// command). A long run's exchanges live on disk: such a read is found from the row's text (its
// resource's id and name), not by decoding every row nor by searching every row for every volume.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const dir = new URL('../../samples/minicloud/08-attach-nova-compute-down/', import.meta.url);

function statesOf(spillAfter: string | undefined) {
  const saved = process.env.OSTRACE_SPILL_AFTER;
  if (spillAfter === undefined) delete process.env.OSTRACE_SPILL_AFTER;
  else process.env.OSTRACE_SPILL_AFTER = spillAfter;
  try {
    const names = readdirSync(dir)
      .filter((n) => n.endsWith('.log'))
      .sort();
    const { result } = runPipelineOnText(
      names.map((name) => ({ name, text: readFileSync(new URL(name, dir), 'utf8') })),
    );
    return [...result.explanations!].map((x) => x.resource);
  } finally {
    if (saved === undefined) delete process.env.OSTRACE_SPILL_AFTER;
    else process.env.OSTRACE_SPILL_AFTER = saved;
  }
}

describe('a story reads its volume from exchanges on disk', () => {
  it("names the read after the command, whether the run's exchanges are in memory or on disk", () => {
    const held = statesOf(undefined);
    expect(held[0]).toMatchObject({
      type: 'volume',
      name: 'vol-08',
      states: [{ status: 'available', when: 'after', source: 'client.log', line: 156 }],
    });
    expect(statesOf('1')).toEqual(held);
  });
});
