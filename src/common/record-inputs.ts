import { Field, ID, InputType, Int } from 'type-graphql';

/**
 * A record addressed by id, at the version the client read: what every delete (and status change)
 * takes. Each mutation keeps its own input type name (XDeleteInput) by extending this.
 */
@InputType()
export abstract class RecordVersionInput {
  @Field(() => ID, { description: "The record's global id." })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'Refuse with STALE_VERSION unless the record is at this version.' })
  expectedVersion?: number | null;
}
