// A failed detach whose cause is an earlier operation (samples/minicloud/12, a real
// recording: `volume set --size 2` was accepted with 202, cinder-volume failed the extend
// and left the volume error_extending, the detach then got 400 from cinder-api). The
// story tells the extend first, from the call that started it, and the detach's story
// names the extend as the cause (rule flow/caused-by-resource-state).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const dir = fileURLToPath(new URL('../../samples/minicloud/12-extend-attached/', import.meta.url));

function explanations() {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.log'))
    .sort();
  return runPipelineOnText(names.map((name) => ({ name, text: readFileSync(`${dir}${name}`, 'utf8') }))).result
    .explanations!;
}

describe('explain: a failure caused by an earlier operation (minicloud 12)', () => {
  it('tells the failed extend from the POST os-extend the client got 202 for, failing at cinder-volume', () => {
    const [extend] = explanations();
    expect(extend!.command).toMatchObject({ name: 'volume set', exitCode: 0 });
    // Not the GET /volumes/detail whose request id cinderclient sent as the global id of the POST.
    expect(extend!.clientCall).toMatchObject({ method: 'POST', status: 202 });
    expect(extend!.clientCall!.requestId).toBe('req-994a205b-5b69-4c36-bf6d-1a2c27942842');
    expect(extend!.firstError).toMatchObject({
      service: 'cinder-volume',
      source: 'cinder-volume.log',
      line: 23,
      flow: 'server/extend-volume',
    });
    expect(extend!.title).not.toContain('no response');
    expect(extend!.resource?.states.map((s) => [s.when, s.status]).at(-1)).toEqual(['after', 'error_extending']);
  });

  it('names the extend as the cause of the detach 400, and not the services the refusal never reached', () => {
    const [, detach, ...rest] = explanations();
    expect(rest).toEqual([]);
    expect(detach!.command).toMatchObject({ name: 'server remove volume', exitCode: 1 });
    expect(detach!.firstError).toMatchObject({
      service: 'cinder-api',
      status: 400,
      source: 'cinder-api.log',
      line: 208,
    });
    expect(detach!.cause).toMatchObject({
      flow: 'server/extend-volume',
      state: 'error_extending',
      source: 'cinder-volume.log',
      line: 23,
    });
    expect(detach!.text).toContain('It was refused because an earlier server/extend-volume operation left volume');
    expect(detach!.followed.map((f) => f.kind)).not.toContain('silent');
  });
});
