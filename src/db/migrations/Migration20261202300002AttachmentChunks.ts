import { Migration } from '@mikro-orm/migrations';

/**
 * Attachment bytes in chunks of at most 1 MiB (`attachment_chunk`), written while an upload arrives
 * and read one by one by a download, so that neither holds a whole file in memory. The chunks of an
 * upload are written under the attachment id reserved for it before its `attachment` row exists, so
 * they have no foreign key; chunks of an upload that never got its row (refused, cut off) are
 * removed, and only those can be: the content of a stored attachment stays as it was written (its
 * size and SHA-256, the download's ETag, stay true). The metadata table `attachment` is unchanged.
 *
 * The existing content is moved into chunks, and `attachment_content` (attachment_id, data) remains
 * as a view that puts a file's chunks together, for reading a whole file in SQL.
 */
export class Migration20261202300002AttachmentChunks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table attachment_chunk (
        attachment_id bigint not null,
        seq integer not null check (seq >= 0),
        data bytea not null check (octet_length(data) between 1 and 1048576),
        created_at timestamptz not null default now(),
        primary key (attachment_id, seq)
      )`);
    // Uncompressed TOAST: uploads are mostly compressed formats already.
    this.addSql(`alter table attachment_chunk alter column data set storage external`);
    this.addSql(`
      insert into attachment_chunk (attachment_id, seq, data)
      select c.attachment_id, g.seq, substring(c.data from g.seq * 1048576 + 1 for 1048576)
      from attachment_content c
      cross join lateral generate_series(0, (octet_length(c.data) - 1) / 1048576) as g(seq)
      where octet_length(c.data) > 0`);
    this.addSql(`drop table attachment_content`);
    this.addSql(`drop function attachment_content_immutable`);
    this.addSql(`
      create function attachment_chunk_guard() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' or exists (select 1 from attachment a where a.id = old.attachment_id) then
          raise exception 'attachment content is immutable';
        end if;
        return old;
      end $$`);
    this.addSql(`
      create trigger attachment_chunk_immutable before update or delete on attachment_chunk
      for each row execute function attachment_chunk_guard()`);
    this.addSql(`
      create view attachment_content as
      select k.attachment_id, string_agg(k.data, ''::bytea order by k.seq) as data
      from attachment_chunk k
      where exists (select 1 from attachment a where a.id = k.attachment_id)
      group by k.attachment_id`);
  }

  override async down(): Promise<void> {
    this.addSql(`create table attachment_content_data as select attachment_id, data from attachment_content`);
    this.addSql(`drop view attachment_content`);
    this.addSql(`drop table attachment_chunk`);
    this.addSql(`drop function attachment_chunk_guard`);
    this.addSql(`alter table attachment_content_data rename to attachment_content`);
    this.addSql(`alter table attachment_content add primary key (attachment_id)`);
    this.addSql(`alter table attachment_content add foreign key (attachment_id) references attachment (id)`);
    this.addSql(`alter table attachment_content alter column data set not null`);
    this.addSql(`alter table attachment_content alter column data set storage external`);
    this.addSql(`
      create function attachment_content_immutable() returns trigger language plpgsql as $$
      begin
        raise exception 'attachment content is immutable';
      end $$`);
    this.addSql(`
      create trigger attachment_content_no_update before update on attachment_content
      for each row execute function attachment_content_immutable()`);
  }
}
