// HAR's cookies from the Cookie and Set-Cookie headers as the HAR writes them (masked unless
// --show-secrets): name and value, and a Set-Cookie's path, domain, expires, httpOnly and secure,
// valid against har-schema's cookie. Requests joins several Set-Cookie headers with `, `.
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';
import { harReporter } from '../../src/report/har.js';
import { requestCookies, responseCookies } from '../../src/report/har-cookies.js';
import { recordingWithCookies } from './helpers.js';

const require = createRequire(import.meta.url);
const harSchemas = require('har-schema') as Record<string, object>;
const ajv = new Ajv.default({ strict: false, allErrors: true });
ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
for (const schema of Object.values(harSchemas)) ajv.addSchema(schema);
const validate = ajv.getSchema('har.json#')!;

describe('HAR cookies', () => {
  it("a request's Cookie header: one cookie per name=value pair", () => {
    expect(
      requestCookies([
        { name: 'Accept', value: 'application/json' },
        { name: 'Cookie', value: 'sessionid=***; csrftoken=***' },
        { name: 'cookie', value: 'lang=en;flag; =x' },
      ]),
    ).toEqual([
      { name: 'sessionid', value: '***' },
      { name: 'csrftoken', value: '***' },
      { name: 'lang', value: 'en' },
    ]);
  });

  it("a response's Set-Cookie: its attributes; several joined by requests are each a cookie", () => {
    expect(
      responseCookies([
        {
          name: 'Set-Cookie',
          value:
            'sessionid=***; expires=Wed, 09 Dec 2026 21:46:47 GMT; HttpOnly; Path=/, lang=***; Domain=example.com; Secure; Max-Age=3600; SameSite=Lax',
        },
        { name: 'Vary', value: 'Cookie' },
        { name: 'set-cookie', value: 'csrftoken=***; expires=someday; path=/dashboard' },
      ]),
    ).toEqual([
      { name: 'sessionid', value: '***', expires: '2026-12-09T21:46:47.000Z', httpOnly: true, path: '/' },
      { name: 'lang', value: '***', domain: 'example.com', secure: true },
      // not a date: left out, nothing invented
      { name: 'csrftoken', value: '***', path: '/dashboard' },
    ]);
  });

  it('fills the HAR of a real recording, valid HAR 1.2, values masked', () => {
    const text = recordingWithCookies(
      'sid=S1',
      'sid=S2; expires=Wed, 09 Dec 2026 21:46:47 GMT; Secure; HttpOnly; Path=/',
    );
    const { result, details } = analyzeText([{ name: 'client.log', text }], { keepDetails: true });
    const render = (showSecrets: boolean) =>
      JSON.parse(harReporter.render(result, { color: false, showSecrets, details })) as {
        log: { entries: Array<{ request: { cookies: object[] }; response: { cookies: object[] } }> };
      };
    const har = render(false);
    expect(validate(har), ajv.errorsText(validate.errors)).toBe(true);
    const set = { expires: '2026-12-09T21:46:47.000Z', secure: true, httpOnly: true, path: '/' };
    expect(har.log.entries.flatMap((e) => [...e.request.cookies, ...e.response.cookies])).toEqual([
      { name: 'sid', value: '***' },
      { name: 'sid', value: '***', ...set },
    ]);
    expect(render(true).log.entries.flatMap((e) => [...e.request.cookies, ...e.response.cookies])).toEqual([
      { name: 'sid', value: 'S1' },
      { name: 'sid', value: 'S2', ...set },
    ]);
  });

  it('a quoted cookie value keeps both its quotes, masked or shown, in the header and the cookies', () => {
    // keystoneauth writes `-H "Cookie: sessionid="abc"; lang="en""`: the value's last quote, then the closing one.
    const text = recordingWithCookies('sessionid="abc"; lang="en"', 'sessionid="xyz"; Path=/');
    const { result, details } = analyzeText([{ name: 'client.log', text }], { keepDetails: true });
    type Entry = {
      request: { headers: Array<{ name: string; value: string }>; cookies: object[] };
      response: { headers: Array<{ name: string; value: string }>; cookies: object[] };
    };
    const render = (showSecrets: boolean) => {
      const har = JSON.parse(harReporter.render(result, { color: false, showSecrets, details })) as {
        log: { entries: Entry[] };
      };
      expect(validate(har), ajv.errorsText(validate.errors)).toBe(true);
      const entries = har.log.entries;
      return {
        headers: entries.flatMap((e) =>
          [...e.request.headers, ...e.response.headers].filter((h) => /cookie/i.test(h.name)).map((h) => h.value),
        ),
        cookies: entries.flatMap((e) => [...e.request.cookies, ...e.response.cookies]),
      };
    };
    expect(render(false)).toEqual({
      headers: ['sessionid="***"; lang="***"', 'sessionid="***"; Path=/'],
      cookies: [
        { name: 'sessionid', value: '"***"' },
        { name: 'lang', value: '"***"' },
        { name: 'sessionid', value: '"***"', path: '/' },
      ],
    });
    expect(render(true)).toEqual({
      headers: ['sessionid="abc"; lang="en"', 'sessionid="xyz"; Path=/'],
      cookies: [
        { name: 'sessionid', value: '"abc"' },
        { name: 'lang', value: '"en"' },
        { name: 'sessionid', value: '"xyz"', path: '/' },
      ],
    });
  });
});
