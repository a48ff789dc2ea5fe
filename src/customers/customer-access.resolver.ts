import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.js';
import { Customer } from './customer.entity.js';
import { CustomerAccess, customerAccess } from './customer-access.js';

@Resolver(() => Customer)
export class CustomerAccessResolver {
  @FieldResolver(() => CustomerAccess, {
    nullable: true,
    description: 'Who can see this customer and why; for the owner, managers above and admins (null for others).',
  })
  access(@Root() customer: Customer, @Ctx() ctx: Context): Promise<CustomerAccess | null> {
    return customerAccess(ctx, customer);
  }
}
