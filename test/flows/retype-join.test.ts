// server/retype-volume's temporary volume on cinder up to 2015.1 (Kilo): its create ends with
// `Volume … (…): created successfully` (Kilo logs no `Created volume successfully.`, added in
// 7.0.0), and a driver that takes an admin context logs that line under the admin context's
// request id (cinder bug 1511406, fixed in 8.0.0), as CloudByte's Kilo driver did in
// samples/field/cloudbyte-retype-hash-prefixed: the temporary volume 4dedaba7's `being created`
// under req-49c52727, its `created successfully` under req-f3865c69. The real retype of
// samples/flows/minicloud-retype-migrate (Zed) put in that shape: its `Created volume
// successfully.` dropped, its `created successfully` under CloudByte's admin id as Kilo logs it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const DIR = '../../samples/flows/minicloud-retype-migrate/';
const FILES = ['nova-api.log', 'nova-compute.log', 'cinder-api.log', 'cinder-scheduler.log', 'cinder-volume.log'];
const read = (name: string) => readFileSync(fileURLToPath(new URL(DIR + name, import.meta.url)), 'utf8');
const RETYPE = 'req-3a275d6c-a2ed-4b0c-bb2a-348a6c395e6e';
const TEMPORARY = 'f4e9cded-23d9-4e1b-9876-be0cadf0adf1';
// The request-id field of the real Kilo line (samples/field/cloudbyte-retype-hash-prefixed, line 55).
const ADMIN = 'req-f3865c69-f90c-4fdb-8e21-ce6d22981d50';
const KILO_CONTEXT = `[${ADMIN} - - - - -]`;

function kiloShaped(): { name: string; text: string }[] {
  return FILES.map((name) => {
    const text = read(name);
    if (name !== 'cinder-volume.log') return { name, text };
    const lines = text.split('\n');
    const created = lines.findIndex((l) =>
      l.endsWith(`Volume volume-${TEMPORARY} (${TEMPORARY}): created successfully`),
    );
    expect(created).toBe(16); // line 17
    lines[created] = lines[created]!.replace(/\[req-[^\]]*\]/, KILO_CONTEXT);
    expect(lines[created]).toContain(`create_volume ${KILO_CONTEXT} Volume volume-${TEMPORARY}`);
    const done = lines.findIndex((l) => l.endsWith('] Created volume successfully.'));
    expect(done).toBe(19); // line 20
    lines.splice(done, 1);
    return { name, text: lines.join('\n') };
  });
}

const retypes = (files: { name: string; text: string }[]) =>
  runPipelineOnText(files).result.flows.filter((f) => f.flow === 'server/retype-volume');

describe('server/retype-volume: the temporary volume on cinder 2015.1 (Kilo)', () => {
  it('the real Zed retype replays complete, its temporary volume at `Created volume successfully.`', () => {
    const [f, ...rest] = retypes(FILES.map((name) => ({ name, text: read(name) })));
    expect(rest).toEqual([]);
    expect([f!.requestId, f!.verdict]).toEqual([RETYPE, 'complete']);
    expect(f!.steps.filter((s) => s.step.startsWith('target-')).map((s) => [s.step, s.status, s.line])).toEqual([
      ['target-create-start', 'matched', 14],
      ['target-created', 'matched', 17],
      ['target-create-done', 'matched', 20],
    ]);
  });

  it("in Kilo's shape the temporary volume is available at its `created successfully`, joined from the admin id: no step missing", () => {
    const [f, ...rest] = retypes(kiloShaped());
    expect(rest).toEqual([]);
    expect([f!.requestId, f!.verdict]).toEqual([RETYPE, 'complete']);
    const target = f!.steps.filter((s) => s.step.startsWith('target-') && s.status !== 'skipped');
    expect(target.map((s) => [s.step, s.status, s.line, s.requestId])).toEqual([
      ['target-create-start', 'matched', 14, 'req-007c9b13-e3ea-43d1-9d70-71d0b091a348'], // the line's own id (the global one is the retype's)
      ['target-created', 'matched', 17, ADMIN],
    ]);
    expect(f!.steps.filter((s) => s.status === 'missing' || s.status === 'failed')).toEqual([]);
  });
});
