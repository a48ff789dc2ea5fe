import { Arg, Args, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Resolver, Root, type ClassType } from 'type-graphql';
import { ConnectionType, PageArgs } from '../common/connection.js';
import { toGlobalId } from '../common/ids.js';
import { Node } from '../common/node.js';
import type { MaybePromise } from '../common/maybe.js';
import { UserError } from '../common/user-error.js';
import type { Context } from '../context.js';
import { EDIT_RECORDS, readableCustomer, UNDER_CUSTOMER } from '../customers/customer-records.js';
import { Customer } from '../customers/customer.entity.js';
import { findNode } from '../node/node.service.js';
import { User } from '../users/user.entity.js';
import { userOf } from '../users/user.loaders.js';
import type { AttachableType } from './attachable.js';
import { Attachment } from './attachment.entity.js';
import { AttachmentDeleteInput } from './attachment.inputs.js';
import * as attachments from './attachment.service.js';

export const AttachmentConnection = ConnectionType('Attachment', () => Attachment);

@ObjectType({ description: 'The outcome of deleting an attachment.' })
export class AttachmentDeletePayload {
  @Field(() => ID, { nullable: true, description: 'The id of the deleted attachment; null when the mutation failed.' })
  deletedAttachmentId?: string | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@Resolver(() => Attachment)
export class AttachmentResolver {
  @Mutation(() => AttachmentDeletePayload, {
    description:
      `删除附件: the file leaves the API and its download (kept in the database). ${EDIT_RECORDS}; STALE_VERSION. Writes a RECORD_DELETED history event.`,
  })
  async attachmentDelete(
    @Arg('input', () => AttachmentDeleteInput, { description: 'See AttachmentDeleteInput for what each field takes.' }) input: AttachmentDeleteInput,
    @Ctx() ctx: Context,
  ): Promise<AttachmentDeletePayload> {
    return { deletedAttachmentId: await attachments.deleteAttachment(ctx, input), userErrors: [] };
  }

  @FieldResolver(() => String, { description: 'GET it with the bearer token; relative to the server.' })
  downloadUrl(@Root() attachment: Attachment): string {
    return attachments.downloadPath(attachment);
  }

  @FieldResolver(() => User, { description: 'Who uploaded the file.' })
  uploadedBy(@Root() attachment: Attachment, @Ctx() ctx: Context): MaybePromise<User> {
    return userOf(ctx, attachment.uploadedBy.id);
  }

  @FieldResolver(() => User, { description: 'The uploader.' })
  createdBy(@Root() attachment: Attachment, @Ctx() ctx: Context): MaybePromise<User> {
    return userOf(ctx, attachment.uploadedBy.id);
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'The customer the file belongs to (directly or through one of its records).' })
  customer(@Root() attachment: Attachment, @Ctx() ctx: Context): MaybePromise<Customer | null> {
    return readableCustomer(ctx, attachment.customer.id);
  }

  @FieldResolver(() => Node, { nullable: true, description: 'The customer, quote, contract or interaction the file is on.' })
  record(@Root() attachment: Attachment, @Ctx() ctx: Context): MaybePromise<Node | null> {
    return findNode(ctx, toGlobalId(attachment.recordType, attachment.recordId));
  }
}

@Resolver(() => Customer)
export class CustomerAttachmentResolver {
  @FieldResolver(() => AttachmentConnection, {
    description: `附件: files on the customer and on its quotes, contracts and interactions (see recordType), newest first. ${UNDER_CUSTOMER}`,
  })
  attachments(@Root() customer: Customer, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context) {
    return attachments.attachmentsOfCustomer(ctx, customer, args);
  }
}

/**
 * `attachments` on another attachable type, e.g. `attachmentsFieldResolver(Quote, 'Quote')` in
 * schema.ts's resolvers list (after `registerAttachable('Quote', ...)`).
 */
export function attachmentsFieldResolver<T extends { id: string }>(type: ClassType<T>, recordType: AttachableType) {
  @Resolver(() => type)
  class RecordAttachmentsResolver {
    @FieldResolver(() => AttachmentConnection, { description: `附件: files on this record, newest first. ${UNDER_CUSTOMER}` })
    attachments(@Root() record: T, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context) {
      return attachments.attachmentsOf(ctx, recordType, record.id, args);
    }
  }
  return RecordAttachmentsResolver;
}
