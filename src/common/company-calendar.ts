
// The company's calendar: quote and contract numbers restart each year, receivables become overdue
// and claims count per day by the date in the company's time zone (an admin setting, default
// Asia/Shanghai), not the server's or the client's. The setting is read in pool-rules/pool-settings.ts
// (companyTimeZone); these functions take it.

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

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
