import {
  ArrayMaxSize,
  ArrayMinSize,
  IsEmail,
  IsOptional,
  IsUrl,
  Length,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { OrderDirection } from '../common/order.js';
import { CustomerViewName } from '../auth/policy.js';
import { CustomerLevel } from './customer.entity.js';
import { CustomerFilter } from './customer-filter.js';

export const MAX_BATCH = 100;

export { CustomerViewName as CustomerView };

registerEnumType(CustomerViewName, {
  name: 'CustomerView',
  description: 'Which customer list to show; every view is further limited to what the viewer may see.',
  valuesConfig: {
    POOL: { description: '客户池: customers nobody owns.' },
    MINE: { description: '我的客户: customers the viewer owns.' },
    SHARED_WITH_ME: { description: '共享客户: customers shared with the viewer (read-only).' },
    SUBORDINATES: { description: '下级客户: customers of everyone below the viewer.' },
    ALL: { description: 'Admins: every live customer.' },
    ARCHIVED: { description: 'Admins: archived customers.' },
  },
});

export enum CustomerOrderField {
  NAME = 'NAME',
  OWNER_NAME = 'OWNER_NAME',
  STATUS = 'STATUS',
  LEVEL = 'LEVEL',
  INDUSTRY = 'INDUSTRY',
  REGION = 'REGION',
  SOURCE = 'SOURCE',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
  CLAIMED_AT = 'CLAIMED_AT',
  LAST_INTERACTION_AT = 'LAST_INTERACTION_AT',
  NEXT_FOLLOW_UP_AT = 'NEXT_FOLLOW_UP_AT',
  RETURNS_TO_POOL_AT = 'RETURNS_TO_POOL_AT',
  RELEVANCE = 'RELEVANCE',
}

registerEnumType(CustomerOrderField, {
  name: 'CustomerOrderField',
  description: 'Text columns sort in pinyin order where the database has ICU; empty values sort last in both directions.',
  valuesConfig: {
    NAME: { description: 'Customer name (pinyin order).' },
    OWNER_NAME: { description: "The owner's name; pool customers (no owner) last." },
    STATUS: { description: 'State: ARCHIVED, IN_POOL, OWNED (alphabetical).' },
    LEVEL: { description: 'Grade A to D.' },
    INDUSTRY: { description: 'Industry.' },
    REGION: { description: 'Region.' },
    SOURCE: { description: 'Lead source.' },
    CREATED_AT: { description: 'When it was created.' },
    UPDATED_AT: { description: 'When it last changed (the default order, newest first).' },
    CLAIMED_AT: { description: 'When the current owner got it.' },
    LAST_INTERACTION_AT: { description: 'When the latest interaction took place.' },
    NEXT_FOLLOW_UP_AT: { description: 'The next planned follow-up.' },
    RELEVANCE: { description: 'How well the customer matches `search` (with a search only; the default then).' },
    RETURNS_TO_POOL_AT: { description: 'When the protection period returns it to the pool (customers no rule applies to last).' },
  },
});

@InputType({ description: 'One sort key of a customer list; ties are broken by the next key, then by id (so cursors stay stable).' })
export class CustomerOrder {
  @Field(() => CustomerOrderField, { description: 'The column to sort by.' })
  field!: CustomerOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'ASC (default) or DESC; empty values sort last either way.' })
  direction!: OrderDirection;
}

@ArgsType()
export class CustomersArgs {
  @Field(() => CustomerViewName, { description: 'The list: POOL, MINE, SHARED_WITH_ME, SUBORDINATES, or (admins only) ALL and ARCHIVED.' })
  view!: CustomerViewName;

  @Field(() => CustomerFilter, { nullable: true, description: '组合查询: narrows the view, never widens it.' })
  @ValidateNested() // class-validator checks nested inputs only when told to
  filter?: CustomerFilter | null;

