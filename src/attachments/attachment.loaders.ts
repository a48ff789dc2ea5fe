import type { RequestLoader } from '../common/batch-scheduler.js';
import type { ConnectionResult } from '../common/connection.js';
import type { PageArgs, SortKey } from '../common/keyset.js';
import { pageLoaders } from '../common/page-loaders.js';
import { paginateByParent } from '../common/pagination.js';
import type { Reads } from '../common/reads.js';
import { recordLoader } from '../common/record-loaders.js';
import { getAttachable, liveRecordSql, type AttachableType } from './attachable.js';
import { Attachment } from './attachment.entity.js';

export interface AttachmentLoaders {
  /** Live attachments (not deleted, their record live); visibility is the caller's check. */
  attachmentById: RequestLoader<string, Attachment | null>;
  /** All files of a customer (on itself and on its records), by customer id. */
  attachmentPageByCustomer(args: PageArgs): RequestLoader<string, ConnectionResult<Attachment>>;
  /** Files on one record, keyed `${recordType}:${recordId}` (see attachmentsOf). */
  attachmentPageByRecord(args: PageArgs): RequestLoader<string, ConnectionResult<Attachment>>;
}

// Newest first; served by the partial indexes on (customer_id | record_type, record_id, created_at, id).
const KEYS: SortKey[] = [
  { sql: 'a.created_at', cast: 'timestamptz', desc: true, nullable: false },
  { sql: 'a.id', cast: 'bigint', desc: true, nullable: false },
];

export function createAttachmentLoaders(reads: Reads): AttachmentLoaders {
  const read = (row: Record<string, unknown>) => reads.read(Attachment, row);
  const live = () => [{ sql: `a.deleted_at IS NULL AND (${liveRecordSql('a')})`, params: [] }];
  return {
    attachmentById: recordLoader(reads, Attachment, { where: `x.deleted_at IS NULL AND (${liveRecordSql('x')})` }),
    attachmentPageByCustomer: pageLoaders((customerIds, args) =>
      paginateByParent(
        reads,
        { select: reads.columns(Attachment, 'a'), from: 'attachment a', parentColumn: 'a.customer_id', where: live(), keys: KEYS, signature: 'attachments' },
        customerIds,
        args,
        read,
      ),
    ),
    attachmentPageByRecord: pageLoaders(async (keys, args) => {
      // One read per record type among the keys (a page of quotes is one type), all in one round.
      const byType = new Map<AttachableType, string[]>();
      for (const key of keys) {
        const [type, id] = key.split(':') as [AttachableType, string];
        byType.set(type, [...(byType.get(type) ?? []), id]);
      }
      const pages = await Promise.all(
        [...byType].map(async ([type, ids]) => {
          if (!getAttachable(type)) throw new Error(`${type} is not attachable: call registerAttachable first`);
          const found = await paginateByParent(
            reads,
            {
              select: reads.columns(Attachment, 'a'),
              from: 'attachment a',
              parentColumn: 'a.record_id',
              where: [{ sql: 'a.record_type = ?', params: [type] }, ...live()],
              keys: KEYS,
              signature: `attachments:${type}`,
            },
            ids,
            args,
            read,
          );
          return [...found].map(([id, page]) => [`${type}:${id}`, page] as const);
        }),
      );
      return new Map(pages.flat());
    }),
  };
}
