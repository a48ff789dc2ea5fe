import { Arg, Args, Ctx, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType } from '../common/connection.js';
import { UserError } from '../common/user-error.js';
import type { Context } from '../context.js';
import { Customer } from '../customers/customer.entity.js';
import { loadVisibleCustomer } from '../customers/customer.service.js';
import { User } from '../users/user.entity.js';
import { userOf } from '../users/user.loaders.js';
import type { MaybePromise } from '../common/maybe.js';
import { listAccessLog } from './access-log.js';
import { DocumentAccess } from './document-access.entity.js';
import { DocumentAccessLogArgs, PrintLinkCreateInput } from './print.inputs.js';
import { createPrintLink } from './print.service.js';

export const DocumentAccessConnection = ConnectionType('DocumentAccess', () => DocumentAccess);

@ObjectType({ description: 'A signed link to one printable page or CSV export.' })
export class PrintLinkCreatePayload {
  @Field(() => String, {
    nullable: true,
    description: 'Relative to the server; open it in a browser tab (no Authorization header needed). Works for this document only.',
  })
  url?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the link stops working.' })
  expiresAt?: Date | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

@Resolver(() => DocumentAccess)
export class PrintResolver {
  @Mutation(() => PrintLinkCreatePayload, {
    description:
      '打印 / 导出 in a browser: a short-lived signed link to a print page or a CSV export, with the viewer’s access and masking. ' +
      'NOT_FOUND for a customer the viewer cannot see, VALIDATION_FAILED for fields that do not go with the kind; a view the role may not list is refused as in customers. Not with an API key; each opening is recorded in documentAccessLog.',
  })
  async printLinkCreate(
    @Arg('input', () => PrintLinkCreateInput, { description: 'See PrintLinkCreateInput for what each field takes.' }) input: PrintLinkCreateInput,
    @Ctx() ctx: Context,
  ): Promise<PrintLinkCreatePayload> {
    return { ...(await createPrintLink(ctx, input)), userErrors: [] };
  }

  @Query(() => DocumentAccessConnection, {
    description: 'ADMIN only: every print and export (who, what, when, how far it got), newest first. Pages of 1 to 100 (default 20).',
  })
  documentAccessLog(@Args(() => DocumentAccessLogArgs) args: DocumentAccessLogArgs, @Ctx() ctx: Context) {
    return listAccessLog(ctx, args);
  }

  @FieldResolver(() => User, { description: 'Who printed or exported.' })
  user(@Root() access: DocumentAccess, @Ctx() ctx: Context): MaybePromise<User> {
    return userOf(ctx, access.user.id);
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'PRINT_CUSTOMER: the customer printed.' })
  customer(@Root() access: DocumentAccess, @Ctx() ctx: Context): MaybePromise<Customer | null> {
    return access.customer ? loadVisibleCustomer(ctx, access.customer.id) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Lists: the CustomerFilter as given, as JSON.' })
  filter(@Root() access: DocumentAccess): string | null {
    return json(access.filter);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Lists: the orderBy as given, as JSON.' })
  orderBy(@Root() access: DocumentAccess): string | null {
    return json(access.orderBy);
  }
}
