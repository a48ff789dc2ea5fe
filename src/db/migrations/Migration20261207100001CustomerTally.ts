import { Migration } from '@mikro-orm/migrations';

/**
 * How many customers are in each status, kept by the database as the customers change, so that a
 * list whose view is a condition on the status alone (everyone's customers for an admin, the pool,
 * the archive) counts its `totalCount` from a few rows instead of scanning 100,000 index entries on
 * every page (customers/customer-tally.ts).
 *
 * Every statement that inserts, deletes or updates customers adds its change per status as new rows
 * (statement-level triggers over the transition tables), in its own transaction: nothing is locked
 * or updated in place, so concurrent claims never wait on a counter, and the sum of the rows a
 * snapshot sees is exactly that snapshot's count. The triggers fire ALWAYS, also in a session
 * replicating or loading data with `session_replication_role = replica`. The rows are folded
 * together in the background, and the sums checked against the table (customer-tally.ts).
 */
export class Migration20261207100001CustomerTally extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table customer_tally (status text not null, n bigint not null)`);
    this.addSql(`
      create function customer_tally_changed() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into customer_tally (status, n) select status, count(*) from tally_new group by status;
        elsif tg_op = 'DELETE' then
          insert into customer_tally (status, n) select status, -count(*) from tally_old group by status;
        else
          insert into customer_tally (status, n)
          select status, sum(d) from (
            select status, 1 as d from tally_new union all select status, -1 from tally_old
          ) changed group by status having sum(d) <> 0;
        end if;
        return null;
      end $$`);
    this.addSql(`
      create function customer_tally_truncated() returns trigger language plpgsql as $$
      begin
        delete from customer_tally;
        return null;
      end $$`);
    this.addSql(`create trigger customer_tally_insert after insert on customer referencing new table as tally_new for each statement execute function customer_tally_changed()`);
    this.addSql(`create trigger customer_tally_delete after delete on customer referencing old table as tally_old for each statement execute function customer_tally_changed()`);
    this.addSql(`create trigger customer_tally_update after update on customer referencing old table as tally_old new table as tally_new for each statement execute function customer_tally_changed()`);
    this.addSql(`create trigger customer_tally_truncate after truncate on customer for each statement execute function customer_tally_truncated()`);
    for (const trigger of ['insert', 'delete', 'update', 'truncate']) {
      this.addSql(`alter table customer enable always trigger customer_tally_${trigger}`);
    }
    this.addSql(`insert into customer_tally (status, n) select status, count(*) from customer group by status`);
  }

  override async down(): Promise<void> {
    for (const trigger of ['insert', 'delete', 'update', 'truncate']) this.addSql(`drop trigger customer_tally_${trigger} on customer`);
    this.addSql(`drop function customer_tally_changed()`);
    this.addSql(`drop function customer_tally_truncated()`);
    this.addSql(`drop table customer_tally`);
  }
}
