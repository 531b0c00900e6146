// What explain keeps of the flows: only those its stories can tell (the flows of a failed
// command, of a command with a finding or an unfinished flow), not every clean command's of a
// day's log. Real input: minicloud 03, an attach refused because the volume is in use
// between a clean attach and a clean detach.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flowsByCommand } from '../../src/explain/problems.js';
import { runPipelineOnText } from '../../src/pipeline.js';

const name = 'samples/minicloud/03-attach-in-use-error/client.log';
const analysis = runPipelineOnText([{ name, text: readFileSync(new URL(`../../${name}`, import.meta.url), 'utf8') }]);

describe('explain: the flows a story keeps', () => {
  it('all flows when no commands are named (diff reads them all)', () => {
    const { flowsOfCommand } = flowsByCommand(analysis.result);
    expect([...flowsOfCommand.keys()].sort()).toEqual([1, 3, 5]);
  });

  it('only the commands named and those with an unfinished flow', () => {
    const { flowsOfCommand } = flowsByCommand(analysis.result, { commands: new Set() });
    expect([...flowsOfCommand.keys()]).toEqual([3]);
    expect(flowsOfCommand.get(3)!.map((f) => [f.flow, f.verdict])).toEqual([['client/server-add-volume', 'failed']]);
    const named = flowsByCommand(analysis.result, { commands: new Set([5]) }).flowsOfCommand;
    expect([...named.keys()].sort()).toEqual([3, 5]);
  });

  it('the refused attach is the one story, its flow told', () => {
    const [story, ...rest] = analysis.result.explanations!;
    expect(rest).toEqual([]);
    expect(story!.command?.id).toBe(3);
    expect(story!.text).toContain('server add volume');
  });
});
