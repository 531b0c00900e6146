// api/instance-action-error on the real recordings: in 04 and 05 the operator ran `server event
// list` and `server event show` after the attach; nova recorded attach_volume as Error, and its
// compute_attach_volume event failed (04). Told once per action, and by explain with the attach.
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { recording } from '../recording.js';
import { lintTexts, of } from './helpers.js';

const RULE = 'api/instance-action-error';
const clientOnly = (dir: string) => recording(dir).filter((i) => i.name === 'client.log');

describe('api/instance-action-error', () => {
  it("tells 04's failed attach_volume once, with the event `server event show` named", () => {
    const found = of(lintTexts(clientOnly('04-attach-driver-error')), RULE);
    expect(found.map((f) => [f.severity, f.line, f.exchange, f.message])).toEqual([
      [
        'warning',
        409,
        null,
        'nova recorded attach_volume (request id req-25947822-c9a4-46d4-8181-7a50c86c12ed) as failed: event ' +
          "compute_attach_volume ended in Error (nova-compute's log tells why)",
      ],
    ]);
  });

  it('reads the actions as nova listed them: the failed attach and the server create that worked', () => {
    const { result } = runPipelineOnText(clientOnly('04-attach-driver-error'));
    const list = [...result.exchanges].find((e) => e.line === 409)!;
    expect(list.instanceActions).toEqual([
      {
        action: 'attach_volume',
        requestId: 'req-25947822-c9a4-46d4-8181-7a50c86c12ed',
        failed: true,
        failedEvents: [],
      },
      { action: 'create', requestId: 'req-3bd96090-6ada-43f3-969d-fe8bc9055597', failed: false, failedEvents: [] },
    ]);
  });

  it("is told in the attach's story, by the request id they share", () => {
    const [x] = runPipelineOnText(clientOnly('04-attach-driver-error')).result.explanations!;
    expect(x!.followed.map((f) => [f.kind, f.line])).toContainEqual(['finding', 409]);
    expect(x!.text).toContain('api/instance-action-error: nova recorded attach_volume');
  });

  it('is quiet where no action failed (01) and where nobody read the actions (12)', () => {
    expect(of(lintTexts(clientOnly('01-attach-detach')), RULE)).toEqual([]);
    expect(of(lintTexts(clientOnly('12-extend-attached')), RULE)).toEqual([]);
  });
});
