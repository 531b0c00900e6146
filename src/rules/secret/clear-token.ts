// secret/clear-token: a token in clear (X-Auth-Token, X-Subject-Token, X-Service-Token,
// Authorization not hashed, token ids in token bodies, Fernet tokens anywhere, session cookies).
import { secretRule } from './secret-rule.js';

export const clearToken = secretRule(
  'secret/clear-token',
  'token',
  'A token is logged in clear instead of hashed.',
  'Fires on each line holding an `X-Auth-Token`, `X-Subject-Token`, `X-Service-Token` or `Authorization` value ' +
    'that is not a `{SHA1}`/`{SHA256}` hash, a token-related CLI option value or shell variable (`OS_TOKEN=…`), a token id inside a token body, a `token` key (or one ending in `_token`) in a JSON body or a python dict a library logs raw, or a ' +
    "keystone Fernet token (`gAAAAA…`) wherever it stands, as in `openstack token issue`'s table, or a " +
    "session cookie's value in a `Cookie` or `Set-Cookie` header (keystoneauth hashes only its token headers). " +
    '`ostrace redact` masks exactly these.',
);
