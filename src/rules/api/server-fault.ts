// api/server-fault: a client's read of a server shows nova's `fault` — why the server went to
// ERROR (`No valid host was found`, a build that failed on every host). osc prints it with
// `server show` (`-f value -c fault`, `-f json -c fault`, the table's `fault` row); with --debug
// the GET's body has it too. It is nova's account of a failure that happened after the API answered the create, so the
// client log alone tells it; the message gives nova's code, message and when it was recorded.
import * as z from '../../core/zod.js';
import { defineRule } from '../../engine/types.js';
import type { ServerFault } from '../../model/schema.js';
import { maskText } from '../../secrets/mask.js';
import { describeCommand, firstLine } from '../describe.js';

/** `500 No valid host was found. … (recorded 2026-12-08T01:20:31Z)` */
export function faultText(f: ServerFault): string {
  return `${f.code} ${maskText(firstLine(f.message))}${f.created ? ` (recorded ${f.created})` : ''}`;
}

export const serverFault = defineRule({
  meta: {
    id: 'api/server-fault',
    defaultSeverity: 'error',
    description: "A client's read of a server shows nova's fault: why the server went to ERROR.",
    docs:
      "Fires once per command whose output printed a server's fault (`server show -f value -c fault`, `-f json -c " +
      'fault`, the ' +
      '`fault` row of its table) or whose GET of a server was answered with a `fault` in the body (--debug), at the ' +
      "command's line. The message gives nova's code, message and when nova recorded it: the conductor's or the " +
      "compute host's log at that time tells why.",
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onCommand(c, exchanges) {
        const read = exchanges.find((x) => x.command === c.id && x.resource?.fault !== undefined);
        const fault = c.fault ?? read?.resource?.fault;
        if (!fault) return;
        const server = read?.resource?.id ?? null;
        ctx.report({
          source: c.source,
          line: c.line,
          message: `${c.name === null && c.argv.length === 0 ? 'a command' : describeCommand(c)} showed the fault of ${server ? `server ${server}` : 'a server'}: ${faultText(fault)}`,
        });
      },
    };
  },
});
