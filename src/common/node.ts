import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType({ description: 'An object with a global, opaque ID.' })
export abstract class Node {
  @Field(() => ID, { name: 'id', description: 'Global, opaque id; pass it to Query.node or Query.nodes. Never parse it.' })
  nodeId!: string;
}
