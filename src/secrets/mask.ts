// Masking of secrets in text that ostrace prints. Every reporter goes through
// these helpers, so a secret reaches output only with --show-secrets.

const SECRET_OPTIONS = new Set([
  '--os-password', '--password', '--os-token', '--token', '--os-auth-token', '--os-application-credential-secret',
  '--application-credential-secret', '--os-client-secret', '--client-secret', '--admin-pass', '--root-password',
  '--os-totp', '--passcode',
]);

export const MASK = '***';

/** argv with the values of secret options masked (`--os-password X`, `--os-password=X`). */
export function maskArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    if (eq > 0 && SECRET_OPTIONS.has(a.slice(0, eq).toLowerCase())) { out.push(`${a.slice(0, eq)}=${MASK}`); continue; }
    out.push(a);
    if (SECRET_OPTIONS.has(a.toLowerCase()) && i + 1 < argv.length) { out.push(MASK); i++; }
  }
  return out;
}

// Keys whose JSON/python-repr values are secrets. Matched case-insensitively.
const SECRET_KEY = String.raw`(?:password|adminPass|admin_pass|secret|token_id|auth_token|passcode|credential|private_key)`;
const jsonSecret = new RegExp(String.raw`("${SECRET_KEY}"\s*:\s*")([^"\\]*(?:\\.[^"\\]*)*)(")`, 'gi');
const pySecret = new RegExp(String.raw`('${SECRET_KEY}'\s*:\s*')([^'\\]*(?:\\.[^'\\]*)*)(')`, 'gi');
const clearTokenHeader = /((?:X-Auth-Token|X-Subject-Token|X-Service-Token)["']?\s*[:=]\s*["']?)(?!\{SHA(?:1|256)\})([A-Za-z0-9_\-.=+/]{16,})/gi;
const bearer = /(Authorization["']?\s*[:=]\s*["']?(?:Bearer|Basic)\s+)([A-Za-z0-9_\-.=+/]{8,})/gi;
const cliOption = /(--os-password|--password|--os-token|--os-auth-token|--os-application-credential-secret)([ =])(?!\*\*\*)(\S+)/gi;

/** Mask secrets inside free text: JSON and python-repr secret keys, clear token headers, CLI options. */
export function maskText(text: string): string {
  if (!mayHoldSecret(text)) return text;
  return text
    .replace(jsonSecret, (_m, a: string, v: string, b: string) => (v === MASK || v === '' ? `${a}${v}${b}` : `${a}${MASK}${b}`))
    .replace(pySecret, (_m, a: string, v: string, b: string) => (v === MASK || v === '' ? `${a}${v}${b}` : `${a}${MASK}${b}`))
    .replace(clearTokenHeader, (_m, a: string) => `${a}${MASK}`)
    .replace(bearer, (_m, a: string) => `${a}${MASK}`)
    .replace(cliOption, (_m, a: string, sep: string) => `${a}${sep}${MASK}`);
}

const HINTS = ['assword', 'ecret', 'oken', 'uthorization', 'dminPass', 'dmin_pass', 'asscode', 'redential', 'rivate_key'];

/** Cheap pre-check so the regexes run only on lines that could hold a secret. */
export function mayHoldSecret(text: string): boolean {
  for (const h of HINTS) if (text.includes(h)) return true;
  return false;
}
