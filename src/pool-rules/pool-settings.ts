import type { EntityManager } from '@mikro-orm/postgresql';
import { companyToday, DEFAULT_TIME_ZONE } from '../common/company-calendar.js';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { IsOptional, Max, Min, MaxLength } from 'class-validator';

// The pool rules an admin can switch on, each with its number (null = off). Kept as one JSON row
// in app_setting so that every instance on the database applies the same numbers.

const SETTINGS_KEY = 'pool_settings';

export interface PoolSettingsValues {
  ownershipCap: number | null;
  dailyClaimLimit: number | null;
  previousOwnerCooldownDays: number | null;
  noInteractionDays: number | null;
  noContractDays: number | null;
  reminderDays: number | null;
  timeZone: string;
  version: number;
  updatedAt: string | null;
}

export const DEFAULT_POOL_SETTINGS: PoolSettingsValues = {
  ownershipCap: null,
  dailyClaimLimit: null,
  previousOwnerCooldownDays: null,
  noInteractionDays: null,
  noContractDays: null,
  reminderDays: null,
  timeZone: DEFAULT_TIME_ZONE,
  version: 0,
  updatedAt: null,
};

@ObjectType({ description: 'Pool rules; every rule is off (null) by default.' })
export class PoolSettings {
  @Field(() => Int, { nullable: true, description: 'Most customers one user may own.' })
  ownershipCap!: number | null;

  @Field(() => Int, { nullable: true, description: 'Most claims per user per day (company time zone).' })
  dailyClaimLimit!: number | null;

  @Field(() => Int, { nullable: true, description: 'Days before whoever returned or lost a customer may claim it again.' })
  previousOwnerCooldownDays!: number | null;

  @Field(() => Int, { nullable: true, description: 'An owned customer with no interaction for this many days returns to the pool.' })
  noInteractionDays!: number | null;

  @Field(() => Int, { nullable: true, description: 'An owned customer without a contract this many days after the claim returns to the pool.' })
  noContractDays!: number | null;

  @Field(() => Int, { nullable: true, description: 'Owners are reminded this many days before an automatic return.' })
  reminderDays!: number | null;

  @Field(() => String, { description: 'The company time zone (IANA), for "per day" rules.' })
  timeZone!: string;

  @Field(() => Int, { description: 'Increments on every change; pass it back as expectedVersion.' })
  version!: number;

  @Field(() => Date, { nullable: true, description: 'When an admin last changed the rules; null: never.' })
  updatedAt!: Date | null;

  static from(values: PoolSettingsValues): PoolSettings {
    return Object.assign(new PoolSettings(), { ...values, updatedAt: values.updatedAt ? new Date(values.updatedAt) : null });
  }
}

@InputType({ description: 'Fields left out stay as they are; null switches a rule off.' })
export class PoolSettingsInput {
  @Field(() => Int, { nullable: true, description: 'Refuse with STALE_VERSION unless the settings are at this version.' })
  expectedVersion?: number | null;

  @Field(() => Int, { nullable: true, description: 'Most customers one user may own, 1 to 100,000; null: no cap.' })
  @IsOptional()
  @Min(1)
  @Max(100_000)
  ownershipCap?: number | null;

  @Field(() => Int, { nullable: true, description: 'Most claims per user per day, 1 to 10,000; null: no limit.' })
  @IsOptional()
  @Min(1)
  @Max(10_000)
  dailyClaimLimit?: number | null;

  @Field(() => Int, { nullable: true, description: 'Cool-down after returning or losing a customer, 1 to 3,650 days; null: none.' })
  @IsOptional()
  @Min(1)
  @Max(3650)
  previousOwnerCooldownDays?: number | null;

  @Field(() => Int, { nullable: true, description: 'Protection period without interactions, 1 to 3,650 days; null: off.' })
  @IsOptional()
  @Min(1)
  @Max(3650)
  noInteractionDays?: number | null;

  @Field(() => Int, { nullable: true, description: 'Protection period without a contract after the claim, 1 to 3,650 days; null: off.' })
  @IsOptional()
  @Min(1)
  @Max(3650)
  noContractDays?: number | null;

  @Field(() => Int, { nullable: true, description: 'Remind owners this many days (1 to 365) before an automatic return; needs a protection period.' })
  @IsOptional()
  @Min(1)
  @Max(365)
  reminderDays?: number | null;

  @Field(() => String, { nullable: true, description: 'The company time zone, an IANA name such as Asia/Shanghai.' })
  @IsOptional()
  @MaxLength(64)
  timeZone?: string | null;
}

export type PoolRuleKey = Exclude<keyof PoolSettingsValues, 'timeZone' | 'version' | 'updatedAt'>;
export const RULE_KEYS: PoolRuleKey[] = [
  'ownershipCap',
  'dailyClaimLimit',
  'previousOwnerCooldownDays',
  'noInteractionDays',
  'noContractDays',
  'reminderDays',
];

/** The stored settings as a SQL expression (read with the viewer at the start of each request). */
export const POOL_SETTINGS_SQL = `(SELECT value FROM app_setting WHERE key = '${SETTINGS_KEY}')`;

/** The settings from their stored value (defaults for what it does not say). */
export function poolSettingsFrom(value: Partial<PoolSettingsValues> | null | undefined): PoolSettingsValues {
  return { ...DEFAULT_POOL_SETTINGS, ...(value ?? {}) };
}

export async function loadPoolSettings(em: EntityManager): Promise<PoolSettingsValues> {
  const [row] = await em.execute<{ value: Partial<PoolSettingsValues> }[]>('SELECT value FROM app_setting WHERE key = ?', [SETTINGS_KEY]);
  return poolSettingsFrom(row?.value);
}

/** Reads the settings with their row locked, for a change in the same transaction. */
export async function lockPoolSettings(em: EntityManager): Promise<PoolSettingsValues> {
  await em.execute(`INSERT INTO app_setting (key, value) VALUES (?, '{}') ON CONFLICT (key) DO NOTHING`, [SETTINGS_KEY]);
  const [row] = await em.execute<{ value: Partial<PoolSettingsValues> }[]>('SELECT value FROM app_setting WHERE key = ? FOR UPDATE', [SETTINGS_KEY]);
  return { ...DEFAULT_POOL_SETTINGS, ...(row?.value ?? {}) };
}

export async function savePoolSettings(em: EntityManager, values: PoolSettingsValues): Promise<void> {
  await em.execute('UPDATE app_setting SET value = ?::jsonb, updated_at = now() WHERE key = ?', [JSON.stringify(values), SETTINGS_KEY]);
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// Read once per EntityManager: a request's (or a transaction's) own view of the setting.
const zones = new WeakMap<object, Promise<string>>();

/** The company time zone as configured, read once per request or transaction. */
export function companyTimeZone(em: EntityManager): Promise<string> {
  let zone = zones.get(em);
  if (!zone) {
    zone = loadPoolSettings(em).then((s) => s.timeZone);
    zones.set(em, zone);
  }
  return zone;
}

/** Today in the configured company time zone. */
export async function companyTodayFor(em: EntityManager, now: Date = new Date()): Promise<string> {
  return companyToday(now, await companyTimeZone(em));
}
