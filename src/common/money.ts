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

// The decimal texts of a page (amounts, quantities, rates: thousands of them) are read by
// character codes: most are PostgreSQL's numeric text already in the form the API writes, and come
// back as they are, without a match array or a new string.

const [MINUS, POINT, ZERO_CODE, NINE_CODE] = [45, 46, 48, 57];

const isDigit = (code: number) => code >= ZERO_CODE && code <= NINE_CODE;

/**
 * A plain decimal as PostgreSQL writes numeric values, `-?\d+(\.\d+)?`: where its point is (its
 * length when it has none); -1 for any other text.
 */
function plainPoint(text: string): number {
  let i = text.charCodeAt(0) === MINUS ? 1 : 0;
  const first = i;
  while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  if (i === first) return -1;
  if (i === text.length) return i;
  if (text.charCodeAt(i) !== POINT) return -1;
  const point = i++;
  const fraction = i;
  while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  return i === text.length && i > fraction ? point : -1;
}

/** "-0.00" and the like, which decimal.js writes without the sign. */
function isNegativeZero(text: string): boolean {
  if (text.charCodeAt(0) !== MINUS) return false;
  for (let i = 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > ZERO_CODE && code <= NINE_CODE) return false;
  }
  return true;
}

/** The integer part of a plain decimal (before `point`) without leading zeros ("007" → "7"). */
function wholePart(text: string, point: number): string {
  const first = text.charCodeAt(0) === MINUS ? 1 : 0;
  let i = first;
  while (i < point - 1 && text.charCodeAt(i) === ZERO_CODE) i++;
  return i === first ? text.slice(0, point) : `${first ? '-' : ''}${text.slice(i, point)}`;
}

/** `text` with its fraction (from `from` to `end`) padded to `scale` digits, after its whole part. */
function withFraction(text: string, point: number, from: number, end: number, scale: number): string {
  const whole = wholePart(text, point);
  // Unchanged: the text itself.
  if (end === text.length && end - from >= scale && whole.length === point) return end === from ? whole : text;
  const fraction = text.slice(from, end).padEnd(scale, '0');
  return fraction ? `${whole}.${fraction}` : whole;
}

/** "1234.5" → "1234.50": the API's money form, always two decimals. */
export function formatMoney(value: Dec | string): string {
  // Most values (PostgreSQL's numeric(18,2) text) need no arithmetic: pad the fraction.
  if (typeof value === 'string') {
    const point = plainPoint(value);
    const from = Math.min(point + 1, value.length);
    if (point >= 0 && value.length - from <= MONEY_SCALE && !isNegativeZero(value)) return withFraction(value, point, from, value.length, MONEY_SCALE);
  }
  return toCents(new Dec(value)).toFixed(MONEY_SCALE);
}

/**
 * The canonical text of a decimal: trailing zeros dropped down to `minScale` digits
 * ("3.0000" → "3", "19.9900" → "19.99" with minScale 2, "0.1500" → "0.15").
 */
export function trimDecimal(value: string, minScale = 0): string {
  const point = plainPoint(value);
  // Plain text without a negative zero (decimal.js writes "-0" as "0"): trim the fraction's zeros.
  if (point >= 0 && !isNegativeZero(value)) {
    const from = Math.min(point + 1, value.length);
    let end = value.length;
    while (end - from > minScale && value.charCodeAt(end - 1) === ZERO_CODE) end--;
    return withFraction(value, point, from, end, minScale);
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
