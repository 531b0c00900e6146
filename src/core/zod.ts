// The one zod every schema of ostrace is written with: zod's mini build (functions instead of
// methods: `z.optional(z.string())`, `.check(z.minLength(1))`), which each thread loads in a
// fraction of the full build's memory. Import it as a namespace (`import * as z`): the bundle
// then keeps only the functions used. The full build loads its English messages on its own;
// the mini build says "Invalid input" unless told, and config and flow file errors quote them.
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

export * from 'zod/mini';
