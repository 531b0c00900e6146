// Issue #12 shapes 4-6 end to end through the built CLI: markers behind a user's prefix,
// hard-wrapped pastes, Essex-era wire dumps and 2013 service logs, from the real samples.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../temp-dirs.js';
import { ostrace } from './built-cli.js';

const tempDir = tempDirs('ostrace-field-');

interface Row {
  side: string;
  method: string | null;
  path: string | null;
  status: number | null;
  requestId: string | null;
}

function analyze(path: string): { rows: string[]; unrecognized: number } {
  const r = ostrace(['analyze', '--format', 'json', path]);
  expect(r.code, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as { exchanges: Row[]; inputs: Array<{ unrecognizedLines: number }> };
  return {
    rows: out.exchanges.map(
      (e) => `${e.side} ${e.method ?? '?'} ${e.path ?? '?'} ${e.status ?? '?'} ${e.requestId ?? '-'}`,
    ),
    unrecognized: out.inputs.reduce((n, i) => n + i.unrecognizedLines, 0),
  };
}

describe('field shapes from the CLI', () => {
  it('a keystoneauth program behind its own banner logger', () => {
    const { rows, unrecognized } = analyze('samples/field/user-logger-banner/user-logger-banner.log');
    expect(rows).toEqual([
      'client POST /identity/v3/auth/tokens 201 -',
      'client GET /compute/v2.1/servers 200 req-489bd1e5-6ede-4734-9484-52423ea41bd9',
      'client GET /volume/v3/8d1d1b6c0a8e4f5c9b0e2a7f3c4d5e6f/volumes/detail 200 req-52e43e9f-97da-4fdb-b14e-be27587fd9f9',
      'client PUT /compute/v2.1/servers/0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11 405 req-d75081e6-a4b3-443f-bdf5-88d419339f1a',
    ]);
    expect(unrecognized).toBe(0);
  });

  it('Horizon under Apache 2.2 and a `fold -w 76` paste', () => {
    expect(analyze('samples/field/horizon-apache22-error-log/horizon-apache22-error-log.log').rows).toHaveLength(4);
    const folded = analyze('samples/field/osc-fold-w76/osc-fold-w76.log');
    expect(folded.unrecognized).toBe(0);
    expect(folded.rows.at(-1)).toBe(
      'client POST /compute/v2.1/servers/0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11/os-volume_attachments 409 req-89315e2a-1600-422d-9896-e4044ccd882a',
    );
  });

  it('an Essex nova --debug paste and a 2013 cinder-api log', () => {
    expect(analyze('samples/field/novaclient-essex-httplib/novaclient-essex-httplib.log').rows).toEqual([
      'client GET /v1.1/aedbb3cbce1f4cc98d5630a96996cba2/servers/296a17c9-139d-48f6-9c77-6ddf3d33ff5d 200 req-728bff03-95cc-43c5-ae26-354d4511c216',
    ]);
    const cinder = analyze('samples/field/cinder-grizzly-2013/cinder-api.log');
    expect(cinder.rows.filter((r) => r.startsWith('server POST '))).toEqual([
      'server POST /v1/439df062c81244a1af4f977f1450990c/volumes 200 -',
    ]);
    expect(cinder.rows).toHaveLength(5);
  });

  it('a real --debug run with an issue template around it: single-# headings and comments over several lines', () => {
    const recording = 'samples/real-osc/volume-show.log';
    const plain = analyze(recording);
    // The template's instructions as GitHub leaves them, a heading, and the reporter's own
    // notes between a REQ and its RESP and between the RESP and its body (the code block
    // closed around them, as markdown needs).
    const pasted: string[] = ['# Logs from openstack --debug', '', '<!--', 'Paste the whole output.', '-->', '', '```'];
    for (const line of readFileSync(recording, 'utf8').trimEnd().split('\n')) {
      if (line.startsWith('RESP: [404]')) pasted.push('```', '<!-- the 404', 'is the bug -->', '```');
      if (line.startsWith('RESP BODY: {"itemNotFound"'))
        pasted.push('```', '', '# Response body', '<!--', 'as printed', '-->', '```');
      pasted.push(line);
    }
    pasted.push('```', '', '# Expected result');
    const file = join(tempDir(), 'issue.md');
    writeFileSync(file, `${pasted.join('\n')}\n`);
    const inIssue = analyze(file);
    expect(inIssue.rows).toEqual(plain.rows);
    expect(inIssue.rows).toContain(
      'client GET /volume/v3/8d1d1b6c0a8e4f5c9b0e2a7f3c4d5e6f/volumes/vol1 404 req-b567c991-2646-47d6-a5f3-affea0890bce',
    );
    expect(inIssue.unrecognized).toBe(plain.unrecognized);
    // The 404's message still comes from its body, after the markup.
    const out = JSON.parse(ostrace(['analyze', '--format', 'json', file]).stdout) as {
      exchanges: Array<{ status: number | null; error: { message: string } | null }>;
    };
    expect(out.exchanges.find((e) => e.status === 404)?.error?.message).toBe('Volume vol1 could not be found.');
  });

  it('tail of two cinder logs: the file name in the header labels its lines, else the role file in its project directory', () => {
    const services = (path: string) => {
      const r = ostrace(['analyze', '--format', 'json', path]);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { inputs: Array<{ name: string; service: string | null }> };
      return out.inputs.map((i) => `${i.name.split(' » ')[1] ?? '(before any header)'}: ${i.service}`);
    };
    // RDO names: `api.log` holding only cinder.volume.api lines is cinder-api's, `volume.log` cinder-volume's.
    expect(services('samples/field/tail-rdo-cinder/tail-rdo-cinder.log')).toEqual([
      'var/log/cinder/volume.log: cinder-volume',
      'var/log/cinder/api.log: cinder-api',
    ]);
    // A published `tail -f`: cinder.volume.api lines under cinder-volume's file are that file's.
    expect(services('samples/field/k8s-tail-cinder-indented/k8s-tail-cinder-indented.log')).toEqual([
      '(before any header): cinder-volume',
      '/var/log/cinder/cinder-volume-vmware-vcenter.log: cinder-volume',
    ]);
  });
});
