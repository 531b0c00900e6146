// net/retried: a request that had to be sent again (connection reset, 401 then
// re-authentication, 503 retry) and extra token requests inside one command.
import * as z from '../../core/zod.js';
import { defineRule } from '../../engine/types.js';
import type { Exchange } from '../../model/schema.js';
import { describeCommand, describeExchange } from '../describe.js';

export const retried = defineRule({
  meta: {
    id: 'net/retried',
    defaultSeverity: 'warning',
    description: 'A request was retried (connection reset, re-authentication, retriable status).',
    docs:
      'Fires on each request keystoneauth sent again without a new `REQ:` line — after a connection failure ' +
      '(`Failure: … Retrying`), a 401 with re-authentication, or a retriable status — and on each command that requested ' +
      'a token more than once (re-authentication).',
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onCommand(c, exchanges) {
        const byId = new Map<number, Exchange>(exchanges.map((e) => [e.id, e]));
        exchanges.forEach((e, i) => {
          // After a re-authentication keystoneauth re-sends without a REQ line; the assembler may
          // then only see it as a bare answer to the same method and path as the failed attempt.
          const first =
            e.kind === 'resend'
              ? e.resendOf === null
                ? undefined
                : byId.get(e.resendOf)
              : e.kind === 'bare'
                ? exchanges
                    .slice(0, i)
                    .reverse()
                    .find((p) => p.method === e.method && p.path === e.path && (p.status === 401 || p.status === null))
                : undefined;
          if (e.kind !== 'resend' && !first) return;
          const why = !first
            ? 'an earlier attempt'
            : first.status !== null
              ? `a ${first.status} answer`
              : `a connection failure`;
          ctx.report({
            source: e.source,
            line: e.line,
            exchange: e.id,
            message: `${describeExchange(e)} was sent again after ${why}${e.status === null ? '' : ` (now ${e.status})`}`,
          });
        });
        const auths = exchanges.filter((e) => e.kind === 'auth');
        for (const a of auths.slice(1)) {
          ctx.report({
            source: a.source,
            line: a.line,
            exchange: a.id,
            message: `${describeCommand(c)} re-authenticated (token request ${auths.indexOf(a) + 1} of ${auths.length})`,
          });
        }
      },
    };
  },
});
