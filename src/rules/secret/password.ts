// secret/password: a password or other credential in clear — in a `-d` JSON body,
// in `Using parameters`, in `START with options` (osc 6 prints `--os-password VALUE`),
// adminPass in server bodies.
import { secretRule } from './secret-rule.js';

export const password = secretRule(
  'secret/password',
  'password',
  'A password or credential secret is logged in clear.',
  'Fires on each line holding a password-like value in clear: JSON/python keys `password` (or ending in it, as ' +
    "iSCSI CHAP's `auth_password`), `adminPass`, `secret` (or ending in `_secret`, `secret_key`), `api_key`, `credential`…, `--os-password VALUE` on the command line (and a secret's `--payload` of `openstack secret store`), " +
    "`password='…'` in an options Namespace or a dict osc prints in a table, a URL's `user:password@host` " +
    "(a database or transport URL), an unquoted `password=…` (a query string, a form body, a shell's `OS_PASSWORD=…`, devstack accrc's " +
    "`EC2_SECRET_KEY=…`), a config file's line pasted with the log (`admin_password = …`), the legacy keystone CLI's `--pass VALUE` and such a key in " +
    "JSON inside a JSON string (an EC2 credential's blob). " +
    'Values already masked (`***`) do not count.',
);
