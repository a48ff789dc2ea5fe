import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Node } from '../common/node.js';
import type { MaybePromise } from '../common/maybe.js';
import type { Context } from '../context.js';
import { findNode, findNodes } from './node.service.js';

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global ID; null when missing or not visible.' })
  node(@Arg('id', () => ID, { description: 'A global id from any object\'s id field.' }) id: string, @Ctx() ctx: Context): MaybePromise<Node | null> {
    return findNode(ctx, id);
  }

  @Query(() => [Node], { nullable: 'items', description: 'Up to 100 objects by global ID, in order; null where missing or not visible (the same visibility as every other path).' })
  nodes(
    @Arg('ids', () => [ID], { description: '1 to 100 global ids; each object counts toward the query cost.' }) ids: string[],
    @Ctx() ctx: Context,
  ): MaybePromise<(Node | null)[]> {
    return findNodes(ctx, ids);
  }
}
