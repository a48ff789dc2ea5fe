import { ArrayMaxSize, IsOptional, ValidateNested } from 'class-validator';
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
import { protectionSql, type ProtectionRules } from '../pool-rules/protection.js';
import { M } from '../common/messages.js';

// 组合查询: a combined query over the customer list with and / or / not and typed operators. It
// is only ever ANDed with the view's condition, so it can narrow a view but never widen it.

@InputType({ description: 'Matches a customer state.' })
export class CustomerStatusFilter {
  @Field(() => CustomerStatus, { nullable: true, description: 'In exactly this state.' })
  eq?: CustomerStatus | null;

  @Field(() => [CustomerStatus], { nullable: true, description: 'In one of these states.' })
  in?: CustomerStatus[] | null;
}

@InputType({ description: 'Matches a customer grade.' })
export class CustomerLevelFilter {
  @Field(() => CustomerLevel, { nullable: true, description: 'Of exactly this grade.' })
  eq?: CustomerLevel | null;

  @Field(() => [CustomerLevel], { nullable: true, description: 'Of one of these grades.' })
  in?: CustomerLevel[] | null;

  @Field(() => NullCheck, { nullable: true, description: 'Without a grade (NULL) or with one (NOT_NULL).' })
  is?: NullCheck | null;
}

@InputType({ description: 'A customer has a live contact matching all of these.' })
export class ContactMatchFilter {
  @Field(() => StringFilter, { nullable: true, description: 'The contact\'s name.' })
  @ValidateNested()
  name?: StringFilter | null;

  @Field(() => StringFilter, { nullable: true, description: 'Mobile or phone, compared by digits.' })
  @ValidateNested()
  phone?: StringFilter | null;
}

@InputType({ description: 'Every field given must match; and / or / not combine filters.' })
export class CustomerFilter {
  @Field(() => [CustomerFilter], { nullable: true, description: 'All of these filters hold (at most 20).' })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  and?: CustomerFilter[] | null;

  @Field(() => [CustomerFilter], { nullable: true, description: 'At least one of these filters holds (at most 20).' })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  or?: CustomerFilter[] | null;

  @Field(() => CustomerFilter, { nullable: true, description: 'This filter does not hold.' })
  @ValidateNested()
  not?: CustomerFilter | null;

  @Field(() => StringFilter, { nullable: true, description: 'Customer name.' })
  @ValidateNested()
  name?: StringFilter | null;

  @Field(() => StringFilter, { nullable: true, description: 'Compared by digits: "138-0013 8000" equals "13800138000".' })
  @ValidateNested()
  phone?: StringFilter | null;

  @Field(() => CustomerStatusFilter, { nullable: true, description: 'State (IN_POOL, OWNED, ARCHIVED), within the view.' })
  status?: CustomerStatusFilter | null;

  @Field(() => IdFilter, { nullable: true, description: 'The owner (is: NULL for pool customers).' })
  @ValidateNested()
  owner?: IdFilter | null;

  @Field(() => IdFilter, { nullable: true, description: 'Who created the customer.' })
  @ValidateNested()
  createdBy?: IdFilter | null;

  @Field(() => StringFilter, { nullable: true, description: 'Industry.' })
  @ValidateNested()
  industry?: StringFilter | null;

  @Field(() => CustomerLevelFilter, { nullable: true, description: 'Grade A to D.' })
  level?: CustomerLevelFilter | null;

  @Field(() => StringFilter, { nullable: true, description: 'Lead source.' })
  @ValidateNested()
  source?: StringFilter | null;

  @Field(() => StringFilter, { nullable: true, description: 'Region.' })
  @ValidateNested()
  region?: StringFilter | null;

  @Field(() => DateTimeFilter, { nullable: true, description: 'When it was created.' })
  @ValidateNested()
  createdAt?: DateTimeFilter | null;

  @Field(() => DateTimeFilter, { nullable: true, description: 'When it last changed.' })
  @ValidateNested()
  updatedAt?: DateTimeFilter | null;

  @Field(() => DateTimeFilter, { nullable: true, description: 'When the current owner got it.' })
  @ValidateNested()
  claimedAt?: DateTimeFilter | null;

  @Field(() => DateTimeFilter, { nullable: true, description: 'When the latest interaction took place.' })
  @ValidateNested()
  lastInteractionAt?: DateTimeFilter | null;

  @Field(() => DateTimeFilter, { nullable: true, description: 'The next planned follow-up.' })
  @ValidateNested()
  nextFollowUpAt?: DateTimeFilter | null;

