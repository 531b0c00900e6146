// All services of samples/minicloud ran on one host, one clock. At INFO a worker logs a
// line or two per request, not around the calls it makes (nova-compute's span may end
// before the PUT /attachments it made reaches cinder-api; nova-conductor's first line may
// come after its call to neutron): those lines bound no clock. The same recordings at INFO
// report no clock skew, and the estimate still uses a worker's lines when they are DEBUG.
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { recording } from '../recording.js';

const skews = (dir: string, level: 'DEBUG' | 'INFO') => {
  const { result } = runPipelineOnText(recording(dir, level));
  return [result.clockSkews, result.findings.filter((f) => f.ruleId === 'time/clock-skew')];
};

describe('clock estimates from INFO-level service logs of one host', () => {
  for (const dir of ['01-attach-detach', '15-resize-attached', '17-resize-revert-attached'])
    it(`${dir}: no clock skew at INFO or DEBUG`, () => {
      expect(skews(dir, 'INFO')).toEqual([[], []]);
      expect(skews(dir, 'DEBUG')).toEqual([[], []]);
    });
});
