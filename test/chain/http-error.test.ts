// The error of a failed response's body (src/chain/http.ts errorOf): an OpenStack fault names its
// error key; webob's own JSON error page (samples/field/packstack-flattened-volume-list-503, real:
// keystonemiddleware's 503 while keystone refused cinder's password) names none.
import { describe, expect, it } from 'vitest';
import { errorOf } from '../../src/chain/http.js';

const webob503 =
  '{"message": "The server is currently unavailable. Please try again at a later time.<br /><br />\\nThe Keystone service is temporarily unavailable.\\n\\n", "code": "503 Service Unavailable", "title": "Service Unavailable"}';

describe('errorOf', () => {
  it("reads webob's error page: its message, no error key", () => {
    expect(errorOf(503, webob503)).toEqual({
      message:
        'The server is currently unavailable. Please try again at a later time.<br /><br />\nThe Keystone service is temporarily unavailable.\n\n',
      code: null,
    });
  });

  it('takes the title when the page has an empty message', () => {
    expect(errorOf(404, '{"message": "", "code": "404 Not Found", "title": "Not Found"}')).toEqual({
      message: 'Not Found',
      code: null,
    });
  });

  it("keeps a fault's key as its code", () => {
    expect(errorOf(404, '{"itemNotFound": {"message": "Volume liangr could not be found.", "code": 404}}')).toEqual({
      message: 'Volume liangr could not be found.',
      code: 'itemNotFound',
    });
    expect(errorOf(401, '{"error": {"code": 401, "title": "Unauthorized", "message": "x"}}')).toEqual({
      message: 'x',
      code: 'error',
    });
  });

  it('is null for a success', () => {
    expect(errorOf(200, webob503)).toBeNull();
  });
});
