// Paste markup over several lines: HTML comments an issue template leaves, single-`#` headings,
// and what must stay text (fenced shell and config comments, root prompts).
import { describe, expect, it } from 'vitest';
import { LearnedPrefix } from '../../src/parse/learned.js';

/** The kinds of each line of one input, read in order. */
function kindsOf(lines: string[]): string[] {
  const input = new LearnedPrefix();
  return lines.map((line) =>
    input
      .pieces(line)
      .map((p) => p.record.kind)
      .join('+'),
  );
}

const OSLO =
  '2026-11-25 21:02:54.153 3318 INFO nova.api.openstack.requestlog [None req-a5a69932-4355-4503-9fbf-31582c12abc4 7d909a8c6c6b4ab1a4e2ddd657e5ad4e 7f697e5c98a34cb1a2c11b7809b4766e - - default default] 127.0.0.1 "POST /v2.1/servers/1e5c1409-8714-450d-89e5-ec91287ce520/os-volume_attachments" status: 200 len: 239 microversion: 2.89 time: 0.252527';

describe('HTML comments over several lines', () => {
  it('reads every line from `<!--` to `-->` as markup, and the log after it as log', () => {
    expect(
      kindsOf([
        '<!-- Please fill in the sections below.',
        '',
        'Paste the output of `openstack --debug` here.',
        '# Logs',
        '-->',
        OSLO,
      ]),
    ).toEqual(['markup', 'markup', 'markup', 'markup', 'markup', 'access']);
  });

  it('keeps a one-line comment stateless and an indented opening a comment too', () => {
    expect(kindsOf(['<!-- one line -->', OSLO])).toEqual(['markup', 'access']);
    expect(kindsOf(['  <!--', '  note', '  -->', OSLO])).toEqual(['markup', 'markup', 'markup', 'access']);
  });

  it('does not let a comment never closed swallow the log: a prefixed line or a REQ ends it', () => {
    expect(kindsOf(['<!--', 'a note', OSLO, 'text after'])).toEqual(['markup', 'markup', 'access', 'unrecognized']);
    expect(kindsOf(['<!--', 'REQ: curl -g -i -X GET http://h/v3 -H "Accept: application/json"'])).toEqual([
      'markup',
      'req',
    ]);
  });

  it('opens no comment inside a fenced code block, and a fence inside a comment is the comment', () => {
    expect(kindsOf(['```html', '<!--', '```', OSLO])).toEqual(['markup', 'unrecognized', 'markup', 'access']);
    expect(kindsOf(['<!--', '```', '# [root@controller01 ~]# mysql', '```', '-->', '# Logs'])).toEqual([
      'markup',
      'markup',
      'markup',
      'markup',
      'markup',
      'markup',
    ]);
  });
});

describe('single-# headings', () => {
  it('reads `# Title` at the start, after a blank line or after markup as a heading', () => {
    expect(kindsOf(['# Logs from nova-compute', OSLO, '', '# Logs from nova-api', OSLO])).toEqual([
      'markup',
      'access',
      'blank',
      'markup',
      'access',
    ]);
    expect(kindsOf(['-->', '# Output'])).toEqual(['unrecognized', 'unrecognized']);
    expect(kindsOf(['<!--', '-->', '# Output'])).toEqual(['markup', 'markup', 'markup']);
  });

  it('keeps `#` lines text inside a fence, right after text, and in a config comment block', () => {
    // A shell transcript in a fenced block: a root prompt and the author's comment.
    expect(kindsOf(['```', '# mysql -u root -p', '# <a note>', '```'])).toEqual([
      'markup',
      'unrecognized',
      'unrecognized',
      'markup',
    ]);
    // Right after a log line: a comment in the transcript, not a heading.
    expect(kindsOf([OSLO, '# restart the service'])).toEqual(['access', 'unrecognized']);
    // oslo-config-generator's comment blocks: each `#` line follows another.
    expect(kindsOf(['[DEFAULT]', '', '#', '# From nova.conf', '#', '#debug = false'])).toEqual([
      'unrecognized',
      'blank',
      'unrecognized',
      'unrecognized',
      'unrecognized',
      'unrecognized',
    ]);
    // `#text` without the space is no heading in markdown either.
    expect(kindsOf(['', '#查找云主机类型'])).toEqual(['blank', 'unrecognized']);
  });

  it('leaves a root prompt running a client a shell line', () => {
    expect(kindsOf(['', '# openstack --debug server list'])).toEqual(['blank', 'shell']);
  });
});

describe('a command typed with no prompt in a code block', () => {
  // samples/field/attachment-show-chap (real notes): the command in one block, its table in the next.
  it('is a shell line inside a fence, and text outside one', () => {
    expect(
      kindsOf([
        '```sh',
        'openstack volume attachment show 6bb646a5-af8b-4966-8035-fb0f1426097e',
        '```',
        'openstack volume attachment show is how to see it.',
      ]),
    ).toEqual(['markup', 'shell', 'markup', 'unrecognized']);
  });

  it('is only the client with a command word or an option', () => {
    expect(
      kindsOf(['```', 'openstack --debug server list', 'openstack: command not found', 'openstack', '```']),
    ).toEqual(['markup', 'shell', 'unrecognized', 'unrecognized', 'markup']);
  });
});
