// Every samples/minicloud recording ran on one host with one clock: the timeline
// merge must find no clock skew in any of them (a late worker line, an access line
// written at the end of a request, a cast worked on after the API answered are
// logging points, not clocks).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const root = fileURLToPath(new URL('../../samples/minicloud/', import.meta.url));
const folders = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe.each(folders)('samples/minicloud/%s', (folder) => {
  it('reports no time/clock-skew', () => {
    const names = readdirSync(`${root}${folder}`)
      .filter((n) => n.endsWith('.log'))
      .sort();
    const { result } = runPipelineOnText(
      names.map((name) => ({ name, text: readFileSync(`${root}${folder}/${name}`, 'utf8') })),
    );
    expect(result.findings.filter((f) => f.ruleId === 'time/clock-skew')).toEqual([]);
  });
});
