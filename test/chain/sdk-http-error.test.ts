// osc 5+ prints openstacksdk's HttpException as it is, `ConflictException: 409: Client Error for url:
// URL, message`: the command's error line, proving a call to that URL answered with that status
// (real: a glance spec's transcript, samples/field/glance-spec-sdk-409-indented).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../src/parse/index.js';
import { runPipelineOnText } from '../../src/pipeline.js';

const NAME = 'glance-spec-sdk-409-indented';
const text = readFileSync(new URL(`../../samples/field/${NAME}/${NAME}.log`, import.meta.url), 'utf8');
const errorLine = text.split('\n')[1]!.trim();
const ERROR_LINE =
  'ConflictException: 409: Client Error for url: https://glance-default-public-openstack.apps-crc.testing/v2/images/0ce1f894-5af7-44fa-987d-f4c47c77d0cf/file, Conflict';

describe("openstacksdk's HttpException printed by osc", () => {
  it('is a client error line with its status and URL, its message the line as osc printed it', () => {
    expect(parseLine(errorLine)).toMatchObject({
      kind: 'client-error',
      status: 409,
      requestId: null,
      url: 'https://glance-default-public-openstack.apps-crc.testing/v2/images/0ce1f894-5af7-44fa-987d-f4c47c77d0cf/file',
      message: ERROR_LINE,
    });
  });

  it("is the command's failure: one call answered 409 at that path, its method unknown", () => {
    const { result } = runPipelineOnText([{ name: 'spec.rst', text }]);
    expect(result.exchanges.map((e) => [e.method, e.path, e.status, e.requestId])).toEqual([
      [null, '/v2/images/0ce1f894-5af7-44fa-987d-f4c47c77d0cf/file', 409, null],
    ]);
    expect(result.commands.map((c) => [c.argv.at(-1), c.error])).toEqual([['cirros', ERROR_LINE]]);
  });
});
