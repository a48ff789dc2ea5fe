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
  valuesConfig: {
    ADMIN: { description: 'System administrator: everything, users, settings.' },
    MANAGER: { description: 'Sees and steers the customers of everyone below them.' },
    SALES: { description: 'Works their own customers and the pool.' },
  },
});

@ObjectType({ implements: Node })
@Entity({ tableName: 'app_user' })
export class User implements Node {
  @PrimaryKey({ type: new BigIntType('string') })
  id!: string;

  @Field(() => ID, { name: 'id' })
  get nodeId(): Opt<string> {
    return toGlobalId('User', this.id);
  }

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;

  @Field(() => Role)
  @Enum({ items: () => Role, type: 'text' })
  role!: Role;

  @ManyToOne({ entity: () => User, nullable: true, ref: true, fieldName: 'manager_id' })
  manager?: Ref<User> | null;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  active: boolean & Opt = true;

  @Field(() => Date)
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();

  @Field(() => Int)
  @Property({ type: 'integer', version: true })
  version!: number & Opt;
}
