// Production services log at oslo.log's default level, INFO. The same real recordings
// (samples/minicloud) with every DEBUG line of the service logs removed must tell the same
// stories: the same problems with the same titles, and no problem on the clean ones.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { recording } from '../recording.js';

const recordings = readdirSync(fileURLToPath(new URL('../../samples/minicloud/', import.meta.url)))
  .filter((d) => /^\d\d-/.test(d))
  .sort();

const titles = (dir: string, level: 'DEBUG' | 'INFO') =>
  runPipelineOnText(recording(dir, level)).result.explanations!.map((x) => x.title);

describe('explain on the recordings with the service logs at INFO', () => {
  it('covers every recording', () => {
    expect(recordings.length).toBeGreaterThanOrEqual(21);
  });
  for (const dir of recordings)
    it(`${dir}: the same stories as at DEBUG`, () => {
      expect(titles(dir, 'INFO')).toEqual(titles(dir, 'DEBUG'));
    });
});
