import { Migration } from '@mikro-orm/migrations';

/**
 * Quick search (Chinese included) and sorting. pg_trgm's word splitting depends on the database
 * locale (under the C locale it sees no words in Chinese text), so names are indexed as arrays of
 * their single characters and character pairs instead: a GIN index answers one- and two-character
 * keywords and narrows longer ones, whatever the locale. Phone digits use pg_trgm (digits are
 * words in every locale).
 */
export class Migration20261127400001Search extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm`);
    // Pinyin order for names where ICU is available; the byte order otherwise.
    this.addSql(`
      do $$ begin
        if exists (select 1 from pg_collation where collname = 'zh-x-icu') then
          create collation crm_zh from "zh-x-icu";
        else
          create collation crm_zh from "C";
        end if;
      end $$`);
    this.addSql(`
      create function crm_compact(t text) returns text language sql immutable parallel safe strict
      return lower(regexp_replace(normalize(t, NFKC), '[[:space:][:punct:]、。，；：！？“”‘’（）《》〈〉【】「」『』…—·～]+', '', 'g'))`);
    this.addSql(`
      create function crm_ngrams(t text) returns text[] language sql immutable parallel safe strict
      return array(
        select distinct substr(t, i, n) from generate_series(1, length(t)) i, (values (1), (2)) v(n)
        where i + n - 1 <= length(t))`);
    this.addSql(`
      create function crm_query_grams(t text) returns text[] language sql immutable parallel safe strict
      return case when length(t) <= 1 then array[t]
             else array(select distinct substr(t, i, 2) from generate_series(1, length(t) - 1) i) end`);
    this.addSql(`alter table customer add column name_compact text generated always as (crm_compact(name)) stored`);
    this.addSql(`alter table customer add column name_grams text[] generated always as (crm_ngrams(crm_compact(name))) stored`);
    this.addSql(`create index customer_name_grams_idx on customer using gin (name_grams)`);
    this.addSql(`create index customer_phone_key_trgm_idx on customer using gin (phone_key gin_trgm_ops)`);
    this.addSql(`create index customer_name_zh_idx on customer (status, (name collate crm_zh), id)`);
    for (const column of ['industry', 'level', 'source', 'region', 'claimed_at', 'created_by_id']) {
      this.addSql(`create index customer_${column}_idx on customer (${column})`);
    }
  }

  override async down(): Promise<void> {
    for (const column of ['industry', 'level', 'source', 'region', 'claimed_at', 'created_by_id']) {
      this.addSql(`drop index customer_${column}_idx`);
    }
    this.addSql(`drop index customer_name_zh_idx`);
    this.addSql(`drop index customer_phone_key_trgm_idx`);
    this.addSql(`alter table customer drop column name_grams, drop column name_compact`);
    this.addSql(`drop function crm_query_grams, crm_ngrams, crm_compact`);
    this.addSql(`drop collation crm_zh`);
  }
}
