// A step a log not given would show is not seen, which is not "never happened": cinder-volume's
// log alone shows each Kilo create finish (the volume `available`), and the create's cinder-api
// steps are only out of sight. Where the observing service's log was given, its silence is
// still told as a step that never happened. An operation whose only missing steps are out of
// sight is not a problem (unknown is not failed): it is listed apart, as `notFollowed`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const run = (path: string) => {
  const text = readFileSync(new URL(`../../samples/${path}`, import.meta.url), 'utf8');
  return runPipelineOnText([{ name: path.split('/').pop()!, text }]).result;
};
const explain = (path: string) => run(path).explanations!;

describe('explain: steps of services whose logs were not given', () => {
  it('are not seen, not "never happened" (real Kilo creates, cinder-volume log alone)', () => {
    const result = run('field/cloudbyte-kilo-create-volume/cloudbyte-kilo-create-volume.log');
    expect(result.explanations).toEqual([]);
    const [x] = result.notFollowed!;
    expect(x!.missingLogs).toContain('cinder-api');
    expect(x!.title).toContain('could not be followed');
    expect(x!.text).toContain('which the cinder-api log would show; that log was not given');
    expect(`${x!.title} ${x!.text}`).not.toMatch(/never happened|did not finish/);
  });

  it('never happened where that service logged and said nothing (tail of nova-api and cinder-api)', () => {
    const [x] = explain('field/tail-two/tail-two.log');
    expect(x!.missingLogs).not.toContain('cinder-api');
    expect(x!.title).toContain('did not finish');
    expect(x!.text).toContain('never happened');
    expect(run('field/tail-two/tail-two.log').notFollowed).toBeUndefined();
  });

  it('a failed create read from cinder-volume alone never "never reached" cinder-api: it reached cinder-volume', () => {
    // The real Kilo log with line 22's `created successfully` replaced by Kilo's `create failed`
    // (cinder 2015.1.2 create_volume.py:200), under the same admin context id.
    const name = 'cloudbyte-kilo-create-volume.log';
    const lines = readFileSync(
      new URL(`../../samples/field/cloudbyte-kilo-create-volume/${name}`, import.meta.url),
      'utf8',
    ).split('\r\n');
    lines[21] = lines[21]!
      .replace(' INFO ', ' ERROR ')
      .replace(/\] Volume .*$/, '] Volume b61f3dbe-8704-422e-9961-7e5908e78e3c: create failed');
    const [x] = runPipelineOnText([{ name, text: lines.join('\r\n') }]).result.explanations!;
    expect(x!.title).toBe(
      'server/volume-create failed at cinder-volume "cinder-volume fails the create; the volume goes to error"',
    );
    expect(x!.text).toContain('Not given: the cinder-api, cinder-scheduler logs');
    expect(x!.text).not.toContain('never reached');
  });

  it('a step of a service whose log was given is still "never reached" (minicloud 08: client, nova-api, cinder-api)', () => {
    const dir = 'minicloud/08-attach-nova-compute-down/';
    const list = runPipelineOnText(
      ['client.log', 'nova-api.log', 'cinder-api.log'].map((name) => ({
        name,
        text: readFileSync(new URL(`../../samples/${dir}${name}`, import.meta.url), 'utf8'),
      })),
    ).result.explanations!;
    expect(list.at(0)!.text.replace(/\s+/g, ' ')).toContain(
      'never reached: Create the attachment (reserve) (POST /attachments on cinder-api) and 2 later steps',
    );
  });
});
