// secret/password: a password or other credential in clear — in a `-d` JSON body,
// in `Using parameters`, in `START with options` (osc 6 prints `--os-password VALUE`),
// adminPass in server bodies. The message names where, never the value.
import { z } from 'zod';
import { defineRule } from '../../engine/types.js';
import { findSecrets } from '../../redact/spans.js';

export const password = defineRule({
  meta: {
    id: 'secret/password',
    defaultSeverity: 'error',
    description: 'A password or credential secret is logged in clear.',
    docs: 'Fires on each line holding a password-like value in clear: JSON/python keys `password`, `adminPass`, `secret`, '
      + '`credential`…, `--os-password VALUE` on the command line, `password=\'…\'` in an options Namespace. '
      + 'Values already masked (`***`) do not count. Runs on the raw lines as they stream (`analyze`, `lint`, `run`); the finding never quotes the value.',
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onLine({ source, line, text }) {
        const spans = findSecrets(text).filter((s) => s.kind === 'password');
        if (spans.length === 0) return;
        const what = [...new Set(spans.map((s) => s.what))].join(', ');
        ctx.report({ source, line, message: `password in clear: ${what} (mask it with \`ostrace redact\`)` });
      },
    };
  },
});
