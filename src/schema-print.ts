import { GraphQLSchema, printSchema } from 'graphql';
import { getSchema } from './schema.js';

/**
 * The committed SDL: generated from the code, never edited by hand. Its types are listed from the
 * alphabetical list of them (each followed by the types it uses that came up first there), so the
 * file does not change with the order in which modules happen to be imported.
 */
export async function printSchemaFile(): Promise<string> {
  const header = '# Generated from the code by `npm run codegen`. Do not edit.\n\n';
  return header + printSchema(inStableOrder(await getSchema())) + '\n';
}

function inStableOrder(schema: GraphQLSchema): GraphQLSchema {
  const config = schema.toConfig();
  return new GraphQLSchema({ ...config, types: [...config.types].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) });
}
