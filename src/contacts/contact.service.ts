import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConnectionResult } from '../common/connection.js';
import { andThen, type MaybePromise } from '../common/maybe.js';
import { AppError, ErrorCode } from '../common/errors.js';
import { fromGlobalId } from '../common/ids.js';
import type { PageArgs } from '../common/keyset.js';
import { maskAddress, maskEmail, maskHandle, maskPhone } from '../common/masking.js';
import { cleanText, requiredText } from '../common/text.js';
import { UserError } from '../common/user-error.js';
import type { Context } from '../context.js';
import { assertVersion, deleteRecord, editRecordsOf, lockLiveRecord, pageUnderCustomer, readableRecord, type EditScope } from '../customers/customer-records.js';
import type { Customer } from '../customers/customer.entity.js';
import { masksFor } from '../customers/customer.service.js';
import { User } from '../users/user.entity.js';
import { ContactRelation } from './contact-relation.entity.js';
import { Contact } from './contact.entity.js';
import type { ContactCreateInput, ContactDeleteInput, ContactUpdateInput } from './contact.inputs.js';
import type { RelationSide } from './contact.loaders.js';
import { M } from '../common/messages.js';

// 联系人. Access follows the customer (customer-records.ts): readers of the customer read its
// contacts, with contact details masked where the customer's are; editors of the customer write.

/** A live contact when the viewer can see its customer; null exactly as for a missing one. */
export function findVisibleContact(ctx: Context, id: string | null | undefined): MaybePromise<Contact | null> {
  return id ? readableRecord(ctx, ctx.loaders.contactById.get(id)) : null;
}

/** Whether the record's contact details are masked for the viewer: its customer's rule. */
export function masksRecordOf(ctx: Context, customerId: string): MaybePromise<boolean> {
  // Fail closed: a record we can't place is shown masked.
  return andThen(ctx.loaders.customerById.get(customerId), (customer) => (customer ? masksFor(ctx, customer) : true));
}

type DetailField = 'mobile' | 'phone' | 'email' | 'imHandle' | 'address';

const MASKERS: Record<DetailField, (value: string | null | undefined) => string | null> = {
  mobile: maskPhone,
  phone: maskPhone,
  email: maskEmail,
  imHandle: maskHandle,
  address: maskAddress,
};

/** One contact detail as the viewer may see it. */
export function contactDetail(ctx: Context, contact: Contact, field: DetailField): MaybePromise<string | null> {
  const value = contact[field] ?? null;
  return andThen(masksRecordOf(ctx, contact.customer.id), (masked) => (masked ? MASKERS[field](value) : value));
}

export function customerContacts(ctx: Context, customer: Customer, args: PageArgs): MaybePromise<ConnectionResult<Contact>> {
  return pageUnderCustomer(ctx, customer, (id) => ctx.loaders.contactPage(args).get(id));
}

export function contactRelations(ctx: Context, contact: Contact, args: PageArgs): MaybePromise<ConnectionResult<RelationSide>> {
  return ctx.loaders.relationPage(args).get(contact.id);
}

const TEXT_FIELDS = ['title', 'department', 'mobile', 'phone', 'email', 'imHandle', 'address', 'notes'] as const;

type ContactChanges = Partial<Pick<Contact, (typeof TEXT_FIELDS)[number] | 'gender' | 'birthday' | 'name'>>;

/** The validated changes an input asks for: fields left out are absent, null clears. */
function contactChanges(input: ContactCreateInput | ContactUpdateInput, creating: boolean): ContactChanges {
  const changes: ContactChanges = {};
  if (creating || input.name !== undefined) changes.name = requiredText(input.name, 'name');
  for (const field of TEXT_FIELDS) {
    if (input[field] !== undefined) changes[field] = cleanText(input[field]) ?? null;
  }
  if (input.gender !== undefined) changes.gender = input.gender ?? null;
  if (input.birthday !== undefined) {
    const today = new Date().toISOString().slice(0, 10);
    // Time zones differ by a day at most: allow tomorrow's date in UTC.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    if (input.birthday && input.birthday > tomorrow) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, M.notInFuture({ field: 'birthday', today }), ['input', 'birthday']);
    }
    changes.birthday = input.birthday ?? null;
  }
  return changes;
}

