// Where the secrets are in one line of log text: the single source of truth for
// `ostrace redact` and the secret/* lint rules. Each finder returns the span of the
// value only (what gets replaced by ***), and a label naming what it is, never the
// value. Patterns are linear: no nested quantifiers that can backtrack on long lines.
// Text is handled as latin1 by `redact` so every byte maps to one char; all
// patterns are ASCII, so this works the same on UTF-8 decoded text.
/** What a secret value is replaced with. */
export const MASK = '***';

export type SecretKind = 'token' | 'password';

export interface SecretSpan {
  start: number;
  end: number;
  kind: SecretKind;
  /** What leaked, e.g. `X-Auth-Token header`, `"password" in a JSON body`. */
  what: string;
}

// A key ending in `password` is one too: iSCSI CHAP's `auth_password` and
// `discovery_auth_password` in a volume's connection info (`openstack volume attachment show`
// prints them in clear; samples/field/attachment-show-chap). A bounded prefix: linear.
// A dict a library logs raw (oslo.log service lines, tracebacks; osc masks only its own `Using parameters`)
// names its secrets `token`, `service_token`, `client_secret`, `memcache_secret_key`, `api_key`: each such
// key counts, a reference to a secret (`secret_ref`, `token_expiration`) does not. barbican's secret is its
// `payload` (`openstack secret store` POSTs `{"payload": "…"}`; `secret get --payload` prints a Payload row).
const PASSWORD_KEYS =
  '[A-Za-z_]{0,40}password|adminPass|admin_pass|passcode|secret|[A-Za-z_]{0,40}_secret|[A-Za-z_]{0,40}secret_key|api_key|payload|credential|private_key';
const TOKEN_KEYS = 'token_id|token|[A-Za-z_]{0,40}_token';
const KEY = `${PASSWORD_KEYS}|${TOKEN_KEYS}`;

// "key": "value" (JSON) and 'key': 'value' (python repr); the value is an unrolled, linear string match.
const jsonKey = new RegExp(String.raw`"(${KEY})"\s*:\s*"([^"\\]*(?:\\.[^"\\]*)*)"`, 'gi');
const pyKey = new RegExp(String.raw`'(${KEY})'\s*:\s*u?'([^'\\]*(?:\\.[^'\\]*)*)'`, 'gi');
// argparse Namespace repr: password='x', os_password='x', auth_token='x'; osc's format of a dict
// in a table cell: auth_password='x'.
// osc logs every command's `run(Namespace(…))`: `secret store --payload X` is `payload='X'` there
// (`secret get --payload`, a flag, is `payload=True`, unquoted).
const namespaceKey =
  /\b((?:os_)?(?:[A-Za-z_]{0,40}password|token|auth_token|application_credential_secret|client_secret|admin_pass|payload))=(?:'([^'\\]*)'|"([^"\\]*)")/gi;
