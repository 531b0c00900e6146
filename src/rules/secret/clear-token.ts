// secret/clear-token: a token in clear (X-Auth-Token, X-Subject-Token, X-Service-Token,
// Authorization not hashed, token ids in token bodies). Needs the raw line: the
// RunResult is already masked. The message names the header, never the value.
import { z } from 'zod';
import { defineRule } from '../../engine/types.js';
import { findSecrets } from '../../redact/spans.js';

export const clearToken = defineRule({
  meta: {
    id: 'secret/clear-token',
    defaultSeverity: 'error',
    description: 'A token is logged in clear instead of hashed.',
    docs: 'Fires on each line holding an `X-Auth-Token`, `X-Subject-Token`, `X-Service-Token` or `Authorization` value '
      + 'that is not a `{SHA1}`/`{SHA256}` hash, a token-related CLI option value, or a token id inside a token body. '
      + '`ostrace redact` masks exactly these. Runs on the raw lines as they stream (`analyze`, `lint`, `run`); the finding never quotes the value.',
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onLine({ source, line, text }) {
        const spans = findSecrets(text).filter((s) => s.kind === 'token');
        if (spans.length === 0) return;
        const what = [...new Set(spans.map((s) => s.what))].join(', ');
        ctx.report({ source, line, message: `token in clear: ${what} (mask it with \`ostrace redact\`)` });
      },
    };
  },
});
