// For the MikroORM CLI (`npm run migration:create`, `npm run migration:up`) against DATABASE_URL.
import 'reflect-metadata';
import { loadConfig } from '../config.js';
import { ormConfig } from './orm.js';

const config = loadConfig();

export default {
  ...ormConfig({
    url: config.databaseUrl ?? 'postgresql://localhost/crm',
    poolSize: 2,
    statementTimeoutMs: 0,
  }),
  migrations: { ...ormConfig({ url: '', poolSize: 1, statementTimeoutMs: 0 }).migrations, path: './src/db/migrations', pathTs: './src/db/migrations', emit: 'ts' as const },
};
