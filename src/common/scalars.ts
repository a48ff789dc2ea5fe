import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

/**
 * graphql-scalars' DateTime (the same parsing and validation), serialised to its ISO 8601 string
 * right away: its own serialize returns the Date, which JSON.stringify then converts one by one
 * through Date#toJSON, the slow path of serialising a response. The text is the same.
 */
export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  serialize: (value) => {
    const date = DateTimeResolver.serialize(value) as Date | string;
    return date instanceof Date ? date.toISOString() : date;
  },
});

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(value: unknown): string {
  if (typeof value !== 'string') throw new GraphQLError('Date must be a string YYYY-MM-DD');
  const match = DATE_RE.exec(value);
  const date = match ? new Date(Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!)) : undefined;
  if (!date || date.toISOString().slice(0, 10) !== value) {
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
