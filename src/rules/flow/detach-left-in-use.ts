// flow/detach-left-in-use: the API accepted a detach (`server remove volume` completed, nova
// answered 202), yet the client's own later read of the volume shows it `in-use`. nova-api has
// cinder mark the volume `detaching` (begin_detaching) and answers 202; nova-compute detaches
// afterwards (ComputeManager.detach_volume -> _detach_volume -> the block device's driver_detach,
// nova/virt/block_device.py), and when the guest refuses or the driver fails it calls
// volume_api.roll_detaching(context, volume_id) before re-raising; cinder's roll_detaching
// (cinder/volume/api.py: conditional_update {'status': 'in-use'} where {'status': 'detaching'})
// puts the volume back to `in-use`. So `in-use` afterwards means the detach failed on the compute
// host after the client was told it worked; with the client log alone this read is its only trace.
import * as z from '../../core/zod.js';
import { defineRule } from '../../engine/types.js';
import { acceptedThenRead, plainAcceptedThenRead, type AcceptedKind } from '../accepted-reads.js';
import { acceptedCallsOf, type AcceptedVolumeCall } from '../../core/accepted-calls.js';
import type { Analysis } from '../../core/analysis.js';

const ATTACH_FLOW = 'client/server-add-volume';

/**
 * The detaches to judge: not one from a volume the run attached to another server too (a
 * multiattach volume stays `in-use` while one server keeps it: minicloud 10-multiattach). The
 * servers each volume was attached to are followed through the accepted attaches and detaches
 * in flow order; a map entry per volume attached, a set of its servers.
 */
function notLeftOnOthers(analysis: Analysis): (call: AcceptedVolumeCall) => boolean {
  const attachedTo = new Map<string, Set<string>>();
  const leftOnOthers = new Set<number>();
  for (const a of acceptedCallsOf(analysis.acceptedCalls, analysis.result.flows)) {
    const server = a.captures.server_id ?? a.captures.server;
    const names = [a.captures.volume, a.captures.volume_id].filter((v): v is string => v !== undefined);
    if (server === undefined) continue;
    if (a.flow === ATTACH_FLOW) {
      for (const name of names) attachedTo.set(name, (attachedTo.get(name) ?? new Set()).add(server));
      continue;
    }
    for (const name of names) attachedTo.get(name)?.delete(server);
    if (names.some((name) => (attachedTo.get(name)?.size ?? 0) > 0)) leftOnOthers.add(a.call.exchange);
  }
  return (call) => !leftOnOthers.has(call.call.exchange);
}

const DETACH: AcceptedKind = {
  flow: 'client/server-remove-volume',
  words: ['server', 'remove', 'volume'],
  // nova-api answers once the volume is `detaching`; nova-compute detaches after.
  accepted: 202,
  settled: ['available', 'in-use'],
  undone: 'in-use',
  message: (call, answer, volume, read) =>
    `${call} was accepted (${answer}), but volume ${volume} read at ${read} is 'in-use', not 'available': the detach ` +
    'failed on the compute host after the API answered and was rolled back (nova-compute logs tell why)',
  plainMessage: (command, read, volume) =>
    `${command} printed no error (run without --debug: the API accepted it), but ${read} shows volume ${volume} ` +
    "'in-use', not 'available': the detach failed on the compute host after the API answered and was rolled back " +
    '(nova-compute logs tell why)',
  followsAttaches: ['server', 'add', 'volume'],
  judged: notLeftOnOthers,
};

export const detachLeftInUse = defineRule({
  meta: {
    id: 'flow/detach-left-in-use',
    defaultSeverity: 'error',
    description:
      "A detach the API accepted, whose volume the client later read as 'in-use': it failed and was rolled back.",
    docs:
      'nova-api answers a detach with 202 once cinder has the volume `detaching`; nova-compute detaches afterwards ' +
      'and, when that fails, has cinder roll the volume back to `in-use` (roll_detaching). So a later read of that ' +
      'volume showing `in-use` means the detach failed on the compute host after the client was told it worked. ' +
      'Fires at the detach call of a completed `server remove volume` when the first read of the volume after it ' +
      'that shows a settled status (`available` or `in-use`; `detaching` is waited past) shows `in-use`, unless ' +
      'another command naming the same volume or server ran in between. A detach from a volume the run attached to ' +
      'another server too is not judged (a multiattach volume stays `in-use` on the other). Client-side reads only (`volume show`, ' +
      '`volume list --name`). Without --debug (a pasted terminal session, a `set -x` script) the same judgement is ' +
      'made of the commands: a `server remove volume` that printed no error, then the status row of a ' +
      '`volume show` or `volume list` table naming its volume; the finding is at the detach command.',
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onEnd(analysis) {
        plainAcceptedThenRead(analysis.result.commands, DETACH, (finding) => ctx.report(finding));
        acceptedThenRead(analysis, DETACH, (finding) => ctx.report(finding));
      },
    };
  },
});
