import { AsyncLocalStorage } from 'node:async_hooks';
import { TransactionContext } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEnabled, releaseIdleAsyncContexts } from '../src/common/async-context.js';
import { makeCustomer, makeUser } from './helpers/factories.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

// Async contexts that are off when none of their runs is open (common/async-context.ts), so that
// Node 20 runs no hook per promise for reads after a write has run.

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('an AsyncLocalStorage with its runs over', () => {
  beforeAll(() => releaseIdleAsyncContexts());

  it('gives its store inside a run, across awaits, and turns off once the run is over', async () => {
    const storage = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    const answer = await storage.run('a', async () => {
      seen.push(storage.getStore());
      await tick();
      seen.push(storage.getStore());
      await Promise.all([tick().then(() => seen.push(storage.getStore())), tick()]);
      return 42;
    });
    expect(answer).toBe(42);
    expect(seen).toEqual(['a', 'a', 'a']);
    expect(isEnabled(storage)).toBe(false);
    expect(storage.getStore()).toBeUndefined();
  });

  it('stays on while any of its runs is open, and each run keeps its own store', async () => {
    const storage = new AsyncLocalStorage<string>();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = storage.run('first', async () => {
      await held;
      return storage.getStore();
    });
    const second = await storage.run('second', async () => {
      await tick();
      return storage.getStore();
    });
    expect(second).toBe('second');
    expect(isEnabled(storage)).toBe(true);
    release();
    expect(await first).toBe('first');
    expect(isEnabled(storage)).toBe(false);
  });

  it('turns off after a run that returns at once, throws or rejects, and passes on what it did', async () => {
    const storage = new AsyncLocalStorage<number>();
    expect(storage.run(1, (x: number) => x + (storage.getStore() ?? 0), 2)).toBe(3);
    expect(isEnabled(storage)).toBe(false);
    expect(() =>
      storage.run(1, () => {
        throw new Error('thrown');
      }),
    ).toThrow('thrown');
    expect(isEnabled(storage)).toBe(false);
    await expect(
      storage.run(1, async () => {
        await tick();
        throw new Error('rejected');
      }),
    ).rejects.toThrow('rejected');
    expect(isEnabled(storage)).toBe(false);
    // Nested runs of the same storage: the inner store inside, the outer one after it.
    const stores = storage.run(1, () => [storage.getStore(), storage.run(2, () => storage.getStore()), storage.getStore()]);
    expect(stores).toEqual([1, 2, 1]);
    expect(isEnabled(storage)).toBe(false);
  });
});

describe("the ORM's contexts on a running server", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  // The storage MikroORM keeps a transaction's EntityManager in (private in its types).
  const transactions = () => (TransactionContext as unknown as { storage: AsyncLocalStorage<unknown> }).storage;

  it('are off once its writes are done, on inside a transaction, and writes still commit', async () => {
    const owner = await makeUser(app);
    await Promise.all([makeCustomer(app, { owner }), makeCustomer(app, { owner })]);
    expect(isEnabled(transactions())).toBe(false);
    const em = app.deps.orm.em.fork();
    const inside = await em.transactional(async (tx) => {
      await tick();
      return { enabled: isEnabled(transactions()), em: TransactionContext.getEntityManager(em.name) === tx };
    });
    expect(inside).toEqual({ enabled: true, em: true });
    expect(isEnabled(transactions())).toBe(false);
    const { customers } = await owner.client.CustomersOverview({ view: 'MINE', first: 5 });
    expect(customers.totalCount).toBe(2);
  });
});
