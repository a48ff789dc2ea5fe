import { BigIntType, Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../common/ids.js';
import { Node } from '../common/node.js';

export enum Role {
  ADMIN = 'ADMIN',
  MANAGER = 'MANAGER',
  SALES = 'SALES',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'What a user may do in the whole system; what they may do to one customer also depends on ownership, shares and the manager tree.',
  valuesConfig: {
    ADMIN: { description: 'System administrator: everything, users, settings.' },
    MANAGER: { description: 'Sees and steers the customers of everyone below them.' },
    SALES: { description: 'Works their own customers and the pool.' },
  },
});

@ObjectType({ implements: Node, description: 'A colleague (用户): a salesperson, a manager or an admin. Every signed-in user can see every user.' })
@Entity({ tableName: 'app_user' })
export class User implements Node {
  @PrimaryKey({ type: new BigIntType('string') })
  id!: string;

  @Field(() => ID, { name: 'id', description: 'Global, opaque id of the user (for assigneeId, userIds, managerId).' })
  get nodeId(): Opt<string> {
    return toGlobalId('User', this.id);
  }

  @Field(() => String, { description: 'Display name, shown as the owner of customers.' })
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { description: 'Sign-in email, unique.' })
  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;

  @Field(() => Role, { description: 'ADMIN, MANAGER or SALES.' })
  @Enum({ items: () => Role, type: 'text' })
  role!: Role;

  @ManyToOne({ entity: () => User, nullable: true, ref: true, fieldName: 'manager_id' })
  manager?: Ref<User> | null;

  @Field(() => Boolean, { description: 'False once deactivated: cannot sign in, cannot receive customers or shares.' })
  @Property({ type: 'boolean' })
  active: boolean & Opt = true;

  @Field(() => Date, { description: 'When the account was created.' })
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Field(() => Date, { description: 'When the account last changed.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();

  @Field(() => Int, { description: 'Increments on every change; pass it back as expectedVersion to userUpdate.' })
  @Property({ type: 'integer', version: true })
  version!: number & Opt;
}
