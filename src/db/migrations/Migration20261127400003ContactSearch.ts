import { Migration } from '@mikro-orm/migrations';

/**
 * Quick search and the combined query over a customer's contacts: contact names as character /
 * character-pair arrays (see the Search migration), phones as digits with trigram indexes.
 */
export class Migration20261127400003ContactSearch extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table contact add column name_grams text[] generated always as (crm_ngrams(crm_compact(name))) stored`);
    this.addSql(`alter table contact add column mobile_digits text generated always as (nullif(regexp_replace(mobile, '\\D', '', 'g'), '')) stored`);
    this.addSql(`alter table contact add column phone_digits text generated always as (nullif(regexp_replace(phone, '\\D', '', 'g'), '')) stored`);
    this.addSql(`create index contact_name_grams_idx on contact using gin (name_grams) where deleted_at is null`);
    this.addSql(`create index contact_mobile_digits_trgm_idx on contact using gin (mobile_digits gin_trgm_ops) where deleted_at is null`);
    this.addSql(`create index contact_phone_digits_trgm_idx on contact using gin (phone_digits gin_trgm_ops) where deleted_at is null`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table contact drop column phone_digits, drop column mobile_digits, drop column name_grams`);
  }
}
