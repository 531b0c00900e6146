// bash's xtrace of a client run (stack.sh's log, a CI console, `set -x` output) is a command line
// as a prompt's is: a shell record with the command as traced. Any other traced command, and text
// that only looks like a trace, is not. Real lines: samples/field/devstack-notes-accrc-secrets,
// devstack-notes-osc-kilo-errors and devstack-xtrace-wait-for-compute (devstack's Kilo and later
// PS4 under a Zuul-style time prefix); bash's default `+ ` from a published Vagrant provisioning
// log (code-search read_file id 17553288542, its `    default: ` prefix removed); devstack's PS4
// with no source (`::`) in samples/field/cpo-devstack-xtrace-empty-source (`+ $(short_source):   `)
// and devstack-xtrace-empty-caller-magnum (2017's `+$(short_source) `); devstack 2024.2's PS4 greyed
// by tput and its osc wrapper in devstack-oscwrap-grey-ps4; the wrapper's traced body around a failed
// run in devstack-oscwrap-keystone-502; stack.sh's exit trap right after a failed run in
// devstack-upload-image-exit-trap; the wrapper's `return 1` with the run's start cut in
// devstack-oscwrap-return-start-cut.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exitTrapLine, oscWrapperLine, xtraceCommand } from '../../src/core/xtrace.js';
import { parseRecords } from '../../src/parse/index.js';
import { runPipelineOnText } from '../../src/pipeline.js';

const sample = (name: string) =>
  readFileSync(new URL(`../../samples/field/${name}/${name}.log`, import.meta.url), 'utf8').split('\n');
const accrc = sample('devstack-notes-accrc-secrets');
const kilo = sample('devstack-notes-osc-kilo-errors');
const waitForCompute = sample('devstack-xtrace-wait-for-compute');
const cpo = sample('cpo-devstack-xtrace-empty-source');
const magnum = sample('devstack-xtrace-empty-caller-magnum');
const grey = sample('devstack-oscwrap-grey-ps4');

const shell = (line: string) => {
  const [r, ...rest] = parseRecords(line);
  expect(rest).toEqual([]);
  return r!.kind === 'shell' ? r!.text : null;
};

