// flow/attach-rolled-back: the API accepted an attach (`server add volume` completed, nova
// answered 200), yet the client's own later read of the volume shows it `available`. nova-api
// reserves the volume in cinder before it answers (the attachment, or os-reserve before
// Ocata), so `available` afterwards means the reservation was undone: the attach failed on
// the compute host or in cinder-volume after the client was told it worked. With the client
// log alone this read is the only trace of the failure. (Reference D1 steps 4 and 6: the
// attachment is created, volume `reserved`, before the 200; old style, D2 step 3: os-reserve,
// `attaching`, before it.)
import * as z from '../../core/zod.js';
import { defineRule } from '../../engine/types.js';
import { acceptedThenRead, plainAcceptedThenRead, type AcceptedKind } from '../accepted-reads.js';

const ATTACH: AcceptedKind = {
  flow: 'client/server-add-volume',
  words: ['server', 'add', 'volume'],
  // The synchronous answer: nova-api reserved the volume before it. From 2.101 the attach answers 202 and may not have yet.
  accepted: 200,
  settled: ['available', 'in-use'],
  undone: 'available',
  message: (call, answer, volume, read) =>
    `${call} was accepted (${answer}), but volume ${volume} read at ${read} is 'available', not 'in-use': the attach ` +
    'failed after the API answered and was rolled back (nova-compute and cinder-volume logs tell why)',
  plainMessage: (command, read, volume) =>
    `${command} printed no error (run without --debug: the API accepted it), but ${read} shows volume ${volume} ` +
    "'available', not 'in-use': the attach failed after the API answered and was rolled back (nova-compute and " +
    'cinder-volume logs tell why)',
};

export const attachRolledBack = defineRule({
  meta: {
    id: 'flow/attach-rolled-back',
    defaultSeverity: 'error',
    description: "An attach the API accepted, whose volume the client later read as 'available': it was rolled back.",
    docs:
      'nova-api reserves a volume in cinder before it answers an attach (HTTP 200), so a later read of that volume ' +
      'showing `available` means the attach failed after the API accepted it (on the compute host or in ' +
      'cinder-volume) and was rolled back. Fires at the attach call of a completed `server add volume` when the ' +
      'first read of the volume after it that shows a settled status (`available` or `in-use`; `reserved` and ' +
      '`attaching` are waited past) shows `available`, unless another command naming the same volume or server ran ' +
      'in between. Client-side reads only (`volume show`, `volume list --name`); attaches answered 202 (compute ' +
      '2.101 and later) are not judged. Without --debug (a pasted terminal session, a `set -x` script) the same ' +
      'judgement is made of the commands: a `server add volume` that printed no error, then the status row of a ' +
      '`volume show` or `volume list` table naming its volume; the finding is at the attach command.',
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onEnd(analysis) {
        plainAcceptedThenRead(analysis.result.commands, ATTACH, (finding) => ctx.report(finding));
        acceptedThenRead(analysis, ATTACH, (finding) => ctx.report(finding));
      },
    };
  },
});
