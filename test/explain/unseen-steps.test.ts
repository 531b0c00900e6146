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
});
