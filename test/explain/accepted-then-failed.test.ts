// A command that fails after the API accepted its request: OSC 6.0.0's `server evacuate`
// exits 1 ("'TupleWithMeta' object has no attribute 'to_dict'") after nova answered the
// evacuation 200 and carried it out (samples/minicloud/26-evacuate-attached, real). The story
// says the request went through (retrying would evacuate again), and never blames the 404 of
// the client looking the server's name up as an id.
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { recording } from '../recording.js';

const told = (inputs: Array<{ name: string; text: string }>) => {
  // nova-compute's own ERROR record of the recording ("No DB access allowed") is told after it, on its own.
  const stories = runPipelineOnText(inputs).result.explanations!.filter((s) => s.loggedError === null);
  expect(stories).toHaveLength(1);
  return stories[0]!;
};

describe('a command that failed after its request was accepted', () => {
  it('with its flow: the 200 and the client error are told, the request went through', () => {
    const story = told(recording('26-evacuate-attached'));
    expect(story.text).toContain('got HTTP 200');
    expect(story.text).toContain(
      `then the client failed on the answer: "'TupleWithMeta' object has no attribute 'to_dict'"`,
    );
    expect(story.text).not.toContain('404');
    expect(story.title).toBe(
      "`server evacuate` (exit 1, HTTP 200) failed in the client after the API accepted its call: 'TupleWithMeta' object has no attribute 'to_dict'",
    );
  });

  it('without a flow for the command or its service logs: the name lookup 404 is no failure, the accepted POST is told', () => {
    // The same real client log alone, the command renamed so that no client flow knows it.
    const inputs = recording('26-evacuate-attached')
      .filter((i) => i.name === 'client.log')
      .map((i) => ({ ...i, text: i.text.replaceAll('server evacuate', 'server frobnicate') }));
    const story = told(inputs);
    expect(story.title).toContain('failed in the client after the API accepted its call: ');
    expect(story.text).not.toContain('HTTP 404');
    expect(story.text).toMatch(
      /after its last call, POST \/v2\.1\/servers\/5918f59d-d667-4850-899c-e159046bff1f\/action, was accepted \(HTTP 200, request id req-735da50d-3c40-4c76-93ff-62c1be29d90d\)/,
    );
  });
});
