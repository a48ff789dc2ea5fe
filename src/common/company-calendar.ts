import type { EntityManager } from '@mikro-orm/postgresql';
import { DEFAULT_POOL_SETTINGS, loadPoolSettings } from '../pool-rules/pool-settings.js';

// The company's calendar: quote and contract numbers restart each year, receivables become overdue
// and claims count per day by the date in the company's time zone (an admin setting, default
// Asia/Shanghai), not the server's or the client's.

export const DEFAULT_TIME_ZONE = DEFAULT_POOL_SETTINGS.timeZone;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The date in `timeZone` at `now`, YYYY-MM-DD. */
export function companyToday(now: Date = new Date(), timeZone: string = DEFAULT_TIME_ZONE): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(now).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The year in `timeZone` at `now`. */
export function companyYear(now: Date = new Date(), timeZone: string = DEFAULT_TIME_ZONE): number {
  return Number(companyToday(now, timeZone).slice(0, 4));
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
