import pg from 'pg';
import { expect } from 'vitest';
import type { PoolSettingsInput } from '../../sdk/index.js';
import { startTestApp, type TestApp } from './test-app.js';

// The pool-rule tests' world: two server instances on one database (rules must hold across
// instances) with a direct connection to it, and the settings switched as each test needs.

/** Every rule off, in the default time zone. */
export const RULES_OFF: PoolSettingsInput = {
  ownershipCap: null,
  dailyClaimLimit: null,
  previousOwnerCooldownDays: null,
  noInteractionDays: null,
  noContractDays: null,
  reminderDays: null,
  timeZone: 'Asia/Shanghai',
};

/** Saves the pool settings as the admin: every rule off but those given. */
export async function setPoolRules(app: TestApp, input: PoolSettingsInput) {
  const { poolSettingsUpdate } = await app.admin.client.PoolSettingsUpdate({ input: { ...RULES_OFF, ...input } });
  expect(poolSettingsUpdate.userErrors).toEqual([]);
  return poolSettingsUpdate.poolSettings!;
}

export interface TwoInstances {
  app: TestApp;
  /** Another instance on the same database. */
  second: TestApp;
  db: pg.Client;
  close(): Promise<void>;
}

export async function startTwoInstances(): Promise<TwoInstances> {
  const app = await startTestApp();
  const second = await startTestApp({ sameDatabaseAs: app });
  const db = new pg.Client({ connectionString: app.databaseUrl });
  await db.connect();
  return {
    app,
    second,
    db,
    async close() {
      await db.end();
      await second.close();
      await app.close();
    },
  };
}