/** Makes room for a new primary contact: the current one, if any, stops being primary. */
async function demotePrimary(em: EntityManager, customerId: string, keepId?: string): Promise<void> {
  const current = await em.findOne(Contact, { customer: customerId, isPrimary: true, deletedAt: null }, { refresh: true });
  if (current && current.id !== keepId) {
    current.isPrimary = false;
    // Flushed on its own, before the new primary is written: the unique index checks each statement.
    await em.flush();
  }
}

export async function createContact(ctx: Context, input: ContactCreateInput): Promise<Contact> {
  const changes = contactChanges(input, true);
  const customerId = fromGlobalId('Customer', input.customerId);
  return editRecordsOf(ctx, customerId, 'Customer', ['input', 'customerId'], async ({ em, viewer, customer }) => {
    if (input.isPrimary) await demotePrimary(em, customer.id);
    const contact = em.create(Contact, {
      ...changes,
      name: changes.name!,
      customer,
      isPrimary: !!input.isPrimary,
      createdBy: em.getReference(User, viewer.id),
    });
    await em.flush();
    return contact;
  });
}

/** The live contact inside the writing transaction (its customer row is locked already). */
const lockedContact = (scope: Pick<EditScope, 'em' | 'customer'>, id: string) =>
  lockLiveRecord(scope, Contact, 'Contact', id, { field: ['input', 'id'] });

export async function updateContact(ctx: Context, input: ContactUpdateInput): Promise<Contact> {
  const changes = contactChanges(input, false);
  const id = fromGlobalId('Contact', input.id);
  const found = id ? await ctx.loaders.contactById.load(id) : null;
  return editRecordsOf(ctx, found?.customer.id, 'Contact', ['input', 'id'], async ({ em, customer }) => {
    const contact = await lockedContact({ em, customer }, id!);
    assertVersion(contact, input.expectedVersion, 'contact');
    if (input.isPrimary === true && !contact.isPrimary) await demotePrimary(em, customer.id, contact.id);
    Object.assign(contact, changes);
    if (input.isPrimary != null) contact.isPrimary = input.isPrimary;
    await em.flush();
    return contact;
  });
}

/** Soft delete: the contact and the relations recorded on it leave the API; history says who and when. */
export async function deleteContact(ctx: Context, input: ContactDeleteInput): Promise<Contact> {
  const id = fromGlobalId('Contact', input.id);
  const found = id ? await ctx.loaders.contactById.load(id) : null;
  return editRecordsOf(ctx, found?.customer.id, 'Contact', ['input', 'id'], async (scope) => {
    const { em } = scope;
    const contact = await lockedContact(scope, id!);
    assertVersion(contact, input.expectedVersion, 'contact');
    const at = new Date();
    const relations = await em.find(ContactRelation, { contact: contact.id, deletedAt: null }, { refresh: true });
    for (const relation of relations) deleteRecord(scope, relation, { type: 'ContactRelation', summary: relation.personName }, at);
    deleteRecord(scope, contact, { type: 'Contact', summary: contact.name }, at);
    await em.flush();
    return contact;
  });
}

export const MAX_CONTACT_BATCH = 100;

export interface ContactDeleteResult {
  contactId: string;
  deleted: boolean;
  userErrors: UserError[];
}

/**
 * 批量删除联系人: each contact on its own, exactly as contactDelete would (its own transaction and
 * checks); one result per id, in order. Some may be deleted while others are refused.
 */
export async function deleteContacts(ctx: Context, contactIds: string[]): Promise<ContactDeleteResult[]> {
  if (contactIds.length < 1 || contactIds.length > MAX_CONTACT_BATCH) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, M.idsCount({ field: 'contactIds', max: MAX_CONTACT_BATCH, what: 'contacts' }), ['input', 'contactIds']);
  }
  if (new Set(contactIds).size !== contactIds.length) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, M.listedTwice({ field: 'contactIds', what: 'contact' }), ['input', 'contactIds']);
  }
  const results: ContactDeleteResult[] = [];
  for (const contactId of contactIds) {
    try {
      await deleteContact(ctx, { id: contactId });
      results.push({ contactId, deleted: true, userErrors: [] });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      results.push({ contactId, deleted: false, userErrors: [UserError.from(error, ctx.language)] });
    }
  }
  return results;
}
