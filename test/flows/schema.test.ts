// grammars/flow.schema.json is generated from the zod schema; editors use it.
// Regenerate with: npm run build && node -e "import('./dist/src/flows/grammar-schema.js').then(m => require('fs').writeFileSync('grammars/flow.schema.json', JSON.stringify(m.flowFileJsonSchema(), null, 2) + '\n'))"
import { readFileSync, readdirSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { flowFileJsonSchema } from '../../src/flows/grammar-schema.js';

const grammars = new URL('../../grammars/', import.meta.url);

describe('grammars/flow.schema.json', () => {
  it('is up to date with the zod schema (regenerate it when this fails)', () => {
    const onDisk = JSON.parse(readFileSync(new URL('flow.schema.json', grammars), 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(flowFileJsonSchema())));
  });

  it('accepts every shipped flow file and rejects a broken one', () => {
    const ajv = new Ajv2020.default({ allErrors: true, strict: false });
    const validate = ajv.compile(flowFileJsonSchema() as object);
    const files = readdirSync(grammars).filter((n) => n.endsWith('.flow.json'));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      const ok = validate(JSON.parse(readFileSync(new URL(f, grammars), 'utf8')));
      expect(ok, `${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    expect(validate({ family: 'x', title: 't', flows: [], samples: [] })).toBe(false);
  });
});