// barbicanclient's `secret update URI PAYLOAD` (barbican_cli/v1/secrets.py UpdateSecret: two positionals,
// no option) takes the payload as its last word: on a START line as words or as osc's older list repr.
const secretUpdateWords = /(?<![\w-])secret update +[^\s']+ +([^\s']+)/g;
const secretUpdateList = /'secret', 'update', '[^']*', '([^']*)'/g;
// Unquoted key=value: a query string or form body (`?password=x&…`), a message (`password=x`), a shell
// line pasted with the log (`export OS_PASSWORD=x`, `OS_TOKEN=x openstack …`). Password keys and the
// clients' token variables only: `?token=` is a console URL's one-time token (nova-novncproxy logs
// every one).
// devstack's accrc files (`export EC2_SECRET_KEY=…`, echoed by stack.sh's xtrace) hold an EC2 secret key.
const bareKey =
  /\b([A-Za-z_]{0,40}password|admin_?pass|(?:os_)?auth_token|os_token|\w{0,40}secret_key)=([^\s'"&;,)}\]<>$][^\s'"&;,)}\]<>]*)/gi;
// A config file's line pasted with the log (`admin_password = secrete` of `cat proxy-server.conf`,
// `password = …` under [keystone_authtoken]): the key alone on its line, the value the rest of it.
const iniKey = new RegExp(String.raw`^[ \t]*(${PASSWORD_KEYS})[ \t]*=[ \t]*([^\s'"$][^\s]*)[ \t]*$`, 'i');
// "key": "value" inside a JSON string, its quotes escaped: a keystone EC2 credential's blob,
// `"blob": "{\"access\": \"…\", \"secret\": \"…\"}"` (`openstack credential create --debug`).
const escapedJsonKey = new RegExp(String.raw`\\"(${KEY})\\"\s*:\s*\\"([^"\\]*)\\"`, 'gi');
// A URL's credentials: `mysql+pymysql://nova:PASS@db/nova`, `rabbit://openstack:PASS@h1:5672,openstack:PASS2@h2:5672/`
// (each further host of a transport URL after a comma). Bounded runs: linear.
const urlCredentials = /:\/\/[^\s/?#@:'"<>]{0,200}:([^\s/?#@'"<>]{1,200})@/g;
const urlMoreCredentials = /[^\s/?#@,'"<>]{0,300},[^\s/?#@:'"<>,]{0,200}:([^\s/?#@'"<>,]{1,200})@/y;
// Token headers in every rendering: `-H "X-Auth-Token: v"`, `X-Subject-Token: v`, `'X-Auth-Token': 'v'`, `"X-Auth-Token": "v"`.
const tokenHeader = /(X-Auth-Token|X-Subject-Token|X-Service-Token)["']?\s*[:=]\s*u?["']?([A-Za-z0-9_\-.=+/]+)/gi;
const authorization =
  /(Authorization)["']?\s*[:=]\s*["']?((?:Bearer|Basic|Negotiate|Token) +)?([A-Za-z0-9_\-.=+/]{8,})/gi;
// A session cookie is a credential: `-H "Cookie: sessionid=v; csrftoken=v"` on a REQ line, `Set-Cookie:
// sessionid=v; Path=/; HttpOnly` on a RESP line (horizon's, or a proxy's in front of keystone), `'Set-Cookie':
// 'v'` in a headers dict. keystoneauth hashes only its token headers, so these come in clear. The header's
// value runs to a closing quote or, on a RESP line of space-joined headers, to the next `Name: `.
const cookieHeader = /(?<![\w-])(Set-Cookie|Cookie)(["']?)\s*:\s*u?(["']?)/gi;
const nextHeader = / [A-Za-z][A-Za-z0-9-]*: /g;
// Each `name=` of the value, at its start or after `;`/`,` (requests joins Set-Cookie headers with `, `);
// a value may be in double quotes (RFC 6265), `sid="v"`: what is inside them.
const cookiePair = /(?:^|[;,])[ \t]*([!#$%&*+.^_`|~0-9A-Za-z-]+)=("?)/g;
// After an unquoted value: the next cookie (`, name=` or `; `), a quote or backslash of the text around it.
const cookieValueEnd = /;|,(?=[ \t]*[!#$%&*+.^_`|~0-9A-Za-z-]+=)|["'\\]/g;
// What follows a Set-Cookie's cookie: its attributes, no secret.
const COOKIE_ATTRIBUTES = new Set([
  'expires',
  'max-age',
  'path',
  'domain',
  'samesite',
  'secure',
  'httponly',
  'priority',
  'partitioned',
  'version',
  'comment',
]);

/**
 * The CLI options whose value is a secret: osc's global ones and its commands' (`user password set
 * --original-password`, `application credential create --secret`), trove's `database root enable
 * --root_password`. Not osc's `server set --root-password`: it takes no value (it prompts), so the
 * word after it is the server.
 */
export const SECRET_OPTIONS = [
  '--os-password',
  '--password',
  '--original-password',
  '--os-token',
  '--token',
  '--os-auth-token',
  '--os-application-credential-secret',
  '--application-credential-secret',
  '--os-client-secret',
  '--client-secret',
  '--secret',
  '--admin-pass',
  '--root_password',
  '--os-totp',
  '--os-passcode',
  '--passcode',
  '--payload',
  // the keystone CLI's `user-create --pass`, `user-password-update --pass` (python-keystoneclient < 2)
  '--pass',
];
/**
 * Secret options that take no value in one command (argparse's store_true): there the word after
 * them is no secret. manila's `share security service unset --password` (python-openstackclient
 * share/v2/security_services.py).
 */
const FLAG_OPTIONS: ReadonlyArray<readonly [option: string, command: string]> = [
  ['--password', 'share security service unset'],
  // barbicanclient barbican_cli/v1/secrets.py: `secret get --payload` shows the payload; `secret store --payload` sets it.
  ['--payload', 'secret get'],
];
/** Short options whose value is a secret in one command only: `secret store -p` is `--payload`. */
const COMMAND_SECRET_OPTIONS: ReadonlyArray<readonly [option: string, command: string]> = [['-p', 'secret store']];
/** `share security service unset` as argv words or py2's list repr of them (`u'share', u'security'`). */
const commandPatterns = new Map(
  [...FLAG_OPTIONS, ...COMMAND_SECRET_OPTIONS].map(([, command]) => [
    command,
    new RegExp(String.raw`(?:^|[\s'"])${command.split(' ').join(String.raw`(?:\s+|',\s*u?')`)}(?=[\s'"]|$)`),
  ]),
);

/** Whether the word after `option` at `at` in `text` (a command line) is the option's secret value. */
export function secretValueFollows(option: string, text: string, at: number): boolean {
  const o = option.toLowerCase();
  for (const [flag, command] of FLAG_OPTIONS) if (o === flag && commandBefore(command, text, at)) return false;
  for (const [short, command] of COMMAND_SECRET_OPTIONS) if (option === short) return commandBefore(command, text, at);
  return SECRET_OPTION_SET.has(o);
}

function commandBefore(command: string, text: string, at: number): boolean {
  const m = commandPatterns.get(command)!.exec(text);
  return m !== null && m.index < at;
}
const SECRET_OPTION_SET = new Set(SECRET_OPTIONS);

// CLI options, space- or =-joined (`START with options: --os-password x`). The value ends at ASCII
// whitespace only: in latin1 text a UTF-8 continuation byte can be U+00A0, which \s would match.
const cliOption = new RegExp(`(${SECRET_OPTIONS.join('|')})([ =])([^ \\t\\f\\v]+)`, 'gi');
// `secret store -p VALUE`, `-pVALUE`: a short option, so only as a word of its own.
const commandOption = new RegExp(
  String.raw`(?<![\w-])(${COMMAND_SECRET_OPTIONS.map(([o]) => o).join('|')})([ =]?)([^ \t\f\v]+)`,
  'g',
);
// py2 list repr of argv: `u'--os-password', u'x'`.
const cliOptionList = new RegExp(`(${SECRET_OPTIONS.join('|')})', u?'([^']+)'`, 'gi');

// A row of the table a command prints: `| adminPass | 3Wn3YBVdqYgd |` (`openstack server create`,
// `server rebuild`), `| secret | … |` (`application credential create`). The value is the cell's
// words: each is one run of non-blanks, so the pattern stays linear.
const tableRow = new RegExp(String.raw`\|[ \t]*(${KEY})[ \t]*\|[ \t]*([^|\s]+(?:[ \t]+[^|\s]+)*)[ \t]*\|`, 'gid');

// A keystone Fernet token wherever it stands (`openstack token issue` prints it in a table's `id`
// row): base64url of a 0x80 version byte and a timestamp, so `gAAAAA` and well over 80 more.
const fernet = /(?<![A-Za-z0-9_-])gAAAAA[A-Za-z0-9_-]{80,}={0,2}/g;

const TOKEN_OPTIONS = /token|totp|passcode/i;
const NOT_SECRET = new Set([MASK, '', 'None', 'null', 'TOKEN_REDACTED', '<removed>']);

/**
 * Words at least one of which a secret's line holds, in one pattern so that a line is scanned
 * once: `assword` (`ASSWORD` of `OS_PASSWORD`), `ecret`, `-token`, … each mean "maybe", and `oken`/`OKEN` mean "maybe"
 * only when a value follows (see `tokenValueAfter`). A plain alternation of literals: linear.
 */
const HINTS =
  /assword|ASSWORD|ecret|ECRET|--pass|-token|uthorization|UTHORIZATION|dminPass|dmin_pass|asscode|redential|rivate_key|pi_key|ayload|--os-totp|gAAAAA|oken|OKEN|ookie|OOKIE|@/g;

/** Cheap pre-check so the patterns run only on lines that could hold a secret. */
function mayHold(text: string): boolean {
  HINTS.lastIndex = 0;
  let colon: number | null = null;
  for (let m = HINTS.exec(text); m !== null; m = HINTS.exec(text)) {
    if (m[0] === '@') {
      colon ??= urlColon(text);
      if (m.index > colon) return true;
      continue;
    }
    // `Cookie:`, `"Set-Cookie": ` hold a value; `Vary: Cookie` does not.
    if (m[0] === 'ookie' || m[0] === 'OOKIE') {
      if (/[:"']/.test(text.charAt(m.index + 5))) return true;
      continue;
    }
    if (m[0] !== 'oken' && m[0] !== 'OKEN') return true;
    if (tokenValueAfter(text, m.index + 4)) return true;
    HINTS.lastIndex = m.index + 1;
  }
  return false;
}

/**
 * Where a URL's `user:password@` could start: the first colon after the first `://` (an `@` after it
 * may end one), or Infinity. Found once per line, so a line of many `@` is still read once.
 */
function urlColon(text: string): number {
  const scheme = text.indexOf('://');
  const colon = scheme < 0 ? -1 : text.indexOf(':', scheme + 3);
  return colon < 0 ? Infinity : colon;
}

/**
 * After "token" (at `j`, just past `oken`): a name with a value after it, unless that value is a
 * keystoneauth hash. Every REQ line carries `X-Auth-Token: {SHA256}…` and many RESP lines
 * `Vary: X-Auth-Token`: neither needs the full scan.
 */
function tokenValueAfter(text: string, j: number): boolean {
  const c = text.charCodeAt(j);
  if (c === 95 /* _ */ || c === 45 /* - */) return true; // token_id, auth_token=…, --os-token
  // `Tokens`, `X-Auth-Token x-…`: no value.
  if (c !== 58 /* : */ && c !== 61 /* = */ && c !== 34 /* " */ && c !== 39 /* ' */) return false;
  // Skip ` :="'u` (the separator and a py2 `u'` prefix) up to the value.
  for (; j < text.length; j++) {
    const d = text.charCodeAt(j);
    if (d !== 32 && d !== 58 && d !== 61 && d !== 34 && d !== 39 && d !== 117 /* u */) break;
  }
  return !text.startsWith('{SHA', j);
}

// Each secret rule asks about the same line in turn: remember the last answer.
let lastText: string | null = null;
let lastSpans: SecretSpan[] = [];

/** Every secret value in `text`, sorted, without overlaps. */
export function findSecrets(text: string): SecretSpan[] {
  if (text === lastText) return lastSpans;
  lastText = text;
  lastSpans = mayHold(text) ? scanSecrets(text) : [];
  return lastSpans;
}

/** The matches of `re`: none when the text lacks `needle`, a literal that every match holds. */
function matchesWith(text: string, needle: string, re: RegExp): Iterable<RegExpExecArray> {
  return text.includes(needle) ? text.matchAll(re) : [];
}

function scanSecrets(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  const add = (start: number, value: string, kind: SecretKind, what: string) => {
    if (NOT_SECRET.has(value) || value.startsWith('{SHA')) return;
    spans.push({ start, end: start + value.length, kind, what });
  };
  const keyKind = (k: string): SecretKind => (/token/i.test(k) ? 'token' : 'password');
  for (const m of matchesWith(text, '"', jsonKey)) {
    const value = m[2]!;
    add(m.index + m[0].length - 1 - value.length, value, keyKind(m[1]!), `"${m[1]}" in a JSON body`);
  }
  for (const m of matchesWith(text, "'", pyKey)) {
    const value = m[2]!;
    add(m.index + m[0].length - 1 - value.length, value, keyKind(m[1]!), `'${m[1]}' in a python dict`);
  }
  for (const m of matchesWith(text, '=', namespaceKey)) {
    const value = m[2] ?? m[3] ?? '';
    add(
      m.index + m[0].length - 1 - value.length,
      value,
      keyKind(m[1]!),
      `${m[1]}= as key=value (an options Namespace, a dict in a table)`,
    );
  }
  for (const m of matchesWith(text, '=', bareKey)) {
    const value = m[2]!;
    if (/^\*+$/.test(value)) continue; // masked already (oslo.config prints ****)
    add(m.index + m[0].length - value.length, value, keyKind(m[1]!), `${m[1]}= unquoted`);
  }
  const ini = text.includes('=') ? iniKey.exec(text) : null;
  if (ini !== null && !/^\*+$/.test(ini[2]!))
    add(text.lastIndexOf(ini[2]!), ini[2]!, 'password', `${ini[1]} = in a config file's line`);
  for (const m of matchesWith(text, '\\"', escapedJsonKey)) {
    const value = m[2]!;
    add(m.index + m[0].length - 2 - value.length, value, keyKind(m[1]!), `"${m[1]}" in JSON inside a JSON string`);
  }
  for (const m of matchesWith(text, '://', urlCredentials)) {
    const value = m[1]!;
    add(m.index + m[0].length - 1 - value.length, value, 'password', 'password in a URL');
    urlMoreCredentials.lastIndex = m.index + m[0].length;
    for (let n = urlMoreCredentials.exec(text); n !== null; n = urlMoreCredentials.exec(text)) {
      add(urlMoreCredentials.lastIndex - 1 - n[1]!.length, n[1]!, 'password', 'password in a URL');
    }
  }
  for (const m of text.matchAll(tokenHeader)) {
    const value = m[2]!;
    add(m.index + m[0].length - value.length, value, 'token', `${m[1]} header in clear`);
  }
  for (const s of cookieValues(text)) spans.push(s);
  for (const m of text.matchAll(authorization)) {
    const value = m[3]!;
    add(m.index + m[0].length - value.length, value, 'token', 'Authorization header in clear');
  }
  for (const m of matchesWith(text, '--', cliOption)) {
    const value = m[3]!;
    // A shell's reference to the secret (`--os-token=$OS_TOKEN`, `"$OS_PASSWORD"` in a script) holds no value.
    const reference = value.startsWith('$') || value.startsWith('"$');
    if (value.startsWith(MASK) || reference || (m[2] === ' ' && !secretValueFollows(m[1]!, text, m.index))) continue;
    add(
      m.index + m[0].length - value.length,
      value,
      TOKEN_OPTIONS.test(m[1]!) ? 'token' : 'password',
      `value of \`${m[1]!.toLowerCase()}\` on the command line`,
    );
  }
  for (const m of matchesWith(text, 'secret', commandOption)) {
    const value = m[3]!;
    if (value.startsWith(MASK) || !secretValueFollows(m[1]!, text, m.index)) continue;
    add(m.index + m[0].length - value.length, value, 'password', `value of \`${m[1]}\` on the command line`);
  }
  for (const m of matchesWith(text, 'secret update', secretUpdateWords)) {
    const value = m[1]!;
    if (!value.startsWith(MASK))
      add(m.index + m[0].length - value.length, value, 'password', 'payload of `secret update`');
  }
  for (const m of matchesWith(text, "'update', ", secretUpdateList)) {
    const value = m[1]!;
    if (!value.startsWith(MASK))
      add(m.index + m[0].length - 1 - value.length, value, 'password', 'payload of `secret update`');
  }
  for (const m of matchesWith(text, "', ", cliOptionList)) {
    const value = m[2]!;
    if (!secretValueFollows(m[1]!, text, m.index)) continue;
    add(
      m.index + m[0].length - 1 - value.length,
      value,
      TOKEN_OPTIONS.test(m[1]!) ? 'token' : 'password',
      `value of \`${m[1]!.toLowerCase()}\` on the command line`,
    );
  }
  for (const m of matchesWith(text, '|', tableRow)) {
    add(m.indices![2]![0], m[2]!, keyKind(m[1]!), `${m[1]} in a table`);
  }
  for (const m of matchesWith(text, 'gAAAAA', fernet)) add(m.index, m[0], 'token', 'Fernet token in clear');
  for (const s of tokenBodyIds(text)) spans.push(s);
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: SecretSpan[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) continue;
    out.push(s);
  }
  return out;
}

/** The value of each cookie in a Cookie or Set-Cookie header, its name kept. */
function cookieValues(text: string): SecretSpan[] {
  const out: SecretSpan[] = [];
  if (!/ookie/i.test(text)) return out;
  for (const m of text.matchAll(cookieHeader)) {
    const from = m.index + m[0].length;
    // `'Cookie': 'v'`, `"Cookie": "v"` or curl's `-H "Cookie: v"`: the value ends at the quote.
    const before = text.charAt(m.index - 1);
    const quote = m[3] || m[2] || (before === '"' || before === "'" ? before : '');
    let to = quote ? text.indexOf(quote, from) : -1;
    // keystoneauth writes `-H "Cookie: sid="v""` unescaped: a quote right after `=` opens a quoted
    // cookie value, and the one after its closing quote ends the header.
    while (quote === '"' && to > from && text.charAt(to - 1) === '=') {
      const close = text.indexOf('"', to + 1);
      to = close < 0 ? -1 : text.indexOf('"', close + 1);
    }
    if (to < 0) {
      nextHeader.lastIndex = from;
      to = nextHeader.exec(text)?.index ?? text.length;
    }
    const value = text.slice(from, to);
    for (const p of value.matchAll(cookiePair)) {
      const at = p.index + p[0].length;
      // A value is what a cookie may not hold runs to: a space or a comma in it (`a=b c=d`,
      // `sid=abc,def`, not RFC 6265's) is still part of it, not text to leave in clear.
      let end: number;
      if (p[2] === '"') {
        const close = value.indexOf('"', at);
        end = close < 0 ? value.length : close;
      } else {
        cookieValueEnd.lastIndex = at;
        end = cookieValueEnd.exec(value)?.index ?? value.length;
        while (end > at && (value.charAt(end - 1) === ' ' || value.charAt(end - 1) === '\t')) end--;
      }
      const v = value.slice(at, end);
      if (v === '' || COOKIE_ATTRIBUTES.has(p[1]!.toLowerCase()) || NOT_SECRET.has(v)) continue;
      out.push({ start: from + at, end: from + end, kind: 'token', what: `${m[1]} header value` });
    }
  }
  return out;
}

/** The line with every secret value replaced by ***; every other char unchanged. */
export function redactLine(text: string, spans: readonly SecretSpan[] = findSecrets(text)): string {
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + MASK;
    at = s.end;
  }
  return out + text.slice(at);
}

/**
 * `"token": {… "id": "<value>" …}` — the token id inside a token body (keystone v2
 * `access.token.id`, v3 token-method auth requests). A single forward scan that tracks
 * string and brace depth; only direct `id` members of a `token` object count.
 */
function tokenBodyIds(text: string): SecretSpan[] {
  const out: SecretSpan[] = [];
  let from = 0;
  for (;;) {
    const k = text.indexOf('"token"', from);
    if (k < 0) return out;
    from = k + 7;
    let i = from;
    while (text[i] === ' ') i++;
    if (text[i] !== ':') continue;
    i++;
    while (text[i] === ' ') i++;
    if (text[i] !== '{') continue;
    let depth = 0;
    let expectKey = false;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '{' || c === '[') {
        depth++;
        expectKey = c === '{';
        continue;
      }
      if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) break;
        continue;
      }
      if (c === ',') {
        expectKey = true;
        continue;
      }
      if (c !== '"') continue;
      const end = stringEnd(text, i);
      if (end < 0) return out;
      if (depth === 1 && expectKey && text.slice(i, end + 1) === '"id"') {
        let j = end + 1;
        while (text[j] === ' ') j++;
        if (text[j] === ':') {
          j++;
          while (text[j] === ' ') j++;
          if (text[j] === '"') {
            const vEnd = stringEnd(text, j);
            if (vEnd < 0) return out;
            const value = text.slice(j + 1, vEnd);
            if (!NOT_SECRET.has(value))
              out.push({ start: j + 1, end: vEnd, kind: 'token', what: 'token id in a token body' });
            i = vEnd;
            expectKey = false;
            continue;
          }
        }
      }
      expectKey = false;
      i = end;
    }
    from = Math.max(from, i);
  }
}

/** Index of the closing quote of the JSON string opening at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"') return i;
  }
  return -1;
}