  @Field(() => String, {
    nullable: true,
    description: 'Quick search over name, phone and contacts; Chinese keywords of one or two characters work. Ranked by relevance unless orderBy is given.',
  })
  @IsOptional()
  @MaxLength(100)
  search?: string | null;

  @Field(() => [CustomerOrder], { nullable: true, description: 'Default: most recently updated first.' })
  @IsOptional()
  @ArrayMaxSize(5)
  orderBy?: CustomerOrder[] | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Start after this cursor (an endCursor of the same list with the same view, filter, search and order).' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: 'Page size from the end, 1 to 100; without before: the last page.' })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'End before this cursor, paging backwards with last.' })
  before?: string | null;
}

@ArgsType()
export class CustomerDuplicatesArgs {
  @Field(() => String, { nullable: true, description: 'A customer name to check; compared after normalisation, it must keep at least 2 letters or digits.' })
  @IsOptional()
  @MaxLength(200)
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'A phone to check, compared by its digits.' })
  @IsOptional()
  @MaxLength(50)
  phone?: string | null;
}

/** The editable fields of a customer, shared by create and update. */
@InputType({ description: 'The editable fields of a customer.' })
abstract class CustomerFieldsInput {
  @Field(() => String, { nullable: true, description: 'Phone, up to 50 characters; searchable by its digits. Masked in the pool for SALES viewers.' })
  @IsOptional()
  @MaxLength(50)
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'Email address. Masked in the pool for SALES viewers.' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Postal address, up to 300 characters. Masked in the pool for SALES viewers.' })
  @IsOptional()
  @MaxLength(300)
  address?: string | null;

  @Field(() => String, { nullable: true, description: 'Web site URL, up to 300 characters.' })
  @IsOptional()
  @IsUrl({ require_protocol: false }, { message: 'website must be a URL' })
  @MaxLength(300)
  website?: string | null;

  @Field(() => String, { nullable: true, description: 'Industry, up to 100 characters.' })
  @IsOptional()
  @MaxLength(100)
  industry?: string | null;

  @Field(() => CustomerLevel, { nullable: true, description: 'Grade A to D.' })
  level?: CustomerLevel | null;

  @Field(() => String, { nullable: true, description: 'Where the lead came from, up to 100 characters.' })
  @IsOptional()
  @MaxLength(100)
  source?: string | null;

  @Field(() => String, { nullable: true, description: 'Region, up to 100 characters.' })
  @IsOptional()
  @MaxLength(100)
  region?: string | null;

  @Field(() => String, { nullable: true, description: 'Free-text notes, up to 5,000 characters.' })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;
}

@InputType({ description: '新建: a new customer. Every field but name is optional.' })
export class CustomerCreateInput extends CustomerFieldsInput {
  @Field(() => String, { description: 'Customer name, 1 to 200 characters with letters or digits; refused with DUPLICATE_CUSTOMER when a live customer has the same normalised name.' })
  @Length(1, 200)
  name!: string;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: '新建并领用: create and claim in one step.' })
  claim?: boolean | null;
}

