import { describe, expect, it } from 'vitest';
import { Dec, formatMoney, toCents, trimDecimal } from '../src/common/money.js';
import { base64url } from '../src/common/base64url.js';
import { fromGlobalId, toGlobalId } from '../src/common/ids.js';
import { isoString } from '../src/common/scalars.js';
import { numberedPlaceholders } from '../src/db/orm.js';

// The fast text forms of the read path give exactly what the general ones give.

describe('isoString', () => {
  it('equals Date#toISOString', () => {
    const edges = [
      0, -1, 1, 86_399_999, 86_400_000, -86_400_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2100, 1, 28),
      Date.UTC(2000, 1, 29), Date.UTC(1900, 2, 1), Date.UTC(1970, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      -62_167_219_200_000, -62_167_219_200_001, 253_402_300_800_000, 8.64e15, -8.64e15,
    ];
    const random = Array.from({ length: 20_000 }, () => Math.floor((Math.random() - 0.3) * 1e13));
    for (const ms of [...edges, ...random]) expect(isoString(ms), String(ms)).toBe(new Date(ms).toISOString());
  });
});

describe('decimal text', () => {
  const reference = {
    trim: (v: string, minScale: number) => {
      const d = new Dec(v);
      return d.toFixed(Math.max(minScale, d.decimalPlaces()));
    },
    money: (v: string) => toCents(new Dec(v)).toFixed(2),
  };
  const samples = ['0', '0.00', '1234.50', '1234.5', '3.0000', '19.9900', '0.1500', '-0.10', '-0.00', '-0', '007.10', '1.005', '10', '-12.3400', '0.0035', '99999999999999.9999', '100', '0.0000', '-1', '12.345678'];
  const random = Array.from({ length: 5000 }, () => {
    const sign = Math.random() < 0.3 ? '-' : '';
    const whole = String(Math.floor(Math.random() * 10 ** Math.floor(Math.random() * 12)));
    const fraction = Math.random() < 0.8 ? `.${String(Math.floor(Math.random() * 10_000)).padStart(1 + Math.floor(Math.random() * 5), '0')}` : '';
    return `${sign}${whole}${fraction}`;
  });

  it('trimDecimal equals decimal.js', () => {
    for (const v of [...samples, ...random]) for (const scale of [0, 2, 4]) expect(trimDecimal(v, scale), `${v} ${scale}`).toBe(reference.trim(v, scale));
  });

  it('formatMoney equals decimal.js', () => {
    for (const v of [...samples, ...random]) expect(formatMoney(v), v).toBe(reference.money(v));
  });
});

describe('read statements', () => {
  it('number the ? placeholders and leave quoted text and identifiers alone', () => {
    expect(numberedPlaceholders(`SELECT ? AS a, '?' AS "b?", 'it''s ?' AS c WHERE x = ?::bigint AND y = ANY(?::text[])`)).toBe(
      `SELECT $1 AS a, '?' AS "b?", 'it''s ?' AS c WHERE x = $2::bigint AND y = ANY($3::text[])`,
    );
  });
});

describe('base64url', () => {
  it('equals Buffer#toString("base64url") of the UTF-8 bytes', () => {
    for (const text of ['', 'a', 'ab', 'abc', '["customers:ALL:NAME.ASC","华为","123"]', 'x'.repeat(255), 'x'.repeat(256), 'y'.repeat(257), '\u0000\u007f']) {
      expect(base64url(text)).toBe(Buffer.from(text, 'utf8').toString('base64url'));
    }
  });
});

describe('toGlobalId', () => {
  it('equals base64url of "Type:id" for every length', () => {
    const types = ['User', 'Customer', 'Contact', 'ContactRelation', 'Interaction', 'QuoteItem', 'DocumentAccess'] as const;
    for (const type of types) {
      for (const id of ['1', '12', '123', '9007199254740993', ...Array.from({ length: 200 }, (_, i) => String(i * 7919 + 1))]) {
        expect(toGlobalId(type, id)).toBe(Buffer.from(`${type}:${id}`).toString('base64url'));
        expect(fromGlobalId(type, toGlobalId(type, id))).toBe(id);
      }
    }
  });
});
