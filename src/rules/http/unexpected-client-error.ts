// http/unexpected-client-error: a 4xx that no flow explains. Name-lookup 404s and
// re-authenticated 401s are decided when the command ends; the rest wait for the
// flow replay (a flow may expect them), so they are reported at the end of the run.
import * as z from '../../core/zod.js';
import { defineRule } from '../../engine/types.js';
import type { Exchange } from '../../model/schema.js';
import { describeError, describeExchange } from '../describe.js';
import { explainedByFollowers, flowMatchedExchanges } from './explained.js';

/** How many later requests outside any command may explain a 404 (the list call of a name lookup). */
const LOOSE_WINDOW = 64;

export const unexpectedClientError = defineRule({
  meta: {
    id: 'http/unexpected-client-error',
    defaultSeverity: 'error',
    description: 'An HTTP request was answered with a 4xx status that the client flow does not explain.',
    docs:
      'Fires on 400–499 answers, except: a GET by name that 404s and is followed in the same command by a list ' +
      'request filtered by that name (how the clients find resources by name), a 401 followed by the same request ' +
      'succeeding (re-authentication; see `net/retried`), exchanges a replayed flow matched as expected steps, and a ' +
      "service's own call that only an error text told (`(HTTP 404) (Request-ID: …)` in its record: the service's record tells it). " +
      "Client-side exchanges only: a service's access line of the same request would report it twice, and services answer " +
      'routine 4xx to each other (token-less version discovery). Option `ignoreStatuses` (number[], default `[]`) lists statuses never reported.',
    options: z.strictObject({
      ignoreStatuses: z._default(z.array(z.number().check(z.int(), z.gte(400), z.lte(499))), []),
    }),
  },
  create(ctx) {
    const suspects: Exchange[] = [];
    const isClientError = (e: Exchange) =>
      e.status !== null && e.status >= 400 && e.status <= 499 && !ctx.options.ignoreStatuses.includes(e.status);
    const consider = (list: readonly Exchange[]) => {
      list.forEach((e, i) => {
        if (isClientError(e) && !explainedByFollowers(e, list.slice(i + 1))) suspects.push(e);
      });
    };
    // Requests outside any command are judged in a sliding window: a name lookup's
    // list call follows within a few requests, and a long log is never held whole.
    const loose: Exchange[] = [];
    const judgeOldestLoose = () => {
      const e = loose.shift()!;
      if (isClientError(e) && !explainedByFollowers(e, loose)) suspects.push(e);
    };
    return {
      onExchange(e) {
        if (e.command !== null || e.side !== 'client') return;
        loose.push(e);
        if (loose.length > LOOSE_WINDOW) judgeOldestLoose();
      },
      onCommand(_c, exchanges) {
        consider(exchanges);
      },
      onEnd(analysis) {
        while (loose.length > 0) judgeOldestLoose();
        const matched = flowMatchedExchanges(analysis, new Set(suspects.map((e) => e.id)));
        for (const e of suspects) {
          // A service's call told only by an error text is that service's record, not judged here.
          if (matched.has(e.id) || e.caller?.seen === 'error-text') continue;
          ctx.report({
            source: e.source,
            line: e.line,
            exchange: e.id,
            message: `${describeExchange(e)} returned ${e.status}${describeError(e)}`,
          });
        }
      },
    };
  },
});
