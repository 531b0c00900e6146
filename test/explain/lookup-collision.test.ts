// Explain's run lookups (src/explain/story.ts) index events and chains by a 32-bit hash of
// their request id (src/core/key-index.ts): two ids can share one. The real recording of a
// failed attach (samples/minicloud/04-attach-driver-error) with its request id renamed to one
// of two colliding ids, and an RPC timeout of a request of the other id added to nova-compute's
// log (oslo.messaging's line shape): the stories are those of the same run with an id of
// another hash in the other's place — each request told with its own events and chains only
// (fails when either lookup's check is left out).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashKey } from '../../src/core/key-index.js';
import { runPipelineOnText } from '../../src/pipeline.js';

const dir = new URL('../../samples/minicloud/04-attach-driver-error/', import.meta.url).pathname;
const REQUEST = 'req-25947822-c9a4-46d4-8181-7a50c86c12ed';

/** Two request ids of the canonical shape with one hash (a birthday search, deterministic). */
function collidingIds(): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const id = `req-00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
    const h = hashKey(id);
    const other = seen.get(h);
    if (other !== undefined) return [other, id];
    seen.set(h, id);
  }
}

const explain = (inputs: Array<{ name: string; text: string }>) => runPipelineOnText(inputs).result;

/** The sample with its request id renamed to `own`, and an RPC timeout of request `other` in nova-compute's log. */
function inputs(own: string, other: string, withClient: boolean): Array<{ name: string; text: string }> {
  const timeout =
    `2026-12-04 23:21:06.006 25905 ERROR oslo_messaging.rpc.client [None ${other} 55d177fc58204eceb9235a76e889771a ` +
    '4002408efab24921ac623fdf4cdf1270 - - default default] MessagingTimeout: Timed out waiting for a reply to message ID 0f1e';
  return readdirSync(dir)
    .filter((f) => f.endsWith('.log') && (withClient || f !== 'client.log'))
    .map((f) => {
      const text = readFileSync(join(dir, f), 'utf8').replaceAll(REQUEST, own);
      return {
        name: f,
        text: f === 'nova-compute.log' ? text.replace(/^(.*\n){9}/, (head) => `${head}${timeout}\n`) : text,
      };
    });
}

describe('explain with two request ids of one hash', () => {
  const [own, other] = collidingIds();
  const apart = 'req-00000000-0000-4000-8000-ffffffffffff';

  it.each([
    ['with the client log (the chain is rooted at its call)', true],
    ['without it (the chain is rooted at the request id)', false],
  ])('tells each request its own events and chains, %s', (_, withClient) => {
    expect(hashKey(own)).toBe(hashKey(other));
    expect(hashKey(apart)).not.toBe(hashKey(own));
    const run = explain(inputs(own, other, withClient));
    // the other request's timeout is an event of the run, under the shared hash
    expect([...run.serviceEvents].filter((e) => e.requestId === other).map((e) => e.marker)).toEqual([
      'rpc.messaging-timeout',
    ]);
    const story = run.explanations!.find((x) => x.text.includes(own) && !x.text.includes('MessagingTimeout'))!;
    expect(story.text).not.toContain('gave up waiting for an RPC reply');
    // the same stories as with an id of another hash in its place
    const alone = explain(inputs(own, apart, withClient));
    expect(JSON.stringify(run.explanations)).toBe(JSON.stringify(alone.explanations).replaceAll(apart, other));
  });
});
