import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConnectionResult } from '../common/connection.js';
import { notFound, validationFailed } from '../common/errors.js';
import { fromGlobalId } from '../common/ids.js';
import type { MaybePromise } from '../common/maybe.js';
import { sqlArray } from '../common/sql.js';
import type { PageArgs } from '../common/keyset.js';
import { requireViewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import { assertVersion, deleteRecord, editCustomerRecords, pageUnderCustomer, readableRecord, type EditScope } from '../customers/customer-records.js';
import { Customer } from '../customers/customer.entity.js';
import { User } from '../users/user.entity.js';
import { findAttachable, getAttachable, liveRecordSql, type AttachableType } from './attachable.js';
import { discardContent, type StoredContent } from './attachment-content.js';
import { Attachment, AttachmentRecordType } from './attachment.entity.js';
import type { AttachmentDeleteInput } from './attachment.inputs.js';
import { M } from '../common/messages.js';

/** The record a file goes to, and the customer that decides who may touch it. */
export interface UploadTarget {
  recordType: AttachmentRecordType;
  /** Internal ids. */
  recordId: string;
  customerId: string;
}

/** The form fields of an upload: `customerId`, or `recordType` and `recordId` (global ids). */
export interface UploadFields {
  customerId?: string;
  recordType?: string;
  recordId?: string;
}

/** A file whose bytes are in the database already (attachment-content.ts), waiting for its row. */
export interface ReceivedFile {
  fileName: string;
  contentType: string;
  content: StoredContent;
}

/**
 * Runs `change` with the owning customer locked, if the viewer may edit it. A record of a customer
 * the viewer can't see is NOT_FOUND with the same message as a missing one.
 */
async function editFilesOf<T>(
  ctx: Context,
  customerId: string,
  what: string,
  change: (scope: EditScope) => Promise<T>,
): Promise<T> {
  return editCustomerRecords(ctx, customerId, change, { notFound: what });
}

/** Unknown type: VALIDATION_FAILED; a record that does not exist: NOT_FOUND. */
export async function resolveUploadTarget(ctx: Context, fields: UploadFields): Promise<UploadTarget> {
  requireViewer(ctx);
  const { customerId, recordType, recordId } = fields;
  if (customerId !== undefined) {
    if (recordType !== undefined || recordId !== undefined) {
      throw validationFailed(['recordType'], M.eitherCustomerOrRecord());
    }
    return resolveRecord(ctx, AttachmentRecordType.CUSTOMER, customerId);
  }
  if (recordType === undefined || recordId === undefined) {
    throw validationFailed(['customerId'], M.customerOrRecordNeeded());
  }
  const attachable = findAttachable(recordType);
  if (!attachable) throw validationFailed(['recordType'], M.notAttachable({ type: recordType.slice(0, 40) }));
  return resolveRecord(ctx, attachable.type, recordId);
}

async function resolveRecord(ctx: Context, type: AttachmentRecordType, globalId: string): Promise<UploadTarget> {
  const id = fromGlobalId(type, globalId);
  const owner = id ? await getAttachable(type)!.resolveOwner(ctx.em, id) : null;
  if (!id || !owner) throw notFound(type);
  return { recordType: type, recordId: id, customerId: owner.customerId };
}

/** Refuses before the bytes are read when the viewer may not add files to the record. */
export async function assertMayAttach(ctx: Context, target: UploadTarget): Promise<void> {
  await editFilesOf(ctx, target.customerId, target.recordType, async () => undefined);
}

/**
 * Gives a received file its row on its record: EDIT on the customer, checked again under its lock.
 * The content was written under the reserved id; refused, it is removed again.
 */
export async function createAttachment(ctx: Context, target: UploadTarget, file: ReceivedFile): Promise<Attachment> {
  try {
    return await editFilesOf(ctx, target.customerId, target.recordType, async ({ em, viewer }) => {
      // The record may have been deleted while the bytes arrived; deletions lock the customer too.
      const owner = await getAttachable(target.recordType)!.resolveOwner(em, target.recordId);
      if (owner?.customerId !== target.customerId) throw notFound(target.recordType);
      const attachment = em.create(Attachment, {
        id: file.content.attachmentId,
        customer: em.getReference(Customer, target.customerId),
        recordType: target.recordType,
        recordId: target.recordId,
        fileName: file.fileName,
        contentType: file.contentType,
        size: file.content.size,
        sha256: file.content.sha256,
        uploadedBy: em.getReference(User, viewer.id),
      });
      await em.flush();
      return attachment;
    });
  } catch (error) {
    await discardContent(ctx.em, file.content.attachmentId).catch(() => undefined);
    throw error;
  }
}

/** Live attachments by internal id (not deleted, their record live), in one statement. */
export async function findLiveAttachments(em: EntityManager, ids: readonly string[]): Promise<Map<string, Attachment>> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `SELECT a.* FROM attachment a
     WHERE a.id = ANY(?::bigint[]) AND a.deleted_at IS NULL AND (${liveRecordSql('a')})`,
    [sqlArray(ids)],
  );
  return new Map(rows.map((row) => em.map(Attachment, row)).map((a) => [a.id, a]));
}

/**
 * An attachment the viewer may read: its customer is readable; null exactly as for a missing one.
 * Pool customers' files are readable by every user, like the rest of a pool record: masking covers
 * contact fields (phones, emails, addresses, IM handles), and a file is not one.
 */
export function loadVisibleAttachment(ctx: Context, id: string): MaybePromise<Attachment | null> {
  requireViewer(ctx);
  return readableRecord(ctx, ctx.loaders.attachmentById.get(id));
}

export async function getAttachment(ctx: Context, globalId: string): Promise<Attachment | null> {
  requireViewer(ctx);
  const id = fromGlobalId('Attachment', globalId);
  return id ? loadVisibleAttachment(ctx, id) : null;
}

/** Soft delete: the row and its bytes stay; the customer's history says who deleted which file. */
export async function deleteAttachment(ctx: Context, input: AttachmentDeleteInput): Promise<string> {
  requireViewer(ctx);
  const id = fromGlobalId('Attachment', input.id);
  const found = id ? await ctx.loaders.attachmentById.load(id) : null;
  if (!id || !found) throw notFound('Attachment');
  return editFilesOf(ctx, found.customer.id, 'Attachment', async (scope) => {
    const attachment = (await findLiveAttachments(scope.em, [id])).get(id);
    if (!attachment) throw notFound('Attachment');
    assertVersion(attachment, input.expectedVersion, 'attachment');
    deleteRecord(scope, attachment, { type: 'Attachment', summary: attachment.fileName });
    await scope.em.flush();
    return attachment.nodeId;
  });
}

/** The download route of an attachment, relative to the server. */
export function downloadPath(attachment: Attachment): string {
  return `/attachments/${attachment.nodeId}`;
}

/** A record's files, newest first (for a quote's, contract's or interaction's `attachments`). */
export function attachmentsOf(
  ctx: Context,
  recordType: AttachableType,
  recordId: string,
  args: PageArgs,
): MaybePromise<ConnectionResult<Attachment>> {
  return ctx.loaders.attachmentPageByRecord(args).get(`${recordType}:${recordId}`);
}

/** All files of a customer, on itself and on its records, newest first. */
export function attachmentsOfCustomer(ctx: Context, customer: Customer, args: PageArgs): MaybePromise<ConnectionResult<Attachment>> {
  return pageUnderCustomer(ctx, customer, (id) => ctx.loaders.attachmentPageByCustomer(args).get(id));
}
