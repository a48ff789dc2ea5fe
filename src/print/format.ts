import { Dec, formatMoney, trimDecimal } from '../common/money.js';

// How values read on paper and in a spreadsheet: times in the company's time zone, money with its
// currency and thousands separators. Decimals stay strings end to end (decimal.js, never a float).

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** `YYYY-MM-DD HH:mm` in `timeZone`; empty for no time. */
export function formatTime(value: Date | null | undefined, timeZone: string): string {
  if (!value) return '';
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(value).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** "-1234567.5" → "-1,234,567.5": separators in the integer part of a decimal string. */
export function groupDigits(decimal: string): string {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(decimal);
  if (!match) return decimal;
  const [, sign, integer, fraction = ''] = match;
  return `${sign}${integer!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`;
}

/** "CNY 1,234,567.50". */
export function formatAmount(amount: string, currency: string): string {
  return `${currency} ${groupDigits(formatMoney(amount))}`;
}

/** A quantity without trailing zeros: "2.5000" → "2.5", "12000" → "12,000". */
export function formatQuantity(value: string): string {
  return groupDigits(trimDecimal(value));
}

/** A unit price with at least cents: "19.9900" → "19.99", "0.0035" stays. */
export function formatUnitPrice(value: string, currency: string): string {
  return `${currency} ${groupDigits(trimDecimal(value, 2))}`;
}

/** A discount fraction as a percentage: "0.1500" → "15%", "0" → "". */
export function formatDiscount(value: string): string {
  const percent = new Dec(value).mul(100);
  return percent.isZero() ? '' : `${trimDecimal(percent.toFixed())}%`;
}

/** A file size for people: "512 B", "12.5 KB", "3.2 MB". */
export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = new Dec(size).div(1024);
  let unit = 0;
  while (value.gte(1024) && unit < units.length - 1) {
    value = value.div(1024);
    unit++;
  }
  return `${value.toDecimalPlaces(1).toFixed(1)} ${units[unit]}`;
}