describe('xtrace lines', () => {
  it("devstack's PS4 shapes and bash's default one: the traced client command", () => {
    expect(shell(accrc[85]!)).toBe('openstack project create alt_demo --or-show -f value -c id');
    expect(shell(kilo[94]!)).toBe('nova flavor-list');
    expect(shell(waitForCompute[2]!)).toBe(
      'openstack --os-cloud devstack-admin --os-region RegionOne compute service list',
    );
    expect(
      shell(
        '+ openstack server create --image cirros-0.3.5-x86_64-disk --flavor m1.tiny --security-group ping-secgroup ping-instance',
      ),
    ).toBe(
      'openstack server create --image cirros-0.3.5-x86_64-disk --flavor m1.tiny --security-group ping-secgroup ping-instance',
    );
  });

  it("devstack's PS4 where `caller` told nothing (`::`): the traced client command", () => {
    const wanted =
      'openstack --os-cloud devstack-admin --os-region RegionOne compute service list --host devstack --service nova-compute -c ID -f value';
    expect(shell(cpo[0]!)).toBe(wanted); // `++ ::<pad> :   openstack …`
    expect(shell(magnum[0]!)).toBe(wanted.replace('--host devstack', '--host ccicd1')); // `… | ++::<pad> openstack …`
  });

  it("devstack's `+ $(short_source):   ` traces other commands too: the command after the source and its colon", () => {
    // Published lines: a devstack blog post's cloud-init-output.log (code-search read_file id 41606130523) and a
    // comment under another post, its padding squeezed to one space by the page (read_file id 57985555615).
    expect(xtraceCommand('+ ./stack.sh:main:1517                     :   set +o xtrace')).toBe('set +o xtrace');
    expect(xtraceCommand('+ functions-common:get_or_create_user:813 : user_id=')).toBe('user_id=');
    expect(xtraceCommand(cpo[5]!)).toBe('ID=');
    expect(xtraceCommand(magnum[1]!.split(' | ')[1]!)).toBe('ID=');
  });

  it("devstack's osc wrapper under its greyed PS4: the `openstack …` run `oscwrap` makes", () => {
    expect(grey[3]).toContain('\x1b(B\x1b[m oscwrap project show'); // tput sgr0's bytes, as the log has them
    expect(shell(grey[3]!)).toBe('openstack project show admin -f value -c id');
    expect(shell(grey[18]!)).toBe(
      "openstack --os-cloud devstack-system-admin domain create Default --description '' --or-show -f value -c id",
    );
    expect(shell(grey[4]!)).toBeNull(); // the wrapper's own `return 0`
    expect(xtraceCommand(grey[4]!.split(' | ')[1]!.replace(/\x1b\[[0-9;]*m|\x1b\(B/g, ''))).toBe('return 0');
    expect(shell('+ oscwrapper project list')).toBeNull(); // another program
  });

  it('other traced commands and look-alikes are no command line', () => {
    expect(shell(accrc[82]!)).toBeNull(); // `::./stack.sh:729+local os_cmd=openstack`
    expect(shell(waitForCompute[12]!)).toBeNull(); // `+functions:wait_for_compute:458  return 124`
    expect(shell(waitForCompute[3]!)).toBeNull(); // the table's border
    expect(shell('+openstack server list')).toBeNull(); // a diff's added line
    expect(shell(cpo[5]!)).toBeNull(); // `+ ::<pad> :   ID=`
    expect(shell(cpo[1]!)).toBeNull(); // the client's Python warning
  });

  it('the next traced command ends the traced client run: the later code block is not its output', () => {
    // accrc lines 83–113: the traced `openstack project create` (86), its error (87, its lines under it 88–90), the
    // script's next traced lines (91–92), prose, and an indented script excerpt (108–113).
    const r = runPipelineOnText([{ name: 'cut.log', text: accrc.slice(82, 113).join('\n') }]).result;
    const commands = [...r.commands];
    expect(commands.map((c) => [c.line, c.endLine, c.argv[0], c.error])).toEqual([
      [4, 5, 'project', 'Missing parameter(s):'],
    ]);
    const unrecognized = [...r.inputs[0]!.unrecognized].map((u) => u.line);
    expect(unrecognized).toEqual(expect.arrayContaining([26, 27, 28, 29, 30, 31]));
  });

  it("devstack's osc wrapper: its own traced lines are the run's, its `return N` the run's exit status", () => {
    const failed = sample('devstack-oscwrap-keystone-502');
    expect(oscWrapperLine(failed[6]!)).toEqual({ returned: null }); // `++functions-common:oscwrap:2442  local xtrace`
    expect(oscWrapperLine(failed[10]!)).toEqual({ returned: null }); // `set +o xtrace`
    expect(oscWrapperLine(failed[13]!)).toEqual({ returned: 1 }); // `return 1`
    expect(oscWrapperLine(failed[5]!)).toBeNull(); // the traced `oscwrap project show …` itself
    expect(oscWrapperLine(waitForCompute[12]!)).toBeNull(); // another function's `return 124`
    const grey = sample('devstack-oscwrap-grey-ps4');
    expect(oscWrapperLine(grey[4]!.split(' | ')[1]!.replace(/\x1b\[[0-9;]*m|\x1b\(B/g, ''))).toEqual({ returned: 0 });
    const r = runPipelineOnText([{ name: 'error.md.log', text: failed.join('\n') }]).result;
    expect([...r.commands].map((c) => [c.line, c.endLine, c.exitCode, c.error])).toEqual([
      [
        6,
        14,
        1,
        'Could not find versioned identity endpoints when attempting to authenticate. Please check that your auth_url is correct. Bad Gateway (HTTP 502)',
      ],
    ]);
  });

  it("the wrapper's `return N` with the run's start cut: a run whose command line the log does not show, its exit status N", () => {
    const runOf = (lines: string[]) => {
      const r = runPipelineOnText([{ name: 'cut.log', text: lines.join('\n') }]).result;
      return { commands: [...r.commands], findings: [...r.findings].map((f) => [f.ruleId, f.line]) };
    };
    // The magnum notes' second block begins at the wrapper's `return 1`: argv unknown (nothing
    // guessed), no error line (the run's output is cut; the `[ERROR]` line is the script's).
    const cut = runOf(sample('devstack-oscwrap-return-start-cut'));
    expect(cut.commands.map((c) => [c.line, c.endLine, c.argv, c.name, c.exitCode, c.error])).toEqual([
      [1, 1, [], null, 1, null],
    ]);
    expect(cut.findings).toEqual([['command/failed', 1]]);
    // The keystone 502 run pasted from its `return 1` on (the test cuts lines 1–13): the same.
    const failed = sample('devstack-oscwrap-keystone-502');
    expect(runOf(failed.slice(13)).commands.map((c) => [c.line, c.argv, c.exitCode])).toEqual([[1, [], 1]]);
    // Another function's `return 124` (wait_for_compute's, the magnum notes' first block from it on) is no run's.
    expect(runOf(magnum.slice(32)).commands).toEqual([]);
  });

  it("stack.sh's exit trap right after a traced run: its `local r=$?` is the run's exit status", () => {
    const trapped = sample('devstack-upload-image-exit-trap');
    const traced = (l: string) => l.split(' | ')[1]!;
    expect(exitTrapLine(traced(trapped[2]!))).toBe('called'); // `+functions:upload_image:1  exit_trap`
    expect(exitTrapLine(traced(trapped[3]!))).toBe(1); // `+./stack.sh:exit_trap:521  local r=1`
    expect(exitTrapLine(traced(trapped[4]!))).toBeNull(); // `++./stack.sh:exit_trap:522  jobs -p`
    expect(exitTrapLine(traced(trapped[0]!))).toBeNull(); // the traced run itself
    expect(exitTrapLine('+./stack.sh:main:10  local r=1')).toBeNull(); // not in a trap
    const r = runPipelineOnText([{ name: 'upload.log', text: trapped.join('\n') }]).result;
    expect([...r.commands].map((c) => [c.line, c.endLine, c.exitCode, c.error?.slice(0, 25)])).toEqual([
      [1, 2, 1, 'Error finding address for'],
    ]);
    // The trap's call alone (no `local r=` after it) tells nothing: the run's exit stays unknown.
    const cut = runPipelineOnText([
      { name: 'cut.log', text: [trapped[0], trapped[1], trapped[2], trapped[4]].join('\n') },
    ]).result;
    expect([...cut.commands].map((c) => [c.exitCode, c.error])).toEqual([[null, null]]);
  });
});
