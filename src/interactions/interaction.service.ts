import { ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConnectionResult } from '../common/connection.js';
import { AppError, ErrorCode, notFound } from '../common/errors.js';
import { fromGlobalId } from '../common/ids.js';
import type { PageArgs } from '../common/keyset.js';
import { Contact } from '../contacts/contact.entity.js';
import { findVisibleContact } from '../contacts/contact.service.js';
import type { Context } from '../context.js';
import { assertVersion, deleteRecord, editRecordsOf, lockLiveRecord, pageUnderCustomer, readableCustomer, readableRecord } from '../customers/customer-records.js';
import type { MaybePromise } from '../common/maybe.js';
import { cleanText, requiredText } from '../common/text.js';
import type { Customer } from '../customers/customer.entity.js';
import { User } from '../users/user.entity.js';
import { recomputeFollowUp } from './follow-up.js';
import { Interaction, type InteractionType } from './interaction.entity.js';
import type { InteractionCreateInput, InteractionDeleteInput, InteractionUpdateInput } from './interaction.inputs.js';
import { M } from '../common/messages.js';

// 交往记录. Access follows the customer (customer-records.ts); every change recomputes the
// customer's lastInteractionAt / nextFollowUpAt in the same transaction (follow-up.ts).

/** Clients' clocks drift: an occurredAt this far ahead of the server's clock still counts as now. */
const CLOCK_SKEW_MS = 5 * 60_000;

export function findVisibleInteraction(ctx: Context, id: string | undefined): MaybePromise<Interaction | null> {
  return id ? readableRecord(ctx, ctx.loaders.interactionById.get(id)) : null;
}

export function customerInteractions(ctx: Context, customer: Customer, args: PageArgs): MaybePromise<ConnectionResult<Interaction>> {
  return pageUnderCustomer(ctx, customer, (id) => ctx.loaders.interactionPage(args).get(id));
}

export function contactInteractions(ctx: Context, contact: Contact, args: PageArgs): MaybePromise<ConnectionResult<Interaction>> {
  return ctx.loaders.contactInteractionPage(args).get(contact.id);
}

/** The contact involved, when it is still live (a deleted contact leaves the API). */
export function interactionContact(ctx: Context, interaction: Interaction): MaybePromise<Contact | null> {
  return findVisibleContact(ctx, interaction.contact?.id);
}

interface InteractionValues {
  type?: InteractionType;
  occurredAt?: Date;
  subject?: string;
  content?: string | null;
  nextFollowUpAt?: Date | null;
}

function interactionChanges(input: InteractionCreateInput | InteractionUpdateInput, creating: boolean): InteractionValues {
  const changes: InteractionValues = {};
  if (input.type === null) throw new AppError(ErrorCode.VALIDATION_FAILED, M.clearNotAllowed({ field: 'type' }), ['input', 'type']);
  if (input.type !== undefined) changes.type = input.type;
  if (creating || input.subject !== undefined) changes.subject = requiredText(input.subject, 'subject');
  if (input.content !== undefined) changes.content = cleanText(input.content) ?? null;
  if (input.occurredAt !== undefined) {
    if (input.occurredAt === null) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, M.clearNotAllowed({ field: 'occurredAt' }), ['input', 'occurredAt']);
    }
    if (input.occurredAt.getTime() > Date.now() + CLOCK_SKEW_MS) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, M.occurredAtInFuture(), [
        'input',
        'occurredAt',
      ]);
    }
    changes.occurredAt = input.occurredAt;
  }
  if (input.nextFollowUpAt !== undefined) changes.nextFollowUpAt = input.nextFollowUpAt;
  return changes;
}

/** A follow-up is planned after the interaction that plans it. */
function assertFollowUpAfter(occurredAt: Date, nextFollowUpAt: Date | null | undefined): void {
  if (nextFollowUpAt && nextFollowUpAt.getTime() <= occurredAt.getTime()) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, M.followUpBeforeOccurred(), ['input', 'nextFollowUpAt']);
  }
}

