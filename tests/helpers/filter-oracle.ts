import type { CustomerFilter, DateTimeFilter, IdFilter, StringFilter } from '../../sdk/index.js';
import type { Random } from '../../src/db/seed/random.js';
import {
  CONTACT_NAMES,
  CONTACT_PHONES,
  INDUSTRIES,
  LEVELS,
  MOBILES,
  PHONES,
  REGIONS,
  SOURCES,
  type WorldRow,
} from './list-world.js';

// An independent model of CustomerFilter's documented semantics, evaluated in JS over rows read
// straight from the tables, and a generator of random filter trees for the property test.
//
// The semantics, as documented in the schema and api.md:
// - every operator given must hold; `and` all, `or` any (an empty `or` matches nothing), `not`
//   negates, with an unknown (NULL) condition counting as false;
// - eq / neq / in are exact; contains / startsWith ignore case (Latin letters: the database runs
//   under the C locale, so case folding is ASCII); `neq` counts an empty field as not equal;
// - phones are compared by digits ("138-0013 8000" equals "13800138000"; a +86 / 0086 country
//   prefix is dropped and fewer than three digits name no phone); a contact's phone means its
//   mobile or its phone (digits only);
// - phone conditions never match a pool customer for a viewer who sees pool phones masked.

type Ms = number | null;

export interface EvalScope {
  /** The viewer sees pool phones masked (a SALES user). */
  masksPoolPhones: boolean;
}

const lowerAscii = (s: string) => s.replace(/[A-Z]/g, (ch) => ch.toLowerCase());

export function customerPhoneKey(v: string | null | undefined): string | null {
  if (!v) return null;
  let digits = v.normalize('NFKC').replace(/[^0-9]/g, '');
  if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.startsWith('86') && digits.length === 13) digits = digits.slice(2);
  return digits.length >= 3 ? digits : null;
}

const contactDigits = (v: string | null | undefined): string | null => (v ? v.replace(/[^0-9]/g, '') || null : null);

function stringHolds(value: string | null, f: StringFilter, norm: (v: string) => string | null = (v) => v): boolean {
  const checks: boolean[] = [];
  if (f.eq != null) checks.push(value !== null && value === norm(f.eq));
  if (f.neq != null) {
    const n = norm(f.neq);
    checks.push(value === null || n === null || value !== n);
  }
  if (f.in != null) {
    const values = f.in.map(norm);
    checks.push(value !== null && values.includes(value));
  }
  for (const [op, test] of [
    ['contains', (a: string, b: string) => a.includes(b)],
    ['startsWith', (a: string, b: string) => a.startsWith(b)],
  ] as const) {
    const given = f[op];
    if (given == null) continue;
    const n = norm(given);
    checks.push(value !== null && n !== null && test(lowerAscii(value), lowerAscii(n)));
  }
  if (f.is) checks.push(f.is === 'NULL' ? value === null : value !== null);
  return checks.every(Boolean);
}

function dateHolds(value: Ms, f: DateTimeFilter): boolean {
  const t = (v: unknown) => new Date(v as string).getTime();
  const checks: boolean[] = [];
  if (f.eq != null) checks.push(value !== null && value === t(f.eq));
  if (f.gt != null) checks.push(value !== null && value > t(f.gt));
  if (f.gte != null) checks.push(value !== null && value >= t(f.gte));
  if (f.lt != null) checks.push(value !== null && value < t(f.lt));
  if (f.lte != null) checks.push(value !== null && value <= t(f.lte));
  if (f.is) checks.push(f.is === 'NULL' ? value === null : value !== null);
  return checks.every(Boolean);
}

function idHolds(value: string | null, f: IdFilter): boolean {
  const checks: boolean[] = [];
  if (f.eq != null) checks.push(value !== null && value === f.eq);
  if (f.in != null) checks.push(value !== null && (f.in as string[]).includes(value));
  if (f.is) checks.push(f.is === 'NULL' ? value === null : value !== null);
  return checks.every(Boolean);
}

function enumHolds(value: string | null, f: { eq?: string | null; in?: string[] | null; is?: string | null }): boolean {
  const checks: boolean[] = [];
  if (f.eq != null) checks.push(value === f.eq);
  if (f.in != null) checks.push(value !== null && f.in.includes(value));
  if (f.is) checks.push(f.is === 'NULL' ? value === null : value !== null);
  return checks.every(Boolean);
}

function sharedWithHolds(shares: string[], f: IdFilter): boolean {
  const checks: boolean[] = [];
  if (f.eq != null || f.in != null) {
    checks.push(shares.some((u) => (f.eq == null || u === f.eq) && (f.in == null || (f.in as string[]).includes(u))));
  }
  if (f.is) checks.push(f.is === 'NULL' ? shares.length === 0 : shares.length > 0);
  return checks.every(Boolean);
}

