import { Migration } from '@mikro-orm/migrations';

/**
 * Every order a customer list offers has an index in both directions, so no page sorts the whole
 * table: `(key, id)` for the keys that are never null (one index serves ASC and DESC), and for the
 * nullable ones `(key ASC NULLS LAST, id)` and `(key DESC NULLS LAST, id DESC)` (the lists put
 * nulls last in either direction; paging backwards reads the same index the other way).
 *
 * The views narrow these orders by status or owner: the pool and the archive by status (most of the
 * table), MINE and SUBORDINATES by owner, where the owner indexes find a few thousand rows at most
 * and sorting them is cheaper than walking the whole order.
 *
 * Sorting by the owner's name needs it on the customer row: `owner_name` is kept by triggers (when
 * the owner changes, and when a user is renamed).
 */
const NOT_NULL_KEYS: Record<string, string> = {
  name: '(name collate crm_zh)',
  status: 'status',
  created_at: 'created_at',
  updated_at: 'updated_at',
};

const NULLABLE_KEYS: Record<string, string> = {
  owner_name: '(owner_name collate crm_zh)',
  level: 'level',
  industry: '(industry collate crm_zh)',
  region: '(region collate crm_zh)',
  source: '(source collate crm_zh)',
  claimed_at: 'claimed_at',
  last_interaction_at: 'last_interaction_at',
  next_follow_up_at: 'next_follow_up_at',
};

export class Migration20261201100001ListOrders extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table customer add column owner_name text`);
    this.addSql(`
      create function customer_owner_name() returns trigger language plpgsql as $$
      begin
        new.owner_name := (select u.name from app_user u where u.id = new.owner_id);
        return new;
      end $$`);
    this.addSql(`
      create trigger customer_owner_name before insert or update of owner_id on customer
      for each row execute function customer_owner_name()`);
    this.addSql(`
      create function app_user_renamed() returns trigger language plpgsql as $$
      begin
        update customer set owner_name = new.name where owner_id = new.id;
        return null;
      end $$`);
    this.addSql(`
      create trigger app_user_renamed after update of name on app_user
      for each row when (old.name is distinct from new.name) execute function app_user_renamed()`);
    this.addSql(`update customer c set owner_name = u.name from app_user u where u.id = c.owner_id`);

    for (const [name, key] of Object.entries(NOT_NULL_KEYS)) {
      this.addSql(`create index customer_order_${name}_idx on customer (${key}, id)`);
    }
    for (const [name, key] of Object.entries(NULLABLE_KEYS)) {
      this.addSql(`create index customer_order_${name}_asc_idx on customer (${key} asc nulls last, id)`);
      this.addSql(`create index customer_order_${name}_desc_idx on customer (${key} desc nulls last, id desc)`);
    }
    // Superseded: the ordered indexes serve equality on these columns too.
    this.addSql(`drop index customer_level_idx`);
    this.addSql(`drop index customer_claimed_at_idx`);
    // The duplicate check and the quick search look up archived customers by their name key too
    // (the unique index covers live ones only).
    this.addSql(`create index customer_archived_name_key_idx on customer (name_key) where status = 'ARCHIVED'`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index customer_archived_name_key_idx`);
    this.addSql(`create index customer_level_idx on customer (level)`);
    this.addSql(`create index customer_claimed_at_idx on customer (claimed_at)`);
    for (const name of Object.keys(NULLABLE_KEYS)) {
      this.addSql(`drop index customer_order_${name}_asc_idx`);
      this.addSql(`drop index customer_order_${name}_desc_idx`);
    }
    for (const name of Object.keys(NOT_NULL_KEYS)) this.addSql(`drop index customer_order_${name}_idx`);
    this.addSql(`drop trigger app_user_renamed on app_user`);
    this.addSql(`drop function app_user_renamed`);
    this.addSql(`drop trigger customer_owner_name on customer`);
    this.addSql(`drop function customer_owner_name`);
    this.addSql(`alter table customer drop column owner_name`);
  }
}
