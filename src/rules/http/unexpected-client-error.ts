// http/unexpected-client-error: a 4xx that no flow explains. Name-lookup 404s and
// re-authenticated 401s are decided when the command ends; the rest wait for the
// flow replay (a flow may expect them), so they are reported at the end of the run.
import { z } from 'zod';
import { defineRule } from '../../engine/types.js';
import type { Exchange } from '../../model/schema.js';
import { describeError, describeExchange } from '../describe.js';
import { explainedByFollowers, flowMatchedExchanges } from './explained.js';

export const unexpectedClientError = defineRule({
  meta: {
    id: 'http/unexpected-client-error',
    defaultSeverity: 'error',
    description: 'An HTTP request was answered with a 4xx status that the client flow does not explain.',
    docs: 'Fires on 400–499 answers, except: a GET by name that 404s and is followed in the same command by a list '
      + 'request filtered by that name (how the clients find resources by name), a 401 followed by the same request '
      + 'succeeding (re-authentication; see `net/retried`), and exchanges a replayed flow matched as expected steps. '
      + 'Client-side exchanges only: a service\'s access line of the same request would report it twice, and services answer '
      + 'routine 4xx to each other (token-less version discovery). Option `ignoreStatuses` (number[], default `[]`) lists statuses never reported.',
    options: z.strictObject({ ignoreStatuses: z.array(z.number().int().min(400).max(499)).default([]) }),
  },
  create(ctx) {
    const suspects: Exchange[] = [];
    const consider = (list: readonly Exchange[]) => {
      list.forEach((e, i) => {
        if (e.status === null || e.status < 400 || e.status > 499 || ctx.options.ignoreStatuses.includes(e.status)) return;
        if (!explainedByFollowers(e, list.slice(i + 1))) suspects.push(e);
      });
    };
    const loose: Exchange[] = [];
    return {
      onExchange(e) { if (e.command === null && e.side === 'client') loose.push(e); },
      onCommand(_c, exchanges) { consider(exchanges); },
      onEnd(analysis) {
        consider(loose);
        const matched = flowMatchedExchanges(analysis);
        for (const e of suspects) {
          if (matched.has(e.id)) continue;
          ctx.report({ source: e.source, line: e.line, exchange: e.id, message: `${describeExchange(e)} returned ${e.status}${describeError(e)}` });
        }
      },
    };
  },
});