/** Whether `row` matches `f` for a viewer in `scope`. */
export function holds(row: WorldRow, f: CustomerFilter, scope: EvalScope): boolean {
  const phoneHidden = scope.masksPoolPhones && row.status === 'IN_POOL';
  const checks: boolean[] = [];
  if (f.name) checks.push(stringHolds(row.name, f.name));
  if (f.phone) checks.push(!phoneHidden && stringHolds(customerPhoneKey(row.phone), f.phone, customerPhoneKey));
  if (f.status) checks.push(enumHolds(row.status, f.status));
  if (f.owner) checks.push(idHolds(row.ownerId, f.owner));
  if (f.createdBy) checks.push(idHolds(row.createdById, f.createdBy));
  if (f.industry) checks.push(stringHolds(row.industry, f.industry));
  if (f.level) checks.push(enumHolds(row.level, f.level));
  if (f.source) checks.push(stringHolds(row.source, f.source));
  if (f.region) checks.push(stringHolds(row.region, f.region));
  if (f.createdAt) checks.push(dateHolds(row.createdAt, f.createdAt));
  if (f.updatedAt) checks.push(dateHolds(row.updatedAt, f.updatedAt));
  if (f.claimedAt) checks.push(dateHolds(row.claimedAt, f.claimedAt));
  if (f.lastInteractionAt) checks.push(dateHolds(row.lastInteractionAt, f.lastInteractionAt));
  if (f.nextFollowUpAt) checks.push(dateHolds(row.nextFollowUpAt, f.nextFollowUpAt));
  if (f.returnsToPoolAt) checks.push(dateHolds(row.returnsToPoolAt, f.returnsToPoolAt));
  if (f.sharedWith) checks.push(sharedWithHolds(row.shares, f.sharedWith));
  if (f.hasContact) {
    const { name, phone } = f.hasContact;
    checks.push(
      !(phone && phoneHidden) &&
        row.contacts.some(
          (ct) =>
            (!name || stringHolds(ct.name, name)) &&
            (!phone || [ct.mobile, ct.phone].some((n) => stringHolds(contactDigits(n), phone, contactDigits))),
        ),
    );
  }
  const list = (v: CustomerFilter | CustomerFilter[] | null | undefined) => (v ? (Array.isArray(v) ? v : [v]) : []);
  if (f.and) checks.push(list(f.and).every((g) => holds(row, g, scope)));
  if (f.or) checks.push(list(f.or).some((g) => holds(row, g, scope)));
  if (f.not) checks.push(!holds(row, f.not as CustomerFilter, scope));
  return checks.every(Boolean);
}

// ---- random filters ----

export interface Universe {
  rows: WorldRow[];
  userIds: string[];
  instants: number[];
}

function substring(rnd: Random, s: string): string {
  const chars = [...s];
  const len = rnd.int(1, Math.min(3, chars.length));
  const start = rnd.int(0, chars.length - len);
  return chars.slice(start, start + len).join('');
}

function recase(rnd: Random, s: string): string {
  return rnd.chance(0.5) ? s : rnd.chance(0.5) ? s.toUpperCase() : s.toLowerCase();
}

function stringFilter(rnd: Random, values: (string | null)[], extra: string[] = []): StringFilter {
  const present = values.filter((v): v is string => v !== null);
  const some = () => (rnd.chance(0.85) && present.length ? rnd.pick(present) : rnd.pick([...extra, 'nothing-like-this']));
  const f: StringFilter = {};
  const ops = rnd.int(1, rnd.chance(0.2) ? 2 : 1);
  for (let i = 0; i < ops; i++) {
    switch (rnd.pick(['eq', 'neq', 'in', 'contains', 'startsWith', 'is'] as const)) {
      case 'eq':
        f.eq = rnd.chance(0.15) ? recase(rnd, some()) : some();
        break;
      case 'neq':
        f.neq = some();
        break;
      case 'in':
        f.in = Array.from({ length: rnd.int(0, 3) }, some);
        break;
      case 'contains':
        f.contains = recase(rnd, substring(rnd, some()));
        break;
      case 'startsWith':
        f.startsWith = recase(rnd, [...some()].slice(0, rnd.int(1, 3)).join(''));
        break;
      case 'is':
        f.is = rnd.pick(['NULL', 'NOT_NULL'] as const);
        break;
    }
  }
  return f;
}

function phoneFilter(rnd: Random, values: (string | null)[]): StringFilter {
  const present = values.filter((v): v is string => v !== null);
  const digits = () => rnd.pick(present).replace(/\D/g, '');
  const f: StringFilter = {};
  switch (rnd.pick(['eq', 'neq', 'in', 'contains', 'startsWith', 'is', 'short'] as const)) {
    case 'eq':
      f.eq = rnd.pick(present);
      break;
    case 'neq':
      f.neq = rnd.pick(present);
      break;
    case 'in':
      f.in = Array.from({ length: rnd.int(0, 2) }, () => rnd.pick(present));
      break;
    case 'contains': {
      const d = digits();
      const start = rnd.int(0, d.length - 3);
      f.contains = d.slice(start, start + rnd.int(3, 5));
      break;
    }
    case 'startsWith':
      f.startsWith = digits().slice(0, rnd.int(3, 6));
      break;
    case 'is':
      f.is = rnd.pick(['NULL', 'NOT_NULL'] as const);
      break;
    case 'short':
      // fewer than three digits, or none: names no phone
      f[rnd.pick(['eq', 'neq', 'contains'] as const)] = rnd.pick(['12', 'abc', '8']);
      break;
  }
  return f;
}

