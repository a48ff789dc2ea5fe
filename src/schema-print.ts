import { printSchema } from 'graphql';
import { getSchema } from './schema.js';

/** The committed SDL: generated from the code, never edited by hand. */
export async function printSchemaFile(): Promise<string> {
  const header = '# Generated from the code by `npm run codegen`. Do not edit.\n\n';
  return header + printSchema(await getSchema()) + '\n';
}
