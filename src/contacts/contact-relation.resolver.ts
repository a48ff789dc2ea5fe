import { EDIT_RECORDS } from '../customers/customer-records.js';
import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { PageInfo, type ConnectionResult, type Edge } from '../common/connection.js';
import { andThen, type MaybePromise } from '../common/maybe.js';
import { found } from '../common/errors.js';
import { UserError } from '../common/user-error.js';
import type { Context } from '../context.js';
import { User } from '../users/user.entity.js';
import { userOf } from '../users/user.loaders.js';
import { ContactRelation, RelationDirection } from './contact-relation.entity.js';
import { ContactRelationCreateInput, ContactRelationDeleteInput, ContactRelationUpdateInput } from './contact-relation.inputs.js';
import * as relations from './contact-relation.service.js';
import { Contact } from './contact.entity.js';
import type { RelationSide } from './contact.loaders.js';
import { masksRecordOf } from './contact.service.js';

// Contact.relations lists one relation under both of its ends, so what depends on the end (the
// direction and the contact on the other side) lives on the edge, not on the shared node.

@ObjectType({ description: 'A relation as seen from the contact it is listed under.' })
export class ContactRelationEdge {
  @Field(() => String, { description: 'Opaque position of this relation in the list, for `after` or `before`.' })
  cursor!: string;

  @Field(() => ContactRelation, { description: 'The relation itself.' })
  node!: ContactRelation;

  @Field(() => RelationDirection, { description: 'OUTGOING: recorded on this contact; INCOMING: recorded on another contact that links to it.' })
  direction!: RelationDirection;
}

@ObjectType({ description: "A page of a contact's social relations, in both directions (first defaults to 20, at most 100)." })
export class ContactRelationConnection {
  @Field(() => [ContactRelationEdge], { description: 'The relations of this page with their cursors and directions.' })
  edges!: ContactRelationEdge[];

  @Field(() => [ContactRelation], { description: 'The relations of this page, without cursors or directions.' })
  nodes!: ContactRelation[];

  @Field(() => PageInfo, { description: 'Whether more pages exist, and the cursors to reach them.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { simple: true, description: 'All relations of the contact, both directions.' })
  totalCount!: number | (() => MaybePromise<number>);
}

/** An edge of a relations page; its cursor, like every page's, is written only when asked for. */
class RelationEdge implements ContactRelationEdge {
  readonly node: ContactRelation;
  readonly direction: RelationDirection;

  constructor(private readonly edge: Edge<RelationSide>) {
    this.node = edge.node.relation;
    this.direction = edge.node.direction;
  }

  get cursor(): string {
    return this.edge.cursor;
  }
}

export function toRelationConnection(page: ConnectionResult<RelationSide>): ContactRelationConnection {
  return {
    edges: page.edges.map((e) => new RelationEdge(e)),
    nodes: page.nodes.map((side) => side.relation),
    pageInfo: page.pageInfo,
    totalCount: page.totalCount,
  };
}

@Resolver(() => ContactRelationEdge)
export class ContactRelationEdgeResolver {
  @FieldResolver(() => Contact, {
    nullable: true,
    description: 'The contact on the other side: OUTGOING, the linked contact (null when unlinked); INCOMING, the contact that recorded it.',
  })
  counterpart(@Root() edge: ContactRelationEdge, @Ctx() ctx: Context): MaybePromise<Contact | null> {
    return relations.counterpartOf(ctx, { relation: edge.node, direction: edge.direction });
  }
}

@ObjectType({ description: 'The outcome of creating or editing a social relation.' })
export class ContactRelationPayload {
  @Field(() => ContactRelation, { nullable: true, description: 'The relation as saved; null when the mutation failed.' })
  contactRelation?: ContactRelation | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The outcome of deleting a social relation.' })
export class ContactRelationDeletePayload {
  @Field(() => ID, { nullable: true, description: 'The id of the deleted relation; null when the mutation failed.' })
  deletedContactRelationId?: string | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@Resolver(() => ContactRelation)
export class ContactRelationResolver {
  @Mutation(() => ContactRelationPayload, {
    description:
      `新建社会关系: record a person a contact knows, optionally linked to another visible contact. ${EDIT_RECORDS}; VALIDATION_FAILED (no personName without a link, a contact related to itself). Writes no history event.`,
  })
  async contactRelationCreate(
    @Arg('input', () => ContactRelationCreateInput, { description: 'See ContactRelationCreateInput for what each field takes.' }) input: ContactRelationCreateInput,
    @Ctx() ctx: Context,
  ): Promise<ContactRelationPayload> {
    return { contactRelation: await relations.createRelation(ctx, input), userErrors: [] };
  }

  @Mutation(() => ContactRelationPayload, {
    description: `修改社会关系: change a relation. ${EDIT_RECORDS}; STALE_VERSION, NOT_FOUND for an invisible related contact. Writes no history event.`,
  })
  async contactRelationUpdate(
    @Arg('input', () => ContactRelationUpdateInput, { description: 'See ContactRelationUpdateInput for what each field takes.' }) input: ContactRelationUpdateInput,
    @Ctx() ctx: Context,
  ): Promise<ContactRelationPayload> {
    return { contactRelation: await relations.updateRelation(ctx, input), userErrors: [] };
  }

  @Mutation(() => ContactRelationDeletePayload, {
    description: `删除社会关系: the relation leaves the API (kept in the database). ${EDIT_RECORDS}; STALE_VERSION. Writes a RECORD_DELETED history event.`,
  })
  async contactRelationDelete(
    @Arg('input', () => ContactRelationDeleteInput, { description: 'See ContactRelationDeleteInput for what each field takes.' }) input: ContactRelationDeleteInput,
    @Ctx() ctx: Context,
  ): Promise<ContactRelationDeletePayload> {
    return { deletedContactRelationId: (await relations.deleteRelation(ctx, input)).nodeId, userErrors: [] };
  }

  @FieldResolver(() => Contact, { description: 'The contact the relation is recorded on.' })
  contact(@Root() relation: ContactRelation, @Ctx() ctx: Context): MaybePromise<Contact> {
    return andThen(relations.ownContactOf(ctx, relation), (contact) => found(contact, 'Contact'));
  }

  @FieldResolver(() => Contact, { nullable: true, description: 'The linked contact; null when unlinked, deleted or not visible to the viewer.' })
  relatedContact(@Root() relation: ContactRelation, @Ctx() ctx: Context): MaybePromise<Contact | null> {
    return relations.relatedContactOf(ctx, relation);
  }

  @FieldResolver(() => String, { nullable: true, description: "The related person's phone. Masked in the pool for SALES viewers." })
  phone(@Root() relation: ContactRelation, @Ctx() ctx: Context): MaybePromise<string | null> {
    return relations.relationPhone(ctx, relation);
  }

  @FieldResolver(() => Boolean, { description: 'Contact details are masked for the viewer (pool, SALES).' })
  masked(@Root() relation: ContactRelation, @Ctx() ctx: Context): MaybePromise<boolean> {
    return masksRecordOf(ctx, relation.customer.id);
  }

  @FieldResolver(() => User, { description: 'Who created the record.' })
  createdBy(@Root() relation: ContactRelation, @Ctx() ctx: Context): MaybePromise<User> {
    return userOf(ctx, relation.createdBy.id);
  }
}
