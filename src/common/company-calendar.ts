// The company's calendar: quote and contract numbers restart each year, and receivables become
// overdue, by the date in the company's time zone, not the server's or the client's.

export const COMPANY_TIME_ZONE = 'Asia/Shanghai';

const formatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: COMPANY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today in the company's time zone, YYYY-MM-DD. */
export function companyToday(now: Date = new Date()): string {
  const parts = Object.fromEntries(formatter.formatToParts(now).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The current year in the company's time zone. */
export function companyYear(now: Date = new Date()): number {
  return Number(companyToday(now).slice(0, 4));
}
