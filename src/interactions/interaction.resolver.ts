import { Arg, Args, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { ConnectionType, PageArgs } from '../common/connection.js';
import { found } from '../common/errors.js';
import { andThen, type MaybePromise } from '../common/maybe.js';
import { UserError } from '../common/user-error.js';
import { Contact } from '../contacts/contact.entity.js';
import type { Context } from '../context.js';
import { EDIT_RECORDS, readableCustomer, UNDER_CUSTOMER } from '../customers/customer-records.js';
import { Customer } from '../customers/customer.entity.js';
import { User } from '../users/user.entity.js';
import { userOf } from '../users/user.loaders.js';
import { Interaction } from './interaction.entity.js';
import { InteractionCreateInput, InteractionDeleteInput, InteractionUpdateInput } from './interaction.inputs.js';
import * as interactions from './interaction.service.js';

export const InteractionConnection = ConnectionType('Interaction', () => Interaction);

@ObjectType({ description: 'The outcome of recording or editing an interaction.' })
export class InteractionPayload {
  @Field(() => Interaction, { nullable: true, description: 'The interaction as saved; null when the mutation failed.' })
  interaction?: Interaction | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The outcome of deleting an interaction.' })
export class InteractionDeletePayload {
  @Field(() => ID, { nullable: true, description: 'The id of the deleted interaction; null when the mutation failed.' })
  deletedInteractionId?: string | null;

  @Field(() => Customer, { nullable: true, description: 'The customer, with its follow-up times recomputed.' })
  customer?: Customer | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@Resolver(() => Interaction)
export class InteractionResolver {
  @Mutation(() => InteractionPayload, {
    description:
      `新建交往记录: record a visit, call, email, ... with a customer; the viewer is the author, and the customer\'s lastInteractionAt and nextFollowUpAt follow. ${EDIT_RECORDS}; VALIDATION_FAILED (occurredAt in the future, a follow-up before it, a contact of another customer). Writes no history event.`,
  })
  async interactionCreate(
    @Arg('input', () => InteractionCreateInput, { description: 'See InteractionCreateInput for what each field takes.' }) input: InteractionCreateInput,
    @Ctx() ctx: Context,
  ): Promise<InteractionPayload> {
    return { interaction: await interactions.createInteraction(ctx, input), userErrors: [] };
  }

  @Mutation(() => InteractionPayload, {
    description: `修改交往记录: change an interaction; the customer\'s follow-up times follow. ${EDIT_RECORDS}; STALE_VERSION, VALIDATION_FAILED. Writes no history event.`,
  })
  async interactionUpdate(
    @Arg('input', () => InteractionUpdateInput, { description: 'See InteractionUpdateInput for what each field takes.' }) input: InteractionUpdateInput,
    @Ctx() ctx: Context,
  ): Promise<InteractionPayload> {
    return { interaction: await interactions.updateInteraction(ctx, input), userErrors: [] };
  }

  @Mutation(() => InteractionDeletePayload, {
    description:
      `删除交往记录: the interaction leaves the API (kept in the database) and the customer\'s follow-up times are recomputed. ${EDIT_RECORDS}; STALE_VERSION. Writes a RECORD_DELETED history event.`,
  })
  async interactionDelete(
    @Arg('input', () => InteractionDeleteInput, { description: 'See InteractionDeleteInput for what each field takes.' }) input: InteractionDeleteInput,
    @Ctx() ctx: Context,
  ): Promise<InteractionDeletePayload> {
    const deleted = await interactions.deleteInteraction(ctx, input);
    return { deletedInteractionId: deleted.nodeId, customer: await readableCustomer(ctx, deleted.customer.id), userErrors: [] };
  }

  @FieldResolver(() => Customer, { description: 'With lastInteractionAt and nextFollowUpAt.' })
  customer(@Root() interaction: Interaction, @Ctx() ctx: Context): MaybePromise<Customer> {
    return andThen(readableCustomer(ctx, interaction.customer.id), (customer) => found(customer, 'Customer'));
  }

  @FieldResolver(() => Contact, { nullable: true, description: 'The contact involved; null when none or deleted since.' })
  contact(@Root() interaction: Interaction, @Ctx() ctx: Context): MaybePromise<Contact | null> {
    return interactions.interactionContact(ctx, interaction);
  }

  @FieldResolver(() => User, { description: 'Who recorded it.' })
  author(@Root() interaction: Interaction, @Ctx() ctx: Context): MaybePromise<User> {
    return userOf(ctx, interaction.createdBy.id);
  }

  @FieldResolver(() => User, { description: 'The same as author.' })
  createdBy(@Root() interaction: Interaction, @Ctx() ctx: Context): MaybePromise<User> {
    return userOf(ctx, interaction.createdBy.id);
  }
}

@Resolver(() => Customer)
export class CustomerInteractionsResolver {
  @FieldResolver(() => InteractionConnection, { description: `交往记录: the customer\'s live interactions, newest first. ${UNDER_CUSTOMER}` })
  interactions(@Root() customer: Customer, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context) {
    return interactions.customerInteractions(ctx, customer, args);
  }
}

@Resolver(() => Contact)
export class ContactInteractionsResolver {
  @FieldResolver(() => InteractionConnection, { description: `The interactions this contact was involved in, newest first. ${UNDER_CUSTOMER}` })
  interactions(@Root() contact: Contact, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context) {
    return interactions.contactInteractions(ctx, contact, args);
  }
}
