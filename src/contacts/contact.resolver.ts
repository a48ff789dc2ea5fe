import { Arg, Args, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { ConnectionType, PageArgs } from '../common/connection.js';
import { found } from '../common/errors.js';
import { andThen, type MaybePromise } from '../common/maybe.js';
import { UserError } from '../common/user-error.js';
import type { Context } from '../context.js';
import { EDIT_RECORDS, readableCustomer, UNDER_CUSTOMER } from '../customers/customer-records.js';
import { Customer } from '../customers/customer.entity.js';
import { User } from '../users/user.entity.js';
import { userOf } from '../users/user.loaders.js';
import { ContactRelationConnection, toRelationConnection } from './contact-relation.resolver.js';
import { Contact } from './contact.entity.js';
import { ContactCreateInput, ContactDeleteInput, ContactsDeleteInput, ContactUpdateInput } from './contact.inputs.js';
import * as contacts from './contact.service.js';

export const ContactConnection = ConnectionType('Contact', () => Contact);

@ObjectType({ description: 'The outcome for one contact of contactsDelete.' })
export class ContactDeleteResult {
  @Field(() => ID, { description: 'The contact id as requested.' })
  contactId!: string;

  @Field(() => Boolean, { description: 'Whether this contact was deleted.' })
  deleted!: boolean;

  @Field(() => [UserError], { description: 'Why this contact was not deleted (empty when it was).' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The outcome of deleting several contacts: one result per contact.' })
export class ContactsDeletePayload {
  @Field(() => [ContactDeleteResult], { description: 'One per requested id, in order.' })
  results!: ContactDeleteResult[];

  @Field(() => [UserError], { description: 'Errors of the request as a whole (then results is empty).' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The outcome of creating or editing a contact.' })
export class ContactPayload {
  @Field(() => Contact, { nullable: true, description: 'The contact as saved; null when the mutation failed.' })
  contact?: Contact | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The outcome of deleting a contact.' })
export class ContactDeletePayload {
  @Field(() => ID, { nullable: true, description: 'The id of the deleted contact; null when the mutation failed.' })
  deletedContactId?: string | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

const MASKED = 'Masked in the pool for SALES viewers.';

@Resolver(() => Contact)
export class ContactResolver {
  @Mutation(() => ContactPayload, {
    description:
      `新建联系人: add a contact to a customer. ${EDIT_RECORDS}; VALIDATION_FAILED for bad fields (e.g. a birthday in the future). Writes no history event.`,
  })
  async contactCreate(@Arg('input', () => ContactCreateInput, { description: 'See ContactCreateInput for what each field takes.' }) input: ContactCreateInput, @Ctx() ctx: Context): Promise<ContactPayload> {
    return { contact: await contacts.createContact(ctx, input), userErrors: [] };
  }

  @Mutation(() => ContactPayload, {
    description: `修改联系人: change a contact\'s details. ${EDIT_RECORDS}; STALE_VERSION when expectedVersion is old. Writes no history event.`,
  })
  async contactUpdate(@Arg('input', () => ContactUpdateInput, { description: 'See ContactUpdateInput for what each field takes.' }) input: ContactUpdateInput, @Ctx() ctx: Context): Promise<ContactPayload> {
    return { contact: await contacts.updateContact(ctx, input), userErrors: [] };
  }

  @Mutation(() => ContactDeletePayload, {
    description:
      `删除联系人: the contact and the social relations recorded on it leave the API (kept in the database). ${EDIT_RECORDS}; STALE_VERSION. Writes a RECORD_DELETED history event.`,
  })
  async contactDelete(@Arg('input', () => ContactDeleteInput, { description: 'See ContactDeleteInput for what each field takes.' }) input: ContactDeleteInput, @Ctx() ctx: Context): Promise<ContactDeletePayload> {
    return { deletedContactId: (await contacts.deleteContact(ctx, input)).nodeId, userErrors: [] };
  }

  @Mutation(() => ContactsDeletePayload, {
    description:
      '批量删除联系人: 1 to 100 contacts, each deleted or refused on its own exactly as contactDelete would (NOT_FOUND, FORBIDDEN); VALIDATION_FAILED for the whole request when an id is listed twice.',
  })
  async contactsDelete(@Arg('input', () => ContactsDeleteInput, { description: 'See ContactsDeleteInput for what each field takes.' }) input: ContactsDeleteInput, @Ctx() ctx: Context): Promise<ContactsDeletePayload> {
    return { results: await contacts.deleteContacts(ctx, input.contactIds), userErrors: [] };
  }

  @FieldResolver(() => Customer, { description: 'The customer the record belongs to; it moves with the customer and is visible to whoever sees the customer.' })
  customer(@Root() contact: Contact, @Ctx() ctx: Context): MaybePromise<Customer> {
    return andThen(readableCustomer(ctx, contact.customer.id), (customer) => found(customer, 'Customer'));
  }

  @FieldResolver(() => Boolean, { description: 'Contact details are masked for the viewer (pool, SALES).' })
  masked(@Root() contact: Contact, @Ctx() ctx: Context): MaybePromise<boolean> {
    return contacts.masksRecordOf(ctx, contact.customer.id);
  }

  @FieldResolver(() => String, { nullable: true, description: `Mobile phone. ${MASKED}` })
  mobile(@Root() contact: Contact, @Ctx() ctx: Context): MaybePromise<string | null> {
    return contacts.contactDetail(ctx, contact, 'mobile');
  }

  @FieldResolver(() => String, { nullable: true, description: `Office phone. ${MASKED}` })
  phone(@Root() contact: Contact, @Ctx() ctx: Context): MaybePromise<string | null> {
    return contacts.contactDetail(ctx, contact, 'phone');
  }

  @FieldResolver(() => String, { nullable: true, description: `Email address. ${MASKED}` })
  email(@Root() contact: Contact, @Ctx() ctx: Context): MaybePromise<string | null> {
    return contacts.contactDetail(ctx, contact, 'email');
  }

  @FieldResolver(() => String, { nullable: true, description: `Instant messaging handle, e.g. a WeChat id. ${MASKED}` })
  imHandle(@Root() contact: Contact, @Ctx() ctx: Context): MaybePromise<string | null> {
    return contacts.contactDetail(ctx, contact, 'imHandle');
  }

  @FieldResolver(() => String, { nullable: true, description: `Address. ${MASKED}` })
  address(@Root() contact: Contact, @Ctx() ctx: Context): MaybePromise<string | null> {
    return contacts.contactDetail(ctx, contact, 'address');
  }

  @FieldResolver(() => User, { description: 'Who created the record.' })
  createdBy(@Root() contact: Contact, @Ctx() ctx: Context): MaybePromise<User> {
    return userOf(ctx, contact.createdBy.id);
  }

  @FieldResolver(() => ContactRelationConnection, {
    description: '社会关系: relations recorded on this contact (OUTGOING) and those of other contacts linking to it (INCOMING), oldest first. Pages of 1 to 100 (default 20), each relation counting toward the query cost.',
  })
  relations(@Root() contact: Contact, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context): MaybePromise<ContactRelationConnection> {
    return andThen(contacts.contactRelations(ctx, contact, args), toRelationConnection);
  }
}

@Resolver(() => Customer)
export class CustomerContactsResolver {
  @FieldResolver(() => ContactConnection, {
    description: `联系人: the customer\'s live contacts, the primary contact first, then by name; details masked in the pool for SALES viewers. ${UNDER_CUSTOMER}`,
  })
  contacts(@Root() customer: Customer, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context) {
    return contacts.customerContacts(ctx, customer, args);
  }
}
