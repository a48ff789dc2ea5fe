import { Entity, ManyToOne, Property, type Opt, type Ref } from '@mikro-orm/core';
import { User } from '../users/user.entity.js';
import { Customer } from './customer.entity.js';

/** A read-only share of an owned customer with a colleague (共享). */
@Entity({ tableName: 'customer_share' })
export class CustomerShare {
  @ManyToOne({ entity: () => Customer, primary: true, ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @ManyToOne({ entity: () => User, primary: true, ref: true, fieldName: 'user_id' })
  user!: Ref<User>;

  @ManyToOne({ entity: () => User, ref: true, fieldName: 'created_by_id' })
  createdBy!: Ref<User>;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
