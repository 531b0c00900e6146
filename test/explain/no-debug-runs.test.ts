// Stories of CLI runs pasted without --debug (real samples in samples/field): the prompt
// starts the command, its exit status is not in the log, and a run that made no call is
// told by its error line alone.
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { sample } from '../rules/helpers.js';

const stories = (name: string) =>
  runPipelineOnText([{ name: `${name}.log`, text: sample(`samples/field/${name}/${name}.log`) }]).result.explanations!;

describe('explain on runs without --debug', () => {
  it('a refused request with no command in the paste: the answer it got is the title', () => {
    const [x] = stories('nova-reboot-409-no-prompt');
    expect(x!.title).toBe(
      "HTTP 409: Cannot 'stop' instance 78c45430-a49f-4383-b8fd-e83910387000 while it is in task_state rebooting",
    );
  });

  it("a run with a refused request: its exit status is not in the log, and no '?' service", () => {
    const [x, lookup, ...rest] = stories('osc-root-prompt-409');
    expect(rest).toEqual([]);
    // osc-lib's find_resource text is the failed run's error: a problem of its own
    expect(lookup!.title).toBe(
      "`role add --project fying --user myuser user` failed: No user with a name or ID of 'myuser' exists.",
    );
    // the client's error line names no call: its answer is what the title tells
    expect(x!.title).toBe(
      '`role create admin` (HTTP 409) failed: Conflict occurred attempting to store role - Duplicate entry found with name admin.',
    );
    expect(x!.text).toContain('ran (its exit status is not in the log: no --debug); its request got HTTP 409');
    expect(x!.text).not.toContain('did not finish');
  });

  it('a run that made no call (a credentials error) is its command and error line, no request and no service log', () => {
    const [x, ...rest] = stories('novaclient-commanderror-indented');
    expect(rest).toEqual([]);
    expect(x!.title).toBe(
      '`nova quota-show` failed: ERROR (CommandError): You must provide a username or user id via --os-username, --os-user-id, env[O…',
    );
    expect(x!.command).toMatchObject({ argv: ['nova', 'quota-show'], exitCode: null });
    expect(x!.firstError).toBeNull();
    expect(x!.text).toContain('"ERROR (CommandError): You must provide a username');
    expect(x!.text).not.toContain('a request');
    expect(x!.text).not.toContain('service logs would show');
  });

  it("older osc's `ERROR: openstack …` line fails its run; a second such line is another run's", () => {
    const xs = stories('devstack-notes-osc-kilo-errors');
    expect(xs.map((x) => x.title)).toEqual([
      "`role list --group 425c537ceb8b4a5391692452ef2f64bb --project df5b59544ea84147addf09237a7fe0b0 --column ID --column Name --os-identity-api-version=3` failed: No group with a name or ID of '425c537ceb8b4a5391692452ef2f64bb' exists.",
      // typed with --debug at a prompt, its START elided by the author: its `CommandError:` line ends it
      "`role list --group 5bd604db63d34b158cec7ede42ff27a1 --project f636a88775b749d5aa71c7c585540d3e --column ID --column Name --os-identity-api-version=3 --verbose --debug` failed: CommandError: No group with a name or ID of '5bd604db63d34b158cec7ede42ff27a1' exists.",
      "`role list --group XDG_SESSION_ID=54 --project WHEELHOUSE=/opt/stack/.wheelhouse --column ID --column Name --os-identity-api-version=3 --os-url=http://10.12.181.120:5000/v3` failed: No group with a name or ID of 'XDG_SESSION_ID=54' exists.",
      // stack.sh's xtrace ran them (no prompt): the traced command line starts each run
      "`endpoint show -f value -c publicurl s3` failed: No service with a type, name or ID of 's3' exists.",
      '`nova flavor-list` failed: ERROR (EndpointNotFound): publicURL endpoint for compute service in RegionOne region not found',
    ]);
  });

  it("osc's error line under another client's run at a prompt is osc's own run", () => {
    const [x, ...rest] = stories('devstack-notes-accrc-secrets');
    expect(rest).toEqual([]);
    // `$ keystone service-list` printed its table; stack.sh's traced `openstack project create` failed later
    expect(x!.title).toBe('`project create alt_demo --or-show -f value -c id` failed: Missing parameter(s):');
    expect(x!.command).toMatchObject({
      line: 86,
      argv: ['project', 'create', 'alt_demo', '--or-show', '-f', 'value', '-c', 'id'],
    });
  });
});
