import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

const ZERO = 48;
const [DASH, T, COLON, DOT, Z] = [45, 84, 58, 46, 90];

/**
 * `new Date(ms).toISOString()`, several times faster (a response holds thousands of timestamps):
 * the civil date from the day number (Howard Hinnant's algorithm), then fixed-width fields written
 * as character codes into one flat string (no intermediate strings for the collector). Years
 * outside 0000-9999 take toISOString's own (extended) form.
 */
export function isoString(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return new Date(ms).toISOString();
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return String.fromCharCode(
    ZERO + Math.floor(year / 1000), ZERO + (Math.floor(year / 100) % 10), ZERO + (Math.floor(year / 10) % 10), ZERO + (year % 10), DASH,
    ZERO + Math.floor(month / 10), ZERO + (month % 10), DASH,
    ZERO + Math.floor(day / 10), ZERO + (day % 10), T,
    ZERO + Math.floor(hours / 10), ZERO + (hours % 10), COLON,
    ZERO + Math.floor(minutes / 10), ZERO + (minutes % 10), COLON,
    ZERO + Math.floor(seconds / 10), ZERO + (seconds % 10), DOT,
    ZERO + Math.floor(millis / 100), ZERO + (Math.floor(millis / 10) % 10), ZERO + (millis % 10), Z,
  );
}

/** The instants PostgreSQL takes as ISO 8601 text: the years 0001 to 9999, in UTC. */
const FIRST_INSTANT = new Date(0).setUTCFullYear(1, 0, 1);
const LAST_INSTANT = new Date(0).setUTCFullYear(9999, 11, 31) + 86_399_999;

/** A DateTime's value, when the database can store it; refused (as invalid input) otherwise. */
function storableInstant(value: unknown): Date {
  const date = value as Date;
  const ms = date.getTime();
  if (!(ms >= FIRST_INSTANT && ms <= LAST_INSTANT)) {
    throw new GraphQLError(`DateTime must lie in the years 0001 to 9999 (UTC), not ${Number.isNaN(ms) ? 'an invalid date' : isoString(ms)}`);
  }
  return date;
}

const dateTimeConfig = DateTimeResolver.toConfig();

/**
 * graphql-scalars' DateTime (the same parsing and validation, limited to the instants the
 * database stores), serialised to its ISO 8601 string right away: its own serialize returns the
 * Date, which JSON.stringify then converts one by one through Date#toJSON, the slow path of
 * serialising a response. The text is the same.
 */
export const DateTimeScalar = new GraphQLScalarType({
  ...dateTimeConfig,
  parseValue: (value) => storableInstant(dateTimeConfig.parseValue!(value)),
  parseLiteral: (ast, variables) => storableInstant(dateTimeConfig.parseLiteral!(ast, variables)),
  serialize: (value) => {
    if (value instanceof Date) {
      const ms = value.getTime();
      if (!Number.isNaN(ms)) return isoString(ms);
    }
    const date = DateTimeResolver.serialize(value) as Date | string;
    return date instanceof Date ? date.toISOString() : date;
  },
});

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A real day of the years 100 to 9999 (two-digit years are refused, not taken for 19xx). */
function isCalendarDate(year: number, month: number, day: number): boolean {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/** The number the ASCII digits of `text` from `start` to `end` write; NaN at any other character. */
function digitsAt(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (!(digit >= 0 && digit <= 9)) return Number.NaN;
    n = n * 10 + digit;
  }
  return n;
}

/**
 * YYYY-MM-DD naming a real day, read by character codes (every Date of a response passes here):
 * what `/^(\d{4})-(\d{2})-(\d{2})$/` and isCalendarDate accept.
 */
function isDateText(text: string): boolean {
  return (
    text.length === 10 &&
    text.charCodeAt(4) === DASH &&
    text.charCodeAt(7) === DASH &&
    isCalendarDate(digitsAt(text, 0, 4), digitsAt(text, 5, 7), digitsAt(text, 8, 10))
  );
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string') throw new GraphQLError('Date must be a string YYYY-MM-DD');
  if (!isDateText(value)) {
    throw new GraphQLError(`Invalid Date "${value}": expected a calendar date YYYY-MM-DD`);
  }
  return value;
}

/** A calendar date without time or zone, kept as the string YYYY-MM-DD end to end. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD.',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : parseDate(value)),
  parseValue: parseDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Date must be a string YYYY-MM-DD');
    return parseDate(ast.value);
  },
});

const DECIMAL_RE = /^-?(0|[1-9]\d{0,15})(\.\d{1,6})?$/;

function parseDecimal(value: unknown): string {
  if (typeof value !== 'string' || !DECIMAL_RE.test(value)) {
    throw new GraphQLError(
      `Invalid Decimal ${JSON.stringify(value)}: expected a string such as "1234.50" (up to 16 integer and 6 fraction digits)`,
    );
  }
  return value;
}

/** An exact decimal number as a string ("1234.50"). Money is never a Float. */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number as a string, such as "1234.50". Never a float.',
  serialize: (value) => {
    if (typeof value === 'string') return value;
    throw new GraphQLError('Decimal values must be strings internally');
  },
  parseValue: parseDecimal,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Decimal must be a string such as "1234.50"');
    return parseDecimal(ast.value);
  },
});
