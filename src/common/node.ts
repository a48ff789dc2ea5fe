import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType({ description: 'An object with a global, opaque ID.' })
export abstract class Node {
  @Field(() => ID, { name: 'id' })
  nodeId!: string;
}
