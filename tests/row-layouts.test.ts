import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { BatchScheduler, forgetRowLayouts, type Row } from '../src/common/batch-scheduler.js';
import { openOrm, readStatements, type ReadStatement } from '../src/db/orm.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

// A read's rows travel as objects the first time its SELECT is read, and as arrays of values
// from then on (common/batch-scheduler.ts); either way the reader gets the same objects.

let app: TestApp;
let orm: MikroORM;
let run: ReadStatement;
let statements: string[];

beforeAll(async () => {
  app = await startTestApp();
  orm = await openOrm({ url: app.databaseUrl, poolSize: 1, statementTimeoutMs: 10_000 });
  run = readStatements(orm.em.fork());
});
afterAll(async () => {
  await orm.close();
  await app.close();
});
beforeEach(() => {
  forgetRowLayouts();
  statements = [];
});

/** The rows of one read, in a round of its own, through a real PostgreSQL. */
async function read(sql: string, params: unknown[] = []): Promise<Row[]> {
  const scheduler = new BatchScheduler((text, values, keyed) => {
    statements.push(text);
    return run(text, values, keyed);
  });
  return scheduler.rows(sql, params);
}

const SAMPLE = `SELECT v.n AS id, (v.n * 10)::bigint::text AS big, 12.50::numeric AS amount, '科技 "引号" \\ 末' AS name,
  NULL::text AS missing, v.n > 1 AS flag, json_build_object('a', v.n, 'b', ARRAY[1, 2]) AS doc, ARRAY['x', 'y'] AS tags,
  floor(extract(epoch from timestamptz '2026-01-02 03:04:05.678+00') * 1000)::bigint AS at
  FROM generate_series(1, ?::int) AS v(n) ORDER BY v.n DESC`;

describe('rows as arrays once their columns are known', () => {
  it('answers the same objects, with their keys in the same order, both ways', async () => {
    const first = await read(SAMPLE, [3]);
    const second = await read(SAMPLE, [3]);
    expect(statements[0]).toContain('json_object_keys');
    expect(statements[1]).toContain('json_build_array(q.c0, q.c1');
    expect(statements[1]).toContain('q(c0, c1, c2, c3, c4, c5, c6, c7, c8)');
    expect(second).toEqual(first);
    expect(second.map((r) => Object.keys(r))).toEqual(first.map((r) => Object.keys(r)));
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(Object.getPrototypeOf(second[0])).toBe(Object.prototype);
    expect(first[0]).toEqual({
      id: 3,
      big: '30',
      amount: 12.5,
      name: '科技 "引号" \\ 末',
      missing: null,
      flag: true,
      doc: { a: 3, b: [1, 2] },
      tags: ['x', 'y'],
      at: 1767323045678,
    });
    // Other values, the same layout.
    expect(await read(SAMPLE, [5])).toHaveLength(5);
    expect(statements[2]).toContain('json_build_array(q.c0');
  });

  it('learns nothing from an empty answer, and learns from the first rows that come', async () => {
    expect(await read(SAMPLE, [0])).toEqual([]);
    expect(await read(SAMPLE, [0])).toEqual([]);
    expect(statements.every((s) => s.includes('json_object_keys'))).toBe(true);
    const rows = await read(SAMPLE, [1]);
    expect(await read(SAMPLE, [1])).toEqual(rows);
    expect(statements.at(-1)).toContain('json_build_array(q.c0');
  });

  it('keeps the objects for a repeated column name: the last value, as before', async () => {
    const sql = `SELECT 1 AS a, 2 AS a, 3 AS b`;
    expect(await read(sql)).toEqual([{ a: 2, b: 3 }]);
    expect(await read(sql)).toEqual([{ a: 2, b: 3 }]);
    expect(statements[1]).not.toContain('json_build_array(q.c0');
    expect(statements[1]).toContain('json_agg(q)');
  });

  it('keeps the objects for keys that JavaScript lists apart from their place', async () => {
    for (const sql of [`SELECT 'x' AS b, 1 AS "7"`, `SELECT 1 AS "__proto__", 2 AS b`]) {
      const first = await read(sql);
      expect(await read(sql)).toEqual(first);
      expect(statements.at(-1)).not.toContain('json_build_array(q.c0');
    }
    expect(await read(`SELECT 'x' AS b, 1 AS "7"`)).toEqual([{ b: 'x', 7: 1 }]);
  });

  it('names of any spelling come back as they were', async () => {
    const sql = `SELECT 1 AS "has space", 2 AS "quo""te", 3 AS "Mixed", 4 AS "名字", 5 AS "back\\slash"`;
    const first = await read(sql);
    expect(first).toEqual([{ 'has space': 1, 'quo"te': 2, Mixed: 3, 名字: 4, 'back\\slash': 5 }]);
    expect(await read(sql)).toEqual(first);
    expect(statements[1]).toContain('json_build_array(q.c0');
  });

  it('learns at most 1,000 texts; others keep the objects without asking again', async () => {
    const scheduler = new BatchScheduler((text, values, keyed) => {
      statements.push(text);
      return run(text, values, keyed);
    });
    const many = await Promise.all(Array.from({ length: 1000 }, (_, i) => scheduler.rows(`SELECT ${i} AS n`)));
    expect(many.map((rows) => rows[0]!.n)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(await read(`SELECT 'one more' AS s`)).toEqual([{ s: 'one more' }]);
    expect(await read(`SELECT 'one more' AS s`)).toEqual([{ s: 'one more' }]);
    expect(statements.at(-1)).not.toContain('json_object_keys');
    expect(statements.at(-1)).not.toContain('json_build_array(q.c0');
    // The texts learnt still travel as arrays.
    expect(await read(`SELECT 7 AS n`)).toEqual([{ n: 7 }]);
    expect(statements.at(-1)).toContain('json_build_array(q.c0)');
  });

  it('several reads of one round, learnt and not, each get their own rows', async () => {
    await read(SAMPLE, [2]);
    const scheduler = new BatchScheduler((text, values, keyed) => {
      statements.push(text);
      return run(text, values, keyed);
    });
    const [a, b, c] = await Promise.all([
      scheduler.rows(SAMPLE, [2]),
      scheduler.rows(`SELECT 'b' AS only`),
      scheduler.rows(`SELECT v AS n FROM generate_series(1, 3) v WHERE v > ?::int`, [1]),
    ]);
    expect(statements).toHaveLength(2);
    expect(a!.map((r) => r.id)).toEqual([2, 1]);
    expect(b).toEqual([{ only: 'b' }]);
    expect(c).toEqual([{ n: 2 }, { n: 3 }]);
  });
});