@InputType({ description: 'Fields left out stay as they are; null clears a field.' })
export class CustomerUpdateInput extends CustomerFieldsInput {
  @Field(() => ID, { description: 'The customer to edit.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'Refuse with STALE_VERSION unless the customer is at this version.' })
  expectedVersion?: number | null;

  @Field(() => String, { nullable: true, description: 'New name, 1 to 200 characters; DUPLICATE_CUSTOMER when taken by another live customer.' })
  @IsOptional()
  @Length(1, 200)
  name?: string | null;
}

export const MAX_SELECTION = 1000;

@InputType({ description: 'Select all matching (全选): every customer of a list, at most 1,000.' })
export class CustomerSelectionInput {
  @Field(() => CustomerViewName, { description: 'The list to select from, as in Query.customers.' })
  view!: CustomerViewName;

  @Field(() => CustomerFilter, { nullable: true, description: 'The combined query (组合查询) of that list.' })
  @ValidateNested()
  filter?: CustomerFilter | null;

  @Field(() => String, { nullable: true, description: 'The quick search of that list.' })
  @IsOptional()
  @MaxLength(100)
  search?: string | null;
}

@InputType({ description: 'The customers of a pool action (claim, return, reclaim, archive, restore): ids, or select all matching.' })
export class CustomersActionInput {
  @Field(() => [ID], { description: '1 to 100 customers; [] when `matching` selects them.' })
  @ValidateIf((input: CustomersActionInput) => !input.matching)
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  customerIds!: string[];

  @Field(() => CustomerSelectionInput, {
    nullable: true,
    description: 'Instead of ids: every customer the list shows (return, assign, reclaim, share, unshare; at most 1,000).',
  })
  @IsOptional()
  @ValidateNested()
  matching?: CustomerSelectionInput | null;

  @Field(() => String, { nullable: true, description: 'Why; kept in the history.' })
  @IsOptional()
  @MaxLength(500)
  reason?: string | null;
}

@InputType({ description: '指派: the customers and whom to give them to.' })
export class CustomersAssignInput extends CustomersActionInput {
  @Field(() => ID, { description: 'The new owner: an active user (VALIDATION_FAILED otherwise); a manager may only pick self or a subordinate.' })
  assigneeId!: string;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Keep the existing shares.' })
  keepShares?: boolean | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Share with the previous owner (read-only).' })
  keepPreviousOwnerAsSharee?: boolean | null;
}

@InputType({ description: '共享 / 取消共享: the customers and the colleagues whose read-only access to add or remove.' })
export class CustomersShareInput {
  @Field(() => [ID], { description: '1 to 100 customers; [] when `matching` selects them.' })
  @ValidateIf((input: CustomersShareInput) => !input.matching)
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  customerIds!: string[];

  @Field(() => CustomerSelectionInput, { nullable: true, description: 'Instead of ids: every customer the list shows (at most 1,000).' })
  @IsOptional()
  @ValidateNested()
  matching?: CustomerSelectionInput | null;

  @Field(() => [ID], { description: '1 to 100 colleagues.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  userIds!: string[];

  @Field(() => String, { nullable: true, description: 'Why; kept in the history (up to 500 characters).' })
  @IsOptional()
  @MaxLength(500)
  reason?: string | null;
}

@InputType({ description: 'Fields to set on every customer of a batch; left out: unchanged; null: cleared.' })
export class CustomerBatchFieldsInput {
  @Field(() => CustomerLevel, { nullable: true, description: 'Grade A to D.' })
  level?: CustomerLevel | null;

  @Field(() => String, { nullable: true, description: 'Industry, up to 100 characters.' })
  @IsOptional()
  @MaxLength(100)
  industry?: string | null;

  @Field(() => String, { nullable: true, description: 'Region, up to 100 characters.' })
  @IsOptional()
  @MaxLength(100)
  region?: string | null;

  @Field(() => String, { nullable: true, description: 'Lead source, up to 100 characters.' })
  @IsOptional()
  @MaxLength(100)
  source?: string | null;
}

@InputType({ description: '批量修改: the customers and the fields to set on all of them.' })
export class CustomersUpdateInput {
  @Field(() => [ID], { description: '1 to 100 customers.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  customerIds!: string[];

  @Field(() => CustomerBatchFieldsInput, { description: 'The fields to set; at least one (VALIDATION_FAILED otherwise).' })
  @ValidateNested()
  set!: CustomerBatchFieldsInput;
}

@InputType({ description: '变更共享: the complete new list of sharees of one customer.' })
export class CustomerSharesSetInput {
  @Field(() => ID, { description: 'The customer whose sharees to replace.' })
  customerId!: string;

  @Field(() => [ID], { description: '0 to 100 colleagues; an empty list removes every share.' })
  @ArrayMaxSize(MAX_BATCH)
  userIds!: string[];
}
