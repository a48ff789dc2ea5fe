import { describe, expect, it } from 'vitest';
import { Dec, formatMoney, toCents, trimDecimal } from '../src/common/money.js';
import { base64url } from '../src/common/base64url.js';
import { decodeGlobalId, fromGlobalId, toGlobalId, type NodeTypeName } from '../src/common/ids.js';
import { DateScalar, isoString } from '../src/common/scalars.js';
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

describe('Date', () => {
  it('accepts exactly the real days written YYYY-MM-DD, on the way in and out', () => {
    const leap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
    const reference = (text: string) => {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      if (!match) return false;
      const [year, month, day] = [+match[1]!, +match[2]!, +match[3]!];
      const days = [31, leap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
      return year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= days[month - 1]!;
    };
    const texts = [
      '2024-02-29', '2023-02-29', '2100-02-29', '2000-02-29', '0100-01-01', '0099-12-31', '9999-12-31', '2024-00-10', '2024-13-01',
      '2024-04-31', '2024-04-30', '2024-1-01', '2024-01-1', '2024/01/01', ' 2024-01-01', '2024-01-01 ', '2024-01-01T00:00', '२०२४-०१-०१',
      '2024-0a-01', '+024-01-01', '-024-01-01', '2024--1-01', '', '20240101', '2024-01-0\u0000',
    ];
    let seed = 11;
    const next = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    for (let k = 0; k < 3000; k++) {
      const pad = (v: number, width: number) => String(v).padStart(width, '0');
      texts.push(`${pad(next(10_000), 4)}-${pad(next(14), 2)}-${pad(next(33), 2)}`);
    }
    for (const text of texts) {
      const accepts = (read: (v: string) => unknown) => {
        try {
          return read(text) === text;
        } catch {
          return false;
        }
      };
      expect(accepts((v) => DateScalar.parseValue(v)), text).toBe(reference(text));
      expect(accepts((v) => DateScalar.serialize(v)), text).toBe(reference(text));
    }
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
  const samples = ['0', '0.00', '1234.50', '1234.5', '3.0000', '19.9900', '0.1500', '-0.10', '-0.00', '-0', '007.10', '1.005', '10', '-12.3400', '0.0035', '99999999999999.9999', '100', '0.0000', '-1', '12.345678', '00', '-007.10', '0.000', '-00012.3400', '10.0', '1000000.00', '5', '-5.5'];
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

const TYPES: NodeTypeName[] = [
  'User', 'Customer', 'OwnershipEvent', 'Contact', 'ContactRelation', 'Interaction', 'Quote', 'QuoteItem',
  'Contract', 'Receivable', 'Receipt', 'Attachment', 'DocumentAccess', 'Notification', 'ApiKey',
];

const reference = (type: string, id: string | number) => Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');

describe('toGlobalId', () => {
  it('are base64url of "Type:id" for every type and every length of id', () => {
    const ids = ['1', '12', '123', '1234', '99999', '100000', '4294967296', '9007199254740993', '123456789012345678'];
    for (let digits = 1; digits <= 18; digits++) ids.push('9'.repeat(digits), `1${'0'.repeat(digits - 1)}`);
    for (const type of TYPES) {
      for (const id of ids) {
        expect(toGlobalId(type, id)).toBe(reference(type, id));
        expect(fromGlobalId(type, toGlobalId(type, id))).toBe(id);
      }
    }
  });

  it('take numbers as their decimal text', () => {
    for (const type of TYPES) for (const id of [1, 42, 1000, 2 ** 40]) expect(toGlobalId(type, id)).toBe(reference(type, id));
  });

  it('agree with the reference over many random ids', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let k = 0; k < 5000; k++) {
      const type = TYPES[next() % TYPES.length]!;
      const id = String(next() * 1000 + (next() % 1000));
      expect(toGlobalId(type, id)).toBe(reference(type, id));
    }
  });

  it('encode any other text the general way, with the same result', () => {
    for (const id of ['9'.repeat(19), '', 'abc', '华为', '😀', 'x'.repeat(100), '1'.repeat(41), 'a\u007fb', '\u0080']) {
      expect(toGlobalId('Customer', id)).toBe(reference('Customer', id));
    }
    // Nothing but a well-formed id decodes.
    expect(decodeGlobalId(toGlobalId('Customer', '华为'))).toBeUndefined();
    expect(decodeGlobalId(toGlobalId('Customer', '0'))).toBeUndefined();
  });
});
