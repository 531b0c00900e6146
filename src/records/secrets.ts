// Secrets a record shows in clear, for the lint rules that report them. keystoneauth
// hashes token headers (`{SHA1}…`, `{SHA256}…`), but older clients did not: novaclient's
// HTTPClient before 2.18.0 printed the token, python-keystoneclient before 0.11.2 printed
// `TOKEN_REDACTED`, cinderclient's HTTPClient prints `X-Subject-Token` in its response
// dict, and legacy token requests carry the password in their `-d` body. Masking for
// output is src/secrets/mask.ts; this module only finds.
import type { Header, LineRecord } from '../core/records.js';

export interface ClearSecret {
  /** clear-token: a usable token; redacted-token: keystoneclient's `TOKEN_REDACTED` placeholder; password: a password-like body field. */
  kind: 'clear-token' | 'redacted-token' | 'password';
  where: 'request-header' | 'response-header' | 'request-body' | 'response-body';
  /** Header name or body key. */
  name: string;
}

const TOKEN_HEADERS = new Set(['x-auth-token', 'x-subject-token', 'x-service-token', 'authorization']);
const SECRET_BODY_KEYS = ['password', 'adminPass', 'admin_pass', 'secret', 'passcode'];

/** A token header value that hides nothing of the token. */
export function isClearTokenValue(value: string): boolean {
  const v = value.trim();
  if (v === '' || v === 'TOKEN_REDACTED' || v.startsWith('{SHA1}') || v.startsWith('{SHA256}')) return false;
  if (/^\*+$/.test(v) || v === '<redacted>' || v.endsWith('…') || v === 'None') return false;
  return true;
}

/** Every clear secret in a req/resp/resp-body record (other kinds have none that this module knows). */
export function clearSecretsOf(record: LineRecord): ClearSecret[] {
  switch (record.kind) {
    case 'req':
      return [...headerSecrets(record.headers, 'request-header'), ...bodySecrets(record.body, 'request-body')];
    case 'resp':
      return [...headerSecrets(record.headers, 'response-header'), ...bodySecrets(record.body, 'response-body')];
    case 'resp-body':
      return bodySecrets(record.text, 'response-body');
    default:
      return [];
  }
}

function headerSecrets(headers: readonly Header[], where: ClearSecret['where']): ClearSecret[] {
  const out: ClearSecret[] = [];
  for (const [name, value] of headers) {
    if (!TOKEN_HEADERS.has(name.toLowerCase())) continue;
    if (value.trim() === 'TOKEN_REDACTED') out.push({ kind: 'redacted-token', where, name });
    else if (isClearTokenValue(value)) out.push({ kind: 'clear-token', where, name });
  }
  return out;
}

/**
 * `"password": "x"` (JSON) or `'password': 'x'` (python repr) with a value that is not
 * already masked. A forward scan per key: linear, whatever the body size.
 */
function bodySecrets(body: string | null, where: ClearSecret['where']): ClearSecret[] {
  if (!body) return [];
  const out: ClearSecret[] = [];
  for (const key of SECRET_BODY_KEYS) {
    for (const q of ['"', "'"]) {
      const needle = `${q}${key}${q}`;
      let from = 0;
      for (;;) {
        const at = body.indexOf(needle, from);
        if (at < 0) break;
        from = at + needle.length;
        let i = from;
        while (body[i] === ' ') i++;
        if (body[i] !== ':') continue;
        i++;
        while (body[i] === ' ') i++;
        if (body[i] !== '"' && body[i] !== "'") continue;
        const close = body.indexOf(body[i]!, i + 1);
        const value = body.slice(i + 1, close < 0 ? undefined : close);
        if (value !== '' && !/^\*+$/.test(value)) {
          out.push({ kind: 'password', where, name: key });
          break;
        }
      }
    }
  }
  return out;
}
