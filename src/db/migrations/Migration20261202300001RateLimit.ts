import { Migration } from '@mikro-orm/migrations';

/**
 * Per-user request limits (src/common/rate-limit.ts): one row per key with the start of its current
 * window and the requests counted in it, shared by every server instance.
 */
export class Migration20261202300001RateLimit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table rate_limit (
        key text primary key,
        window_start timestamptz not null,
        hits integer not null check (hits >= 0)
      )`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table rate_limit`);
  }
}
