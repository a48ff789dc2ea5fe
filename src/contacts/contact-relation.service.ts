import { ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, ErrorCode, notFound } from '../common/errors.js';
import { fromGlobalId } from '../common/ids.js';
import { maskPhone } from '../common/masking.js';
import { andThen, type MaybePromise } from '../common/maybe.js';
import { cleanText, requiredText } from '../common/text.js';
import type { Context } from '../context.js';
import { assertVersion, deleteRecord, editRecordsOf, lockLiveRecord, readableCustomer, readableRecord, type EditScope } from '../customers/customer-records.js';
import { User } from '../users/user.entity.js';
import { ContactRelation, RelationDirection } from './contact-relation.entity.js';
import type {
  ContactRelationCreateInput,
  ContactRelationDeleteInput,
  ContactRelationUpdateInput,
} from './contact-relation.inputs.js';
import { Contact } from './contact.entity.js';
import { findVisibleContact, masksRecordOf } from './contact.service.js';
import type { RelationSide } from './contact.loaders.js';
import { M } from '../common/messages.js';

// 社会关系. A relation is a record of the customer of the contact it is recorded on: that
// customer's readers read it, its editors write it. A link to another contact (of any customer the
// viewer can see) makes it show under that contact too, as INCOMING.

/** A live relation when the viewer can see its customer; null exactly as for a missing one. */
export function findVisibleRelation(ctx: Context, id: string | undefined): MaybePromise<ContactRelation | null> {
  return id ? readableRecord(ctx, ctx.loaders.relationById.get(id)) : null;
}

/** The linked contact, when there is one, it is live and the viewer can see it. */
export function relatedContactOf(ctx: Context, relation: ContactRelation): MaybePromise<Contact | null> {
  return findVisibleContact(ctx, relation.relatedContact?.id);
}

/** The contact the relation is recorded on. */
export function ownContactOf(ctx: Context, relation: ContactRelation): MaybePromise<Contact | null> {
  return findVisibleContact(ctx, relation.contact.id);
}

/** The contact on the other side of the relation, seen from the contact it is listed under. */
export function counterpartOf(ctx: Context, side: RelationSide): MaybePromise<Contact | null> {
  return side.direction === RelationDirection.OUTGOING ? relatedContactOf(ctx, side.relation) : ownContactOf(ctx, side.relation);
}

export function relationPhone(ctx: Context, relation: ContactRelation): MaybePromise<string | null> {
  const phone = relation.phone ?? null;
  return andThen(masksRecordOf(ctx, relation.customer.id), (masked) => (masked ? maskPhone(phone) : phone));
}

type RelationChanges = Partial<Pick<ContactRelation, 'relationship' | 'personName' | 'organization' | 'position' | 'phone' | 'notes'>>;

const TEXT_FIELDS = ['organization', 'position', 'phone', 'notes'] as const;

function relationChanges(input: ContactRelationCreateInput | ContactRelationUpdateInput): RelationChanges {
  const changes: RelationChanges = {};
  if (input.relationship === null) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, M.clearNotAllowed({ field: 'relationship' }), ['input', 'relationship']);
  }
  if (input.relationship !== undefined) changes.relationship = input.relationship;
  if (input.personName !== undefined) changes.personName = requiredText(input.personName, 'personName');
  for (const field of TEXT_FIELDS) {
    if (input[field] !== undefined) changes[field] = cleanText(input[field]) ?? null;
  }
  return changes;
}

/**
 * The contact a relation links to: live, visible to the viewer (NOT_FOUND on the field otherwise,
 * as for a missing id) and not the relation's own contact.
 */
async function linkTarget(ctx: Context, em: EntityManager, globalId: string, ownContactId: string): Promise<Contact> {
  const field = ['input', 'relatedContactId'];
  const id = fromGlobalId('Contact', globalId);
  const target = id ? await em.findOne(Contact, { id, deletedAt: null }) : null;
  if (!target || !(await readableCustomer(ctx, target.customer.id))) {
    throw notFound('Related contact', field);
  }
  if (target.id === ownContactId) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, M.contactSelfRelation(), field);
  }
  return target;
}

export async function createRelation(ctx: Context, input: ContactRelationCreateInput): Promise<ContactRelation> {
  const changes = relationChanges(input);
  const contactId = fromGlobalId('Contact', input.contactId);
  const found = contactId ? await ctx.loaders.contactById.load(contactId) : null;
  return editRecordsOf(ctx, found?.customer.id, 'Contact', ['input', 'contactId'], async ({ em, viewer, customer }) => {
    const contact = await em.findOne(Contact, { id: contactId!, customer: customer.id, deletedAt: null }, { refresh: true });
    if (!contact) throw notFound('Contact', ['input', 'contactId']);
    const target = input.relatedContactId != null ? await linkTarget(ctx, em, input.relatedContactId, contact.id) : null;
    const personName = changes.personName ?? target?.name;
    if (!personName) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, M.personNameRequired(), ['input', 'personName']);
    }
    const relation = em.create(ContactRelation, {
      ...changes,
      relationship: input.relationship,
      personName,
      customer,
      contact,
      relatedContact: target,
      createdBy: em.getReference(User, viewer.id),
    });
    await em.flush();
    return relation;
  });
}

const lockedRelation = (scope: Pick<EditScope, 'em' | 'customer'>, id: string) =>
  lockLiveRecord(scope, ContactRelation, 'ContactRelation', id, { what: 'Relation', field: ['input', 'id'] });

export async function updateRelation(ctx: Context, input: ContactRelationUpdateInput): Promise<ContactRelation> {
  const changes = relationChanges(input);
  const id = fromGlobalId('ContactRelation', input.id);
  const found = id ? await ctx.loaders.relationById.load(id) : null;
  return editRecordsOf(ctx, found?.customer.id, 'Relation', ['input', 'id'], async ({ em, customer }) => {
    const relation = await lockedRelation({ em, customer }, id!);
    assertVersion(relation, input.expectedVersion, 'relation');
    if (input.relatedContactId !== undefined) {
      // null unlinks; the person's name and details stay.
      const target = input.relatedContactId === null ? null : await linkTarget(ctx, em, input.relatedContactId, relation.contact.id);
      relation.relatedContact = target ? ref(target) : null;
    }
    Object.assign(relation, changes);
    await em.flush();
    return relation;
  });
}

export async function deleteRelation(ctx: Context, input: ContactRelationDeleteInput): Promise<ContactRelation> {
  const id = fromGlobalId('ContactRelation', input.id);
  const found = id ? await ctx.loaders.relationById.load(id) : null;
  return editRecordsOf(ctx, found?.customer.id, 'Relation', ['input', 'id'], async (scope) => {
    const relation = await lockedRelation(scope, id!);
    assertVersion(relation, input.expectedVersion, 'relation');
    deleteRecord(scope, relation, { type: 'ContactRelation', summary: relation.personName });
    await scope.em.flush();
    return relation;
  });
}
