// bash's xtrace (`set -x`) of a command, as devstack's stack.sh log and CI consoles show it: the
// PS4 prompt (its first character repeated once per level of nesting), then the command as bash
// ran it. A traced client run starts a command as a typed one at a prompt does.
//   `+ openstack server list`, `++ openstack token issue -f value -c id`   (bash's default PS4 `+ `)
//   `+functions:wait_for_compute:456            openstack --os-cloud devstack-admin … compute service list`
//      (devstack's PS4 since ~2016: file:function:line, padded to 40 columns)
//   `++::                                        openstack --os-cloud devstack-admin … -c ID -f value`
//      (the same PS4 where bash's `caller` told nothing, in a command substitution: every field empty)
//   `:::./stack.sh:740+openstack project create alt_demo --or-show -f value -c id`
//      (devstack's Kilo-era PS4 `:file:line+`)
//   `+ ./stack.sh:main:1517                     :   set +o xtrace`
//      (devstack's PS4 `+ $(short_source):   ` since ~2018: short_source prints file:function:line
//      padded to 40 columns and a space; a blog's HTML may squeeze the padding to one space)
//   `++ ::                                       :   openstack --os-cloud devstack-admin …`
//      (the same PS4 where bash's `caller` told nothing: every field empty)
import { CLIENT_PROGRAMS } from './clients.js';

const DEFAULT_PS4 = /^\++ /;
/** devstack's `file:function:line`, or `::` where bash's `caller` told nothing. */
const SOURCE = String.raw`(?:[^\s:]+:[^\s:]+:\d+|::)`;
const DEVSTACK_PS4 = new RegExp(String.raw`^\++${SOURCE} +`);
const KILO_PS4 = /^:+[^\s:]+:\d+\+/;
const SHORT_SOURCE_PS4 = new RegExp(String.raw`^\++ ${SOURCE} +: +`);

/** What runs the program: `sudo`, its flags, `VAR=value` (a traced `sudo -E openstack …`). */
const RUNNER = /^(?:sudo|-[A-Za-z]+|[A-Za-z_]\w*=\S*)$/;

/**
 * devstack's wrapper of osc (functions-common since ~2017, `alias openstack=oscwrap`, traced by
 * stack.sh as `+./stack.sh:main:1029 install_oscwrap` … `alias openstack=oscwrap`): it times and
 * runs `openstack "$@"` with xtrace off, so its traced call is the osc run.
 */
const OSC_WRAPPER = 'oscwrap';

/**
 * The command of an xtrace line that runs an OpenStack client (`openstack …`, `nova …`,
 * `sudo -E openstack …`, devstack's `oscwrap …` as the `openstack …` it runs), or null: any other
 * traced command (`local os_cmd=openstack`, `[[ -z '' ]]`, `echo openstack`) and any other line.
 */
export function xtraceClientCommand(text: string): string | null {
  const command = xtraceCommand(text);
  if (command === null) return null;
  if (command === OSC_WRAPPER || command.startsWith(`${OSC_WRAPPER} `))
    return `openstack${command.slice(OSC_WRAPPER.length)}`;
  for (const word of command.split(/\s+/, 12)) {
    if (CLIENT_PROGRAMS.has(word)) return command;
    if (!RUNNER.test(word)) return null;
  }
  return null;
}

/**
 * A line of a script's xtrace whose PS4 names its source (devstack's `+file:function:line`, its
 * `:::file:line+` and `+ file:function:line :` shapes): never a log record's text. Bash's bare
 * `+ ` is left out: a record's own text may start so.
 */
export function tracedWithSource(text: string): boolean {
  return SHORT_SOURCE_PS4.test(text) || DEVSTACK_PS4.test(text) || KILO_PS4.test(text);
}

/** The command of any xtrace line (`local os_cmd=openstack`, `return 124`), or null for any other line. */
export function xtraceCommand(text: string): string | null {
  // short_source's shape before bash's default, whose `+ ` it opens with too.
  const ps4 = SHORT_SOURCE_PS4.exec(text) ?? DEFAULT_PS4.exec(text) ?? DEVSTACK_PS4.exec(text) ?? KILO_PS4.exec(text);
  return ps4 === null ? null : text.slice(ps4[0].length).trim();
}

/** A traced line of the wrapper's own body: devstack's PS4 source names the function `oscwrap`. */
const WRAPPER_SOURCE = new RegExp(String.raw`^\++ ?[^\s:]+:${OSC_WRAPPER}:\d+ +(?:: +)?`);
const RETURN = /^return (\d{1,3})$/;

/**
 * A traced line of devstack's osc wrapper itself, or null for any other line. The wrapper turns
 * xtrace off, runs `openstack "$@"`, turns it back on and ends with `return $rc`
 * (functions-common, `function oscwrap`), so its traced lines are `local xtrace`, `set +o`,
 * `grep xtrace`, `xtrace='set -o xtrace'`, `set +o xtrace` before the run's output, and the
 * `return N` after it: N is the osc run's exit status (`returned`; null on the other lines).
 */
export function oscWrapperLine(text: string): { returned: number | null } | null {
  const ps4 = WRAPPER_SOURCE.exec(text);
  if (ps4 === null) return null;
  const ret = RETURN.exec(text.slice(ps4[0].length).trim());
  return { returned: ret ? Number(ret[1]) : null };
}

/** stack.sh's traps: `trap exit_trap EXIT`, `trap err_trap ERR`, each opening with `local r=$?`. */
const TRAP_CALL = /^(?:exit_trap|err_trap)$/;
const TRAP_SOURCE = /^\++ ?[^\s:]+:(?:exit_trap|err_trap):\d+ +(?:: +)?/;
const TRAP_STATUS = /^local r=(\d{1,3})$/;

/**
 * A traced line of stack.sh's exit or error trap: `called` for the trap's invocation (traced as
 * the failed command's function's line 1, `+functions:upload_image:1  exit_trap`), the status
 * for its first line (`+./stack.sh:exit_trap:521  local r=1`: `$?`, the exit status of the
 * command the script exits after, under `set -o errexit`), null for any other line.
 */
export function exitTrapLine(text: string): 'called' | number | null {
  const command = xtraceCommand(text);
  if (command === null) return null;
  if (TRAP_CALL.test(command)) return 'called';
  const source = TRAP_SOURCE.exec(text);
  const status = source === null ? null : TRAP_STATUS.exec(text.slice(source[0].length).trim());
  return status ? Number(status[1]) : null;
}
