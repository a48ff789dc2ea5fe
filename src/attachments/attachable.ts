import type { EntityManager } from '@mikro-orm/postgresql';
import { cleanText } from '../common/text.js';
import { AttachmentRecordType } from './attachment.entity.js';

// Which records files can be attached to. A module makes its records attachable with one call at
// the top level of a file that schema.ts imports (its resolver), e.g.
//
//   registerAttachable('Quote', async (em, id) => {
//     const [row] = await em.execute<{ customer_id: string }[]>(
//       'SELECT customer_id::text FROM quote WHERE id = ?::bigint AND deleted_at IS NULL', [id]);
//     return row ? { customerId: row.customer_id } : null;
//   }, { liveSql: (id) => `EXISTS (SELECT 1 FROM quote q WHERE q.id = ${id} AND q.deleted_at IS NULL)` });
//
// and lists a record's files with `attachmentsOf` (attachment.service.ts) or the field resolver
// from `attachmentsFieldResolver` (attachment.resolver.ts). Access always follows the owning
// customer; the registry only says which customer that is.

export type AttachableType = AttachmentRecordType | `${AttachmentRecordType}`;

export interface AttachableOwner {
  /** Internal id of the customer the record belongs to. */
  customerId: string;
}

/** The record's customer; null when the record does not exist or is (soft-)deleted. */
export type ResolveOwner = (em: EntityManager, recordId: string) => Promise<AttachableOwner | null>;

export interface AttachableOptions {
  /**
   * A SQL condition that holds while the record is live, given the SQL expression of its id. Files
   * on a deleted record then leave every path (lists, node, download) with it. Omit it for records
   * that are never soft-deleted.
   */
  liveSql?: (recordIdSql: string) => string;
}

interface Attachable extends AttachableOptions {
  type: AttachmentRecordType;
  resolveOwner: ResolveOwner;
}

const registry = new Map<AttachmentRecordType, Attachable>();

export function registerAttachable(type: AttachableType, resolveOwner: ResolveOwner, options: AttachableOptions = {}): void {
  const key = type as AttachmentRecordType;
  if (!Object.values(AttachmentRecordType).includes(key)) throw new Error(`Unknown attachable type ${type}`);
  if (registry.has(key)) throw new Error(`${type} is already attachable`);
  registry.set(key, { type: key, resolveOwner, ...options });
}

/** The registered type named `name` ('Quote' or the GraphQL form 'QUOTE'); undefined otherwise. */
export function findAttachable(name: string): Attachable | undefined {
  const wanted = (cleanText(name) ?? '').toLowerCase();
  return [...registry.values()].find((a) => a.type.toLowerCase() === wanted);
}

export function getAttachable(type: AttachableType): Attachable | undefined {
  return registry.get(type as AttachmentRecordType);
}

/**
 * The condition "the record of attachment `alias` is live", over every registered type. Files of a
 * type nobody registered can't be uploaded, and are not shown either.
 */
export function liveRecordSql(alias: string): string {
  const branches = [...registry.values()].map((a) => {
    const live = a.liveSql?.(`${alias}.record_id`);
    // The type is one of the enum's values (checked on registration), safe to inline.
    return `(${alias}.record_type = '${a.type}'${live ? ` AND ${live}` : ''})`;
  });
  return branches.length > 0 ? branches.join(' OR ') : 'FALSE';
}

// Customers are attachable from the start: a file on the customer itself names it as its record.
registerAttachable(AttachmentRecordType.CUSTOMER, async (em, id) => {
  const [row] = await em.execute<{ id: string }[]>('SELECT id::text AS id FROM customer WHERE id = ?::bigint', [id]);
  return row ? { customerId: row.id } : null;
});
