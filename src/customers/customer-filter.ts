import { ArrayMaxSize, IsOptional } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { AppError, ErrorCode } from '../common/errors.js';
import {
  DateTimeFilter,
  IdFilter,
  NullCheck,
  StringFilter,
  all,
  any,
  dateTimeFilterSql,
  enumFilterSql,
  idFilterSql,
  stringFilterSql,
} from '../common/filters.js';
import { fromGlobalId } from '../common/ids.js';
import type { SqlFragment } from '../common/keyset.js';
import { CustomerLevel, CustomerStatus } from './customer.entity.js';
import { phoneKey } from './name-key.js';

// 组合查询: a combined query over the customer list with and / or / not and typed operators. It
// is only ever ANDed with the view's condition, so it can narrow a view but never widen it.

@InputType()
export class CustomerStatusFilter {
  @Field(() => CustomerStatus, { nullable: true })
  eq?: CustomerStatus | null;

  @Field(() => [CustomerStatus], { nullable: true })
  in?: CustomerStatus[] | null;
}

@InputType()
export class CustomerLevelFilter {
  @Field(() => CustomerLevel, { nullable: true })
  eq?: CustomerLevel | null;

  @Field(() => [CustomerLevel], { nullable: true })
  in?: CustomerLevel[] | null;

  @Field(() => NullCheck, { nullable: true })
  is?: NullCheck | null;
}

@InputType({ description: 'Every field given must match; and / or / not combine filters.' })
export class CustomerFilter {
  @Field(() => [CustomerFilter], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  and?: CustomerFilter[] | null;

  @Field(() => [CustomerFilter], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  or?: CustomerFilter[] | null;

  @Field(() => CustomerFilter, { nullable: true })
  not?: CustomerFilter | null;

  @Field(() => StringFilter, { nullable: true })
  name?: StringFilter | null;

  @Field(() => StringFilter, { nullable: true, description: 'Compared by digits: "138-0013 8000" equals "13800138000".' })
  phone?: StringFilter | null;

  @Field(() => CustomerStatusFilter, { nullable: true })
  status?: CustomerStatusFilter | null;

  @Field(() => IdFilter, { nullable: true, description: 'The owner (is: NULL for pool customers).' })
  owner?: IdFilter | null;

  @Field(() => IdFilter, { nullable: true })
  createdBy?: IdFilter | null;

  @Field(() => StringFilter, { nullable: true })
  industry?: StringFilter | null;

  @Field(() => CustomerLevelFilter, { nullable: true })
  level?: CustomerLevelFilter | null;

  @Field(() => StringFilter, { nullable: true })
  source?: StringFilter | null;

  @Field(() => StringFilter, { nullable: true })
  region?: StringFilter | null;

  @Field(() => DateTimeFilter, { nullable: true })
  createdAt?: DateTimeFilter | null;

  @Field(() => DateTimeFilter, { nullable: true })
  updatedAt?: DateTimeFilter | null;

  @Field(() => DateTimeFilter, { nullable: true })
  claimedAt?: DateTimeFilter | null;
}

export const MAX_FILTER_DEPTH = 5;
export const MAX_FILTER_CONDITIONS = 60;

export interface FilterScope {
  /** Phone numbers of pool customers are masked for this viewer: don't let a filter probe them. */
  masksPoolPhones: boolean;
}

/** The extra conditions other modules contribute (contacts, interactions, pool rules). */
export type FilterExtension = (filter: CustomerFilter, scope: FilterScope) => SqlFragment[];
const extensions: FilterExtension[] = [];

export function extendCustomerFilter(extension: FilterExtension): void {
  extensions.push(extension);
}

/** Where a phone condition may look: never at masked pool phones. */
export function phoneScope(scope: FilterScope, condition: SqlFragment, alias = 'c'): SqlFragment {
  if (!scope.masksPoolPhones) return condition;
  return { sql: `${alias}.status <> 'IN_POOL' AND (${condition.sql})`, params: condition.params };
}

function conditions(filter: CustomerFilter, scope: FilterScope, depth: number, count: { n: number }): SqlFragment {
  if (depth > MAX_FILTER_DEPTH) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, `Filters nest at most ${MAX_FILTER_DEPTH} levels deep`, ['filter']);
  }
  if (++count.n > MAX_FILTER_CONDITIONS) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, `A filter may combine at most ${MAX_FILTER_CONDITIONS} conditions`, ['filter']);
  }
  const parts: SqlFragment[] = [];
  const userId = (g: string) => fromGlobalId('User', g);
  if (filter.name) parts.push(stringFilterSql('c.name', filter.name));
  if (filter.phone) parts.push(phoneScope(scope, stringFilterSql('c.phone_key', filter.phone, (v) => phoneKey(v))));
  if (filter.status) parts.push(enumFilterSql('c.status', filter.status));
  if (filter.owner) parts.push(idFilterSql('c.owner_id', filter.owner, userId));
  if (filter.createdBy) parts.push(idFilterSql('c.created_by_id', filter.createdBy, userId));
  if (filter.industry) parts.push(stringFilterSql('c.industry', filter.industry));
  if (filter.level) parts.push(enumFilterSql('c.level', filter.level));
  if (filter.source) parts.push(stringFilterSql('c.source', filter.source));
  if (filter.region) parts.push(stringFilterSql('c.region', filter.region));
  if (filter.createdAt) parts.push(dateTimeFilterSql('c.created_at', filter.createdAt));
  if (filter.updatedAt) parts.push(dateTimeFilterSql('c.updated_at', filter.updatedAt));
  if (filter.claimedAt) parts.push(dateTimeFilterSql('c.claimed_at', filter.claimedAt));
  for (const extension of extensions) parts.push(...extension(filter, scope));
  if (filter.and) parts.push(all(filter.and.map((f) => conditions(f, scope, depth + 1, count))));
  if (filter.or) parts.push(any(filter.or.map((f) => conditions(f, scope, depth + 1, count))));
  if (filter.not) {
    const inner = conditions(filter.not, scope, depth + 1, count);
    // NOT over SQL's three-valued logic: a condition that is unknown (NULL) counts as false.
    parts.push({ sql: `NOT coalesce((${inner.sql}), FALSE)`, params: inner.params });
  }
  return all(parts);
}

/** The filter as one SQL condition on the customer row aliased `c`. */
export function customerFilterSql(filter: CustomerFilter, scope: FilterScope): SqlFragment {
  return conditions(filter, scope, 0, { n: 0 });
}
