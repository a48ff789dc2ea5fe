// Writes schema/schema.graphql from the code (`npm run codegen` runs this, then graphql-codegen).
import { writeFileSync } from 'node:fs';
import { printSchemaFile } from '../src/schema-print.js';

writeFileSync(new URL('../schema/schema.graphql', import.meta.url), await printSchemaFile());
console.log('schema/schema.graphql written');
