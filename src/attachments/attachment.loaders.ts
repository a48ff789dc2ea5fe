import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import { requestLoader } from '../common/batch-scheduler.js';
import type { ConnectionResult } from '../common/connection.js';
import type { PageArgs, SortKey } from '../common/keyset.js';
import { pageLoaders } from '../common/page-loaders.js';
import { paginateByParent, type Row } from '../common/pagination.js';
import { getAttachable, liveRecordSql, type AttachableType } from './attachable.js';
import { Attachment } from './attachment.entity.js';
import { findLiveAttachments } from './attachment.service.js';

export interface AttachmentLoaders {
  /** Live attachments (not deleted, their record live); visibility is the caller's check. */
  attachmentById: DataLoader<string, Attachment | null>;
  /** All files of a customer (on itself and on its records), by customer id. */
  attachmentPageByCustomer(args: PageArgs): DataLoader<string, ConnectionResult<Attachment>>;
  /** Files on one record, keyed `${recordType}:${recordId}` (see attachmentsOf). */
  attachmentPageByRecord(args: PageArgs): DataLoader<string, ConnectionResult<Attachment>>;
}

// Newest first; served by the partial indexes on (customer_id | record_type, record_id, created_at, id).
const KEYS: SortKey[] = [
  { sql: 'a.created_at', cast: 'timestamptz', desc: true, nullable: false },
  { sql: 'a.id', cast: 'bigint', desc: true, nullable: false },
];

export function createAttachmentLoaders(em: EntityManager): AttachmentLoaders {
  const map = (row: Row) => em.map(Attachment, row);
  const live = () => [{ sql: `a.deleted_at IS NULL AND (${liveRecordSql('a')})`, params: [] }];
  return {
    attachmentById: requestLoader(async (ids) => {
      const found = await findLiveAttachments(em, ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    attachmentPageByCustomer: pageLoaders((customerIds, args) =>
      paginateByParent(
        em,
        { select: 'a.*', from: 'attachment a', parentColumn: 'a.customer_id', where: live(), keys: KEYS, signature: 'attachments' },
        customerIds,
        args,
        map,
      ),
    ),
    attachmentPageByRecord: pageLoaders(async (keys, args) => {
      // One statement per record type among the keys (a page of quotes is one type).
      const byType = new Map<AttachableType, string[]>();
      for (const key of keys) {
        const [type, id] = key.split(':') as [AttachableType, string];
        byType.set(type, [...(byType.get(type) ?? []), id]);
      }
      const result = new Map<string, ConnectionResult<Attachment>>();
      for (const [type, ids] of byType) {
        if (!getAttachable(type)) throw new Error(`${type} is not attachable: call registerAttachable first`);
        const pages = await paginateByParent(
          em,
          {
            select: 'a.*',
            from: 'attachment a',
            parentColumn: 'a.record_id',
            where: [{ sql: 'a.record_type = ?', params: [type] }, ...live()],
            keys: KEYS,
            signature: `attachments:${type}`,
          },
          ids,
          args,
          map,
        );
        for (const [id, page] of pages) result.set(`${type}:${id}`, page);
      }
      return result;
    }),
  };
}
