// A request whose API line no log shows is headed by the worker that began first, not by the
// worker whose log was given first: in the real Vietnamese cinder notes (samples/field/vi-notes-
// cinder-backup) the volume.log blocks come before the backup.log ones, but cinder-backup's
// backup and restore began first and reached cinder-volume (an attach for the backup's copy).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const NAME = 'vi-notes-cinder-backup.log';

describe('the head of a request seen only in its workers', () => {
  it('is the worker that began first (cinder-backup → cinder-volume), whatever the order of the logs', () => {
    const text = readFileSync(new URL(`../../samples/field/vi-notes-cinder-backup/${NAME}`, import.meta.url), 'utf8');
    const chains = [...runPipelineOnText([{ name: NAME, text }]).result.chains];
    expect(chains.length).toBeGreaterThan(0);
    for (const c of chains) expect(c.services).toEqual(['cinder-backup', 'cinder-volume']);
  });
});
