// A failed step joined to its operation by the volume it names, not by a global id: Kilo's
// cinder-volume logs `Volume …: create failed` under the driver's admin context id (cinder bug
// 1511406). The story names the id that line carries, and no global id the line does not carry.
// The real CloudByte Kilo log, its first create's `created successfully` line rewritten into
// the `create failed` of cinder 2015.1.2 (create_volume.py, ExtractVolumeRefTask.revert), as
// test/flows/join.test.ts does.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const NAME = 'cloudbyte-kilo-create-volume.log';
const text = readFileSync(new URL(`../../samples/field/cloudbyte-kilo-create-volume/${NAME}`, import.meta.url), 'utf8');
const CREATE = 'req-9bd4d869-ba9e-4973-bae3-05403c82f696';
const ADMIN = 'req-941ae384-4a57-49bd-ae61-4170e28c7412';
const VOLUME = 'b61f3dbe-8704-422e-9961-7e5908e78e3c';

describe('explain: a failed step joined by volume', () => {
  it('names the request id of its line, and no global id', () => {
    const lines = text.split('\r\n');
    lines[21] = lines[21]!
      .replace(
        ` INFO cinder.volume.flows.manager.create_volume [${ADMIN}`,
        ` ERROR cinder.volume.flows.manager.create_volume [${ADMIN}`,
      )
      .replace(/\] Volume .*$/, `] Volume ${VOLUME}: create failed`);
    expect(lines[21]).toContain(`[${ADMIN} - - - - -] Volume ${VOLUME}: create failed`);
    const [x] = runPipelineOnText([{ name: NAME, text: lines.join('\r\n') }]).result.explanations!;
    expect(x!.flows[0]!.requestId).toBe(CREATE);
    expect(x!.firstError).toMatchObject({ requestId: ADMIN, globalRequestId: null, line: 22 });
    expect(x!.text).toContain(`(${NAME}:22, request id ${ADMIN})`);
    expect(x!.text).not.toContain(`global ${CREATE}`);
  });
});