  @Field(() => DateTimeFilter, {
    nullable: true,
    description: 'When the protection period returns the customer to the pool (is: NULL when no rule applies).',
  })
  @ValidateNested()
  returnsToPoolAt?: DateTimeFilter | null;

  @Field(() => IdFilter, { nullable: true, description: 'Shared with this colleague (is: NULL: shared with nobody).' })
  @ValidateNested()
  sharedWith?: IdFilter | null;

  @Field(() => ContactMatchFilter, { nullable: true, description: 'Has a contact whose name / phone matches.' })
  @ValidateNested()
  hasContact?: ContactMatchFilter | null;
}

export const MAX_FILTER_DEPTH = 5;
export const MAX_FILTER_CONDITIONS = 60;

export interface FilterScope {
  /** Phone numbers of pool customers are masked for this viewer: don't let a filter probe them. */
  masksPoolPhones: boolean;
  /** The protection rules in force, when the filter or the order needs returnsToPoolAt. */
  protection?: ProtectionRules;
}

/** Whether a filter (at any depth) uses `field`. */
export function filterUses(filter: CustomerFilter | null | undefined, field: keyof CustomerFilter): boolean {
  if (!filter) return false;
  if (filter[field] !== undefined && filter[field] !== null) return true;
  return [...(filter.and ?? []), ...(filter.or ?? []), ...(filter.not ? [filter.not] : [])].some((f) => filterUses(f, field));
}

function sharedWithSql(f: IdFilter): SqlFragment {
  const shares = (condition: SqlFragment): SqlFragment => ({
    sql: `EXISTS (SELECT 1 FROM customer_share s WHERE s.customer_id = c.id AND ${condition.sql})`,
    params: condition.params,
  });
  const parts: SqlFragment[] = [];
  if (f.eq || f.in) parts.push(shares(idFilterSql('s.user_id', { eq: f.eq, in: f.in }, (g) => fromGlobalId('User', g))));
  if (f.is) parts.push({ sql: `${f.is === NullCheck.NULL ? 'NOT ' : ''}EXISTS (SELECT 1 FROM customer_share s WHERE s.customer_id = c.id)`, params: [] });
  return all(parts);
}

function hasContactSql(f: ContactMatchFilter, scope: FilterScope): SqlFragment {
  const parts: SqlFragment[] = [{ sql: 'ct.customer_id = c.id AND ct.deleted_at IS NULL', params: [] }];
  if (f.name) parts.push(stringFilterSql('ct.name', f.name));
  if (f.phone) {
    const digits = (v: string) => v.replace(/\D+/g, '') || null;
    parts.push(any([stringFilterSql('ct.mobile_digits', f.phone, digits), stringFilterSql('ct.phone_digits', f.phone, digits)]));
  }
  const exists = all(parts);
  const condition = { sql: `EXISTS (SELECT 1 FROM contact ct WHERE ${exists.sql})`, params: exists.params };
  return f.phone ? phoneScope(scope, condition) : condition;
}

/** Where a phone condition may look: never at masked pool phones. */
export function phoneScope(scope: FilterScope, condition: SqlFragment, alias = 'c'): SqlFragment {
  if (!scope.masksPoolPhones) return condition;
  return { sql: `${alias}.status <> 'IN_POOL' AND (${condition.sql})`, params: condition.params };
}

function conditions(filter: CustomerFilter, scope: FilterScope, depth: number, count: { n: number }): SqlFragment {
  if (depth > MAX_FILTER_DEPTH) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, M.filterTooDeep({ max: MAX_FILTER_DEPTH }), ['filter']);
  }
  if (++count.n > MAX_FILTER_CONDITIONS) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, M.filterTooManyConditions({ max: MAX_FILTER_CONDITIONS }), ['filter']);
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
  if (filter.lastInteractionAt) parts.push(dateTimeFilterSql('c.last_interaction_at', filter.lastInteractionAt));
  if (filter.nextFollowUpAt) parts.push(dateTimeFilterSql('c.next_follow_up_at', filter.nextFollowUpAt));
  if (filter.returnsToPoolAt) {
    if (!scope.protection) throw new Error('The protection rules must be loaded to filter on returnsToPoolAt');
    parts.push(dateTimeFilterSql(protectionSql(scope.protection).returnsAt, filter.returnsToPoolAt));
  }
  if (filter.sharedWith) parts.push(sharedWithSql(filter.sharedWith));
  if (filter.hasContact) parts.push(hasContactSql(filter.hasContact, scope));
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
