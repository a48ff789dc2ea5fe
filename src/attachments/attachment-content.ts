import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { readStatements } from '../db/orm.js';

// The bytes of attachments, in PostgreSQL in chunks of at most 1 MiB (attachment_chunk). An upload
// is written chunk by chunk while it arrives, each chunk in its own short statement on a pooled
// connection (readStatements: parameters bound, not written into the SQL), under the
// attachment id reserved for it; its `attachment` row is created afterwards, in the transaction that
// checks the permission again. So an upload holds about one chunk in memory and no connection
// between chunks, whatever the file's size; a download reads one chunk at a time in the same way.

export const CHUNK_BYTES = 1024 * 1024;

/** Content written to the database, waiting for (or belonging to) the attachment `attachmentId`. */
export interface StoredContent {
  attachmentId: string;
  size: number;
  sha256: string;
}

/** Thrown by `storeContent`'s `limit` check; the caller says what it means to the client. */
export class ContentTooLarge extends Error {}

async function reserveAttachmentId(em: EntityManager): Promise<string> {
  const [row] = await em.execute<{ id: string }[]>(`SELECT nextval(pg_get_serial_sequence('attachment', 'id'))::text AS id`);
  return row!.id;
}

/**
 * Writes `source` as the content of a new attachment, hashing as it goes; more than `limit` bytes
 * throws ContentTooLarge. On any failure the chunks written so far are removed again.
 */
export async function storeContent(
  em: EntityManager,
  source: AsyncIterable<Buffer> | Iterable<Buffer>,
  limit = Infinity,
): Promise<StoredContent> {
  const attachmentId = await reserveAttachmentId(em);
  const hash = createHash('sha256');
  // One buffer per upload, filled and written again and again (each write finishes before the
  // buffer is filled anew), so that an upload makes no garbage of its own beyond what it receives.
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let filled = 0;
  let size = 0;
  let seq = 0;
  // Bound parameters: the bytes go to PostgreSQL as they are (em.execute would write them into the
  // SQL text as hex, at twice their size and more).
  const statement = readStatements(em);
  const write = async (data: Buffer) => {
    await statement('INSERT INTO attachment_chunk (attachment_id, seq, data) VALUES (?::bigint, ?::int, ?)', [attachmentId, seq, data]);
    seq += 1;
  };
  try {
    for await (const piece of source) {
      size += piece.length;
      if (size > limit) throw new ContentTooLarge(`More than ${limit} bytes`);
      hash.update(piece);
      for (let offset = 0; offset < piece.length; ) {
        const copied = piece.copy(chunk, filled, offset, Math.min(piece.length, offset + CHUNK_BYTES - filled));
        filled += copied;
        offset += copied;
        if (filled === CHUNK_BYTES) {
          await write(chunk);
          filled = 0;
        }
      }
    }
    if (filled > 0) await write(chunk.subarray(0, filled));
  } catch (error) {
    // (should this fail too, what is left goes at the next start: discardAbandonedContent)
    await discardContent(em, attachmentId).catch(() => undefined);
    throw error;
  }
  return { attachmentId, size, sha256: hash.digest('hex') };
}

/** Removes the chunks of an upload that got no attachment row (the database refuses any other). */
export async function discardContent(em: EntityManager, attachmentId: string): Promise<void> {
  await em.execute(
    'DELETE FROM attachment_chunk k WHERE k.attachment_id = ?::bigint AND NOT EXISTS (SELECT 1 FROM attachment a WHERE a.id = k.attachment_id)',
    [attachmentId],
  );
}

/** Removes what uploads cut off by a stopped server left behind (run at start). */
export async function discardAbandonedContent(em: EntityManager): Promise<number> {
  const rows = await em.execute<{ attachment_id: string }[]>(
    `DELETE FROM attachment_chunk k WHERE k.created_at < now() - interval '1 day'
       AND NOT EXISTS (SELECT 1 FROM attachment a WHERE a.id = k.attachment_id)
     RETURNING k.attachment_id`,
  );
  return rows.length;
}

/** The content of an attachment, chunk by chunk, one short statement each. */
export async function* readContent(em: EntityManager, attachment: { id: string; size: number }): AsyncGenerator<Buffer> {
  const statement = readStatements(em);
  let read = 0;
  let seq = -1;
  while (read < attachment.size) {
    const [row] = (await statement(
      'SELECT seq, data FROM attachment_chunk WHERE attachment_id = ?::bigint AND seq > ?::int ORDER BY seq LIMIT 1',
      [attachment.id, seq],
    )) as { seq: number; data: Buffer }[];
    if (!row) throw new Error(`Content of attachment ${attachment.id} is missing`);
    seq = row.seq;
    read += row.data.length;
    yield row.data;
  }
}
