import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../codegen.js';
import { printSchemaFile } from '../src/schema-print.js';

// The committed schema and SDK must match the code: regenerate in memory and compare.

const committed = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('schema and SDK are up to date (run `npm run codegen` when this fails)', () => {
  it('schema/schema.graphql matches the schema built from the code', async () => {
    expect(await printSchemaFile()).toBe(committed('schema/schema.graphql'));
  });

  it('sdk/generated.ts matches the operations and the schema', async () => {
    const outputs: { filename: string; content: string }[] = await generate(
      { ...config, cwd: new URL('..', import.meta.url).pathname, silent: true },
      false,
    );
    expect(outputs.map((o) => o.filename).sort()).toEqual(['sdk/generated.ts']);
    for (const output of outputs) expect(output.content).toBe(committed(output.filename));
  });
});