/**
 * The contact involved: a live contact of the same customer. Missing or invisible: NOT_FOUND; a
 * contact of another customer the viewer can see: VALIDATION_FAILED.
 */
async function involvedContact(ctx: Context, em: EntityManager, globalId: string, customerId: string): Promise<Contact> {
  const field = ['input', 'contactId'];
  const id = fromGlobalId('Contact', globalId);
  const contact = id ? await em.findOne(Contact, { id, deletedAt: null }) : null;
  if (!contact || !(await readableCustomer(ctx, contact.customer.id))) {
    throw notFound('Contact', field);
  }
  if (contact.customer.id !== customerId) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, M.contactOfOtherCustomer(), field);
  }
  return contact;
}

export async function createInteraction(ctx: Context, input: InteractionCreateInput): Promise<Interaction> {
  const changes = interactionChanges(input, true);
  assertFollowUpAfter(changes.occurredAt!, changes.nextFollowUpAt);
  const customerId = fromGlobalId('Customer', input.customerId);
  return editRecordsOf(ctx, customerId, 'Customer', ['input', 'customerId'], async ({ em, viewer, customer }) => {
    const contact = input.contactId != null ? await involvedContact(ctx, em, input.contactId, customer.id) : null;
    const interaction = em.create(Interaction, {
      type: changes.type!,
      occurredAt: changes.occurredAt!,
      subject: changes.subject!,
      content: changes.content ?? null,
      nextFollowUpAt: changes.nextFollowUpAt ?? null,
      customer,
      contact,
      createdBy: em.getReference(User, viewer.id),
    });
    await em.flush();
    await recomputeFollowUp(em, customer);
    return interaction;
  });
}

const lockedInteraction = (em: EntityManager, id: string, customer: Customer) =>
  lockLiveRecord({ em, customer }, Interaction, 'Interaction', id, { field: ['input', 'id'] });

export async function updateInteraction(ctx: Context, input: InteractionUpdateInput): Promise<Interaction> {
  const changes = interactionChanges(input, false);
  const id = fromGlobalId('Interaction', input.id);
  const found = id ? await ctx.loaders.interactionById.load(id) : null;
  return editRecordsOf(ctx, found?.customer.id, 'Interaction', ['input', 'id'], async ({ em, customer }) => {
    const interaction = await lockedInteraction(em, id!, customer);
    assertVersion(interaction, input.expectedVersion, 'interaction');
    assertFollowUpAfter(
      changes.occurredAt ?? interaction.occurredAt,
      changes.nextFollowUpAt !== undefined ? changes.nextFollowUpAt : interaction.nextFollowUpAt,
    );
    let contact: Contact | null | undefined;
    if (input.contactId !== undefined) {
      contact = input.contactId === null ? null : await involvedContact(ctx, em, input.contactId, customer.id);
    }
    Object.assign(interaction, changes);
    if (contact !== undefined) interaction.contact = contact ? ref(contact) : null;
    await em.flush();
    await recomputeFollowUp(em, customer);
    return interaction;
  });
}

/** Soft delete: out of the API and out of the customer's follow-up times; history says who and when. */
export async function deleteInteraction(ctx: Context, input: InteractionDeleteInput): Promise<Interaction> {
  const id = fromGlobalId('Interaction', input.id);
  const found = id ? await ctx.loaders.interactionById.load(id) : null;
  return editRecordsOf(ctx, found?.customer.id, 'Interaction', ['input', 'id'], async (scope) => {
    const { em, customer } = scope;
    const interaction = await lockedInteraction(em, id!, customer);
    assertVersion(interaction, input.expectedVersion, 'interaction');
    deleteRecord(scope, interaction, { type: 'Interaction', summary: interaction.subject });
    await em.flush();
    await recomputeFollowUp(em, customer);
    return interaction;
  });
}
