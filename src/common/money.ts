import { Decimal } from 'decimal.js';
import { validationFailed } from './errors.js';
import { cleanText } from './text.js';
import { M } from './messages.js';

// Exact decimal arithmetic for money, quantities and discounts. Values travel as strings (the
// `Decimal` scalar, PostgreSQL `numeric`), and every computation goes through decimal.js with
// enough precision that products of the largest inputs are exact before the final rounding.
// Nothing here ever turns a value into a JS number.

/** decimal.js configured for money: 60 significant digits, half-up rounding (四舍五入). */
export const Dec = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -60, toExpPos: 60 });
export type Dec = Decimal;

/** Money columns are numeric(18,2): 16 integer digits, cents. */
export const MONEY_SCALE = 2;
export const MAX_MONEY = new Dec('9999999999999999.99');

/** What a decimal input may look like (the Decimal scalar checks the syntax; this the range). */
export interface DecimalRule {
  /** Most digits after the point. */
  scale: number;
  /** Largest value allowed (inclusive). */
  max: Dec;
  /** Smallest value allowed. */
  min: Dec;
  /** Whether `min` itself is allowed. */
  minInclusive: boolean;
}

export const RULES = {
  /** A money amount that must be positive (receipts, receivables). */
  positiveMoney: { scale: 2, max: MAX_MONEY, min: new Dec(0), minInclusive: false },
  /** A money amount that may be zero (a contract amount). */
  money: { scale: 2, max: MAX_MONEY, min: new Dec(0), minInclusive: true },
  /** numeric(18,4): unit prices of cheap goods need more than cents (e.g. 0.0035 per screw). */
  unitPrice: { scale: 4, max: new Dec('99999999999999.9999'), min: new Dec(0), minInclusive: true },
  /** numeric(18,4), positive. */
  quantity: { scale: 4, max: new Dec('99999999999999.9999'), min: new Dec(0), minInclusive: false },
  /** numeric(5,4): a fraction of the price taken off, 0 (none) to 1 (free). */
  discount: { scale: 4, max: new Dec(1), min: new Dec(0), minInclusive: true },
} as const satisfies Record<string, DecimalRule>;

/**
 * Parses a decimal string and checks it against `rule`; VALIDATION_FAILED on `field` otherwise.
 * The Decimal scalar already guarantees the syntax, so anything unparseable here is a bug upstream.
 */
export function parseDecimal(value: string, rule: DecimalRule, field: string[], label = field.at(-1) ?? 'value'): Dec {
  let parsed: Dec;
  try {
    parsed = new Dec(value);
  } catch {
    throw validationFailed(field, M.notDecimal({ field: label }));
  }
  if (!parsed.isFinite()) throw validationFailed(field, M.notFinite({ field: label }));
  if (parsed.decimalPlaces() > rule.scale) {
    throw validationFailed(field, M.tooManyDecimals({ field: label, scale: rule.scale }));
  }
  const tooSmall = rule.minInclusive ? parsed.lt(rule.min) : parsed.lte(rule.min);
  if (tooSmall) {
    throw validationFailed(field, M.numberTooSmall({ field: label, min: rule.min.toFixed(), inclusive: rule.minInclusive }));
  }
  if (parsed.gt(rule.max)) throw validationFailed(field, M.numberTooLarge({ field: label, max: rule.max.toFixed() }));
  return parsed.abs().isZero() ? new Dec(0) : parsed;
}

/** Rounds half-up to cents. */
export function toCents(value: Dec): Dec {
  return value.toDecimalPlaces(MONEY_SCALE, Decimal.ROUND_HALF_UP);
}

/** A plain decimal as PostgreSQL writes numeric values: sign, digits, optional fraction. */
const PLAIN_DECIMAL = /^(-?\d+)(?:\.(\d+))?$/;

/** "-0.00" and the like, which decimal.js writes without the sign. */
const isNegativeZero = (whole: string, text: string) => whole.startsWith('-') && !/[1-9]/.test(text);

/** The integer part without leading zeros ("007" → "7", "-0" stays). */
const wholePart = (whole: string) => whole.replace(/^(-?)0+(?=\d)/, '$1');

/** "1234.5" → "1234.50": the API's money form, always two decimals. */
export function formatMoney(value: Dec | string): string {
  // Most values (PostgreSQL's numeric(18,2) text) need no arithmetic: pad the fraction.
  const plain = typeof value === 'string' ? PLAIN_DECIMAL.exec(value) : null;
  if (plain && (plain[2]?.length ?? 0) <= MONEY_SCALE && !isNegativeZero(plain[1]!, value as string)) {
    return `${wholePart(plain[1]!)}.${(plain[2] ?? '').padEnd(MONEY_SCALE, '0')}`;
  }
  return toCents(new Dec(value)).toFixed(MONEY_SCALE);
}

/**
 * The canonical text of a decimal: trailing zeros dropped down to `minScale` digits
 * ("3.0000" → "3", "19.9900" → "19.99" with minScale 2, "0.1500" → "0.15").
 */
export function trimDecimal(value: string, minScale = 0): string {
  const plain = PLAIN_DECIMAL.exec(value);
  // Plain text without a negative zero (decimal.js writes "-0" as "0"): trim the fraction's zeros.
  if (plain && !isNegativeZero(plain[1]!, value)) {
    let fraction = plain[2] ?? '';
    let end = fraction.length;
    while (end > minScale && fraction.charCodeAt(end - 1) === 48) end--;
    fraction = fraction.slice(0, end).padEnd(minScale, '0');
    const whole = wholePart(plain[1]!);
    return fraction ? `${whole}.${fraction}` : whole;
  }
  const d = new Dec(value);
  return d.toFixed(Math.max(minScale, d.decimalPlaces()));
}

/** A quote line: quantity × unit price × (1 − discount), rounded half-up to cents. */
export function lineTotal(quantity: Dec, unitPrice: Dec, discount: Dec): Dec {
  return toCents(quantity.mul(unitPrice).mul(new Dec(1).minus(discount)));
}

/** Gross amount of a line before its discount, rounded half-up to cents. */
export function lineGross(quantity: Dec, unitPrice: Dec): Dec {
  return toCents(quantity.mul(unitPrice));
}

export function sum(values: readonly Dec[]): Dec {
  return values.reduce((acc, v) => acc.plus(v), new Dec(0));
}

/** ISO 4217 codes the runtime knows (Node's ICU data), e.g. CNY, USD, EUR, HKD. */
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export const DEFAULT_CURRENCY = 'CNY';

/** An ISO 4217 currency code in upper case; VALIDATION_FAILED on `field` otherwise. */
export function parseCurrency(value: string | null | undefined, field: string[]): string {
  if (value === null || value === undefined) return DEFAULT_CURRENCY;
  const code = (cleanText(value) ?? '').toUpperCase();
  if (!/^[A-Z]{3}$/.test(code) || !CURRENCIES.has(code)) {
    throw validationFailed(field, M.badCurrency({ value }));
  }
  return code;
}