function dateFilter(rnd: Random, instants: number[]): DateTimeFilter {
  if (rnd.chance(0.15)) return { is: rnd.pick(['NULL', 'NOT_NULL'] as const) };
  const at = () => new Date(rnd.pick(instants) + rnd.pick([0, 0, 0, -1, 1, 40 * 86_400_000, 30 * 86_400_000])).toISOString();
  const f: DateTimeFilter = {};
  for (let i = rnd.int(1, 2); i > 0; i--) f[rnd.pick(['eq', 'gt', 'gte', 'lt', 'lte'] as const)] = at();
  return f;
}

function idFilter(rnd: Random, ids: string[], nullable: boolean): IdFilter {
  const kind = rnd.pick(nullable ? (['eq', 'in', 'is'] as const) : (['eq', 'in'] as const));
  if (kind === 'eq') return { eq: rnd.pick(ids) };
  if (kind === 'in') return { in: Array.from({ length: rnd.int(0, 3) }, () => rnd.pick(ids)) };
  return { is: rnd.pick(['NULL', 'NOT_NULL'] as const) };
}

function leaf(rnd: Random, u: Universe): CustomerFilter {
  const r = u.rows;
  switch (rnd.int(0, 17)) {
    case 0:
    case 1:
      return { name: stringFilter(rnd, r.map((x) => x.name), ['%', '_', 'ACME']) };
    case 2:
      return { phone: phoneFilter(rnd, PHONES) };
    case 3:
      return rnd.chance(0.5)
        ? { status: { eq: rnd.pick(['IN_POOL', 'OWNED', 'ARCHIVED'] as const) } }
        : { status: { in: Array.from({ length: rnd.int(0, 2) }, () => rnd.pick(['IN_POOL', 'OWNED', 'ARCHIVED'] as const)) } };
    case 4:
      return { owner: idFilter(rnd, u.userIds, true) };
    case 5:
      return { createdBy: idFilter(rnd, u.userIds, false) };
    case 6:
      return { industry: stringFilter(rnd, INDUSTRIES) };
    case 7: {
      const levels = LEVELS.filter((l) => l !== null);
      const k = rnd.int(0, 2);
      return { level: k === 0 ? { eq: rnd.pick(levels) } : k === 1 ? { in: [rnd.pick(levels), rnd.pick(levels)] } : { is: rnd.pick(['NULL', 'NOT_NULL'] as const) } };
    }
    case 8:
      return { source: stringFilter(rnd, SOURCES) };
    case 9:
      return { region: stringFilter(rnd, REGIONS) };
    case 10:
      return { createdAt: dateFilter(rnd, u.instants) };
    case 11:
      return { updatedAt: dateFilter(rnd, u.instants) };
    case 12:
      return { claimedAt: dateFilter(rnd, u.instants) };
    case 13:
      return { lastInteractionAt: dateFilter(rnd, u.instants) };
    case 14:
      return { nextFollowUpAt: dateFilter(rnd, u.instants) };
    case 15:
      return { returnsToPoolAt: dateFilter(rnd, u.instants) };
    case 16:
      return { sharedWith: idFilter(rnd, u.userIds, true) };
    default: {
      const hasContact: CustomerFilter['hasContact'] = {};
      if (rnd.chance(0.6)) hasContact.name = stringFilter(rnd, CONTACT_NAMES);
      if (rnd.chance(0.5)) hasContact.phone = phoneFilter(rnd, [...MOBILES, ...CONTACT_PHONES]);
      return { hasContact };
    }
  }
}

/** A random filter tree at most `depth` levels of and / or / not deep. */
export function randomFilter(rnd: Random, u: Universe, depth = 3): CustomerFilter {
  if (depth === 0 || rnd.chance(0.35)) {
    const f = leaf(rnd, u);
    return rnd.chance(0.2) ? { ...leaf(rnd, u), ...f } : f;
  }
  const children = () => Array.from({ length: rnd.int(0, 3) }, () => randomFilter(rnd, u, depth - 1));
  switch (rnd.int(0, 3)) {
    case 0:
      return { and: children() };
    case 1:
      return { or: children() };
    case 2:
      return { not: randomFilter(rnd, u, depth - 1) };
    default:
      // fields next to a combinator: both must hold
      return { ...leaf(rnd, u), or: children() };
  }
}
