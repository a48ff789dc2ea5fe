import { Migration } from '@mikro-orm/migrations';

/** Rate-limit buckets of cost points, one row per user or API key (see rate-limits/cost-bucket.ts). */
export class Migration20261202500001CostBuckets extends Migration {
  override async up(): Promise<void> {
    // Unlogged: a bucket is worth nothing after a crash (it starts full again), and every request
    // writes one, so it skips the write-ahead log.
    this.addSql(`
      create unlogged table cost_bucket (
        key text primary key,
        available double precision not null,
        size double precision not null,
        restore_rate double precision not null,
        wanted double precision not null,
        ok boolean not null,
        updated_at timestamptz not null
      ) with (fillfactor = 50)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table cost_bucket`);
  }
}
