// The OpenStack command-line clients as people run them: the lexer reads their usage lines, the
// assembler their runs at a pasted prompt, and explain writes a run's command line back.

/** The OpenStack command-line clients, by the program name a user types. */
export const CLIENT_PROGRAMS: ReadonlySet<string> = new Set([
  'openstack',
  'nova',
  'cinder',
  'glance',
  'neutron',
  'keystone',
  'swift',
  'heat',
  'manila',
  'ironic',
  'octavia',
  'designate',
  'barbican',
]);

/**
 * The argv of an OpenStack client run typed at a prompt, or null when the line runs something
 * else or what follows it is not that run's own output: piped or redirected (`| grep`, `> out`),
 * several commands (`;`, `&&`), or run with --debug (its own START and REQ lines tell that run,
 * as without a prompt). `sudo` and `VAR=value` before the program are skipped. osc's argv is what
 * follows `openstack` (as its START line gives it); a legacy client's keeps its program first.
 */
export function clientRunArgv(typed: string): string[] | null {
  const run = typedRun(typed);
  if (run === null || run.argv.includes('--debug')) return null;
  return run.program === 'openstack' ? run.argv : [run.program, ...run.argv];
}

/**
 * The argv of `openstack --debug …` typed at a prompt (what follows `openstack`, as its START line
 * gives it), or null for any other line. Its own START tells the run; this is what a paste that
 * cut the START still shows of it.
 */
export function oscDebugRunArgv(typed: string): string[] | null {
  const run = typedRun(typed);
  return run !== null && run.program === 'openstack' && run.argv.includes('--debug') ? run.argv : null;
}

/** Whether a typed command line runs an OpenStack client (`sudo` and `VAR=value` before it skipped), with --debug or not. */
export function typesClient(typed: string): boolean {
  return typedRun(typed) !== null;
}

/** The client program typed and its argv, the words before it (`sudo`, `VAR=value`) skipped. */
function typedRun(typed: string): { program: string; argv: string[] } | null {
  const words = shellWords(typed);
  if (words === null) return null;
  let i = 0;
  for (;;) {
    const w = words[i];
    if (
      w === 'sudo' ||
      (i > 0 && words[i - 1] === 'sudo' && /^-[A-Za-z]+$/.test(w ?? '')) ||
      ENV_ASSIGNMENT.test(w ?? '')
    )
      i++;
    else break;
  }
  if (CONTAINER_TOOLS.has(words[i] ?? '')) i = clientInContainer(words, i);
  const program = words[i];
  if (program === undefined || !CLIENT_PROGRAMS.has(program)) return null;
  return { program, argv: words.slice(i + 1) };
}

/**
 * What runs a client inside a container or pod: `docker exec -it kolla_toolbox openstack …`,
 * `kubectl -n openstack exec -it openstackclient -- openstack …`, `oc rsh openstackclient openstack …`.
 */
const CONTAINER_TOOLS = new Set(['docker', 'podman', 'nerdctl', 'kubectl', 'oc']);
const CONTAINER_RUNS = new Set(['exec', 'rsh']);

/**
 * Where the client program is in `words` run by the container tool at `tool`: the first client
 * program after its `exec`/`rsh` (the container's own name may be anything else), or -1. A
 * shell started there (`… openstack bash`: a container named like the client) runs no client.
 */
function clientInContainer(words: readonly string[], tool: number): number {
  const runs = words.findIndex((w, k) => k > tool && CONTAINER_RUNS.has(w));
  if (runs < 0) return -1;
  const at = words.findIndex((w, k) => k > runs && CLIENT_PROGRAMS.has(w));
  return at < 0 || SHELLS.has(words[at + 1] ?? '') ? -1 : at;
}
const SHELLS = new Set(['bash', 'sh', '/bin/bash', '/bin/sh']);

const ENV_ASSIGNMENT = /^[A-Za-z_]\w*=/;

/** Where one command of a typed line ends and the next begins: a pipe, `;`, `&&`, `||`, `&`. */
const COMMAND_SEPARATOR = /\|\|?|&&?|;/;

/**
 * Whether a line typed at a prompt runs an OpenStack client anywhere in it (`openstack --debug
 * server list 2>&1 | tee out`, `source openrc && nova list`): what a pasted client run opens
 * with. Another program (`cat queries/x.yaml`, `elastic-recheck-query …`, `grep req-… api.log`)
 * says nothing of a client.
 */
export function runsClient(typed: string): boolean {
  for (const part of typed.split(COMMAND_SEPARATOR)) {
    const words = part.trim().split(/\s+/);
    let i = 0;
    // `sudo -E OS_CLOUD=x`, `sudo -u stack`, `time`: what runs the program, and the user `-u` names
    for (let w = words[i]; w !== undefined; w = words[i])
      if (w === 'sudo' || w === 'time' || w.startsWith('-') || ENV_ASSIGNMENT.test(w)) i += w === '-u' ? 2 : 1;
      else break;
    if (CONTAINER_TOOLS.has(words[i] ?? '')) i = clientInContainer(words, i);
    if (CLIENT_PROGRAMS.has(words[i] ?? '')) return true;
  }
  return false;
}

/**
 * A typed command line split into words as a shell would (quotes removed), or null when it holds
 * a pipe, a redirection, a command separator or a backquoted command outside quotes.
 */
function shellWords(typed: string): string[] | null {
  const words: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  for (const c of typed) {
    if (quote !== null) {
      if (c === quote) quote = null;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === ' ' || c === '\t') {
      if (word !== null) words.push(word);
      word = null;
    } else if ('|><;&`'.includes(c)) return null;
    else word = (word ?? '') + c;
  }
  if (quote !== null) return null;
  if (word !== null) words.push(word);
  return words;
}
