import { companyToday } from '../../common/company-calendar.js';

// Demo dates are relative to the day the demo is built, in the company's time zone, at fixed
// times of day: two builds on the same day write the same dates.

const DAY_MS = 86_400_000;
// DEFAULT_TIME_ZONE (the demo keeps the default setting), Asia/Shanghai: UTC+8 all year.
const UTC_OFFSET = '+08:00';

export interface DemoCalendar {
  /** Today in the company time zone, YYYY-MM-DD. */
  today: string;
  /** The date `offset` days from today (negative: in the past), YYYY-MM-DD. */
  day(offset: number): string;
  /** The instant at hour:minute on the day `offset` days from today, company time. */
  at(offset: number, hour: number, minute?: number): Date;
  /** Days from `date` (YYYY-MM-DD) to today: positive for past dates. */
  daysAgo(date: string): number;
}

export function demoCalendar(now: Date): DemoCalendar {
  const today = companyToday(now);
  const midnight = Date.parse(`${today}T00:00:00${UTC_OFFSET}`);
  const noonUtc = Date.parse(`${today}T12:00:00Z`);
  return {
    today,
    day: (offset) => new Date(noonUtc + offset * DAY_MS).toISOString().slice(0, 10),
    at: (offset, hour, minute = 0) => new Date(midnight + offset * DAY_MS + (hour * 60 + minute) * 60_000),
    daysAgo: (date) => Math.round((noonUtc - Date.parse(`${date}T12:00:00Z`)) / DAY_MS),
  };
}

/** `date` plus `days`, YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
