// A raw mail's MIME parts: a boundary line the mail declared ends the part before it, so the
// next part (multipart/alternative's quoted-printable HTML copy of the message) is no text under
// the last log record of the plain part. Real input: samples/field/open-iscsi-mail-multipart
// (a list archive's raw mail, source in its expect file).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MimeParts } from '../../src/parse/mime.js';
import { runPipelineOnText } from '../../src/pipeline.js';

const text = readFileSync(
  new URL('../../samples/field/open-iscsi-mail-multipart/open-iscsi-mail-multipart.log', import.meta.url),
  'utf8',
);
const lines = text.split('\n');

describe('MIME parts of a raw mail', () => {
  it('the boundary lines are those of the boundaries the headers declared (65, folded; 82, folded)', () => {
    const mime = new MimeParts();
    const found = lines.flatMap((l, i) => (mime.take(l) ? [i + 1] : []));
    expect(found).toEqual([80, 84, 267, 398, 400]);
  });

  it('a `--` line no header declared is no boundary', () => {
    const mime = new MimeParts();
    expect(mime.take(lines[79]!)).toBe(false); // the first boundary line, before its declaration
    expect(mime.take('--')).toBe(false);
  });

  it('the HTML part after the boundary is unrecognized, not the continuation of the last record', () => {
    const { result } = runPipelineOnText([{ name: 'mail.log', text }], { keepUnrecognized: 10_000 });
    const [input] = result.inputs;
    const unrecognized = input!.unrecognized.map((u) => u.line);
    // its headers, and its quoted-printable body joined into one `<div>` line (271–382)
    expect(unrecognized).toEqual(expect.arrayContaining([268, 269, 271]));
    expect(unrecognized.filter((l) => l > 266)).toEqual([268, 269, 271, 384, 386, 387, 389, 392]);
    expect(input!.kinds.markup).toBe(5);
    // the ERROR under it is still one
    expect((result.serviceErrors ?? []).map((e) => [e.line, e.message])).toEqual([
      [250, 'Could not login to any iSCSI portal.'],
    ]);
  });
});
