import { Type } from '@mikro-orm/core';
import { trimDecimal } from './money.js';

/**
 * A PostgreSQL `numeric(precision, scale)` column kept as a string in JS. MikroORM's own
 * DecimalType compares values as floats for change detection; this one compares the exact text,
 * so no value ever passes through a JS number. Values read from the database are shown with
 * trailing zeros dropped down to `displayScale` digits ("3.0000" → "3", "19.9900" → "19.99").
 */
export class ExactDecimalType extends Type<string, string> {
  constructor(
    readonly precision: number,
    readonly scale: number,
    readonly displayScale: number = scale,
  ) {
    super();
  }

  override convertToDatabaseValue(value: string): string {
    return value;
  }

  override convertToJSValue(value: string): string {
    return value === null || value === undefined ? value : trimDecimal(String(value), this.displayScale);
  }

  override compareAsType(): string {
    return 'string';
  }

  override getColumnType(): string {
    return `numeric(${this.precision},${this.scale})`;
  }
}

/** numeric(18,2): money, always shown with two decimals. */
export const moneyColumn = () => new ExactDecimalType(18, 2, 2);
