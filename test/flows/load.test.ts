// Broken flow files: rejected whole, with file, JSON pointer (or line:column) and
// what was expected.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFlowFile, loadFlowSet, loadFlowText } from '../../src/flows/load.js';

const bad = (name: string) => fileURLToPath(new URL(`./bad/${name}`, import.meta.url));
const addVolume = readFileSync(new URL('../../grammars/client-server-add-volume.flow.json', import.meta.url), 'utf8');

describe('flow file diagnostics', () => {
  it('names the JSON pointer and the expected values of a bad method', () => {
    const r = loadFlowFile(bad('bad-method.flow.json'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics).toEqual([
      {
        file: bad('bad-method.flow.json'),
        at: '/flows/0/variants/0/steps/1/match/method',
        message: expect.stringMatching(
          /^expected one of "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", got "FETCH"$/,
        ),
      },
    ]);
  });

  it('gives line:column for JSON syntax errors', () => {
    const r = loadFlowFile(bad('syntax.flow.json'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]!.at).toBe('4:14');
  });

  it('checks templates, sample references and unique step ids beyond the schema', () => {
    const def = JSON.parse(addVolume);
    def.flows[0].variants[0].steps.at(-1).match.path = '/servers/{server_id/os-volume_attachments';
    def.flows[0].variants[0].steps[1].step = 'identity-discovery';
    def.samples[0].expect[0].variant = 'no-such-variant';
    const r = loadFlowText(
      fileURLToPath(new URL('../../grammars/edited.flow.json', import.meta.url)),
      JSON.stringify(def),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.map((d) => d.at)).toEqual([
      '/flows/0/variants/0/steps/1/step',
      '/flows/0/variants/0/steps/4/match/path',
      '/samples/0/expect/0/variant',
    ]);
    expect(r.diagnostics[1]!.message).toContain('is not a {capture}');
  });

  it('takes joinBy only on a service-log step of a request-scoped flow that is no anchor', () => {
    const volumeCreate = readFileSync(
      new URL('../../grammars/server-volume-create.flow.json', import.meta.url),
      'utf8',
    );
    const def = JSON.parse(volumeCreate);
    const first = def.flows[0].variants[0].steps[0].oneOf[0];
    first[0].joinBy = 'volume'; // create-request: a call
    first[3].oneOf[0][0].joinBy = 'volume'; // volume-create-start: an anchor
    const r = loadFlowText(
      fileURLToPath(new URL('../../grammars/edited.flow.json', import.meta.url)),
      JSON.stringify(def),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.map((d) => [d.at, d.message])).toEqual([
      ['/flows/0/variants/0/steps/0/oneOf/0/0/joinBy', expect.stringContaining('joinBy applies to service-log steps')],
      [
        '/flows/0/variants/0/steps/0/oneOf/0/3/oneOf/0/0/joinBy',
        expect.stringContaining('joinBy applies to service-log steps'),
      ],
    ]);
  });

  it('never half-loads: a directory with one bad file keeps only the good ones and reports the bad', () => {
    const set = loadFlowSet([fileURLToPath(new URL('./bad/', import.meta.url))], false);
    expect(set.files).toEqual([]);
    expect(set.flows).toEqual([]);
    expect(set.diagnostics.map((d) => d.file.split('/').at(-1))).toEqual(['bad-method.flow.json', 'syntax.flow.json']);
  });
});
