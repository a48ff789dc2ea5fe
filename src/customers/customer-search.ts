import { any } from '../common/filters.js';
import type { SqlFragment } from '../common/keyset.js';
import { cleanText } from '../common/text.js';
import { phoneScope, type FilterScope } from './customer-filter.js';
import { customerNameKey, phoneKey } from './name-key.js';

// 搜索: one text box over the customer's name and phone and its contacts' names and phones.
// Names match on their compact form (crm_compact in SQL: NFKC, lower case, no spaces or
// punctuation) through the character / character-pair GIN index, so "华" and "科技" are index
// lookups; phones match on digits (three or more) through a trigram index.

export interface SearchTerms {
  text: string;
  /** The digits of the text when it reads like (part of) a phone number. */
  digits: string | null;
}

export interface SearchMatch {
  /**
   * The matching customers that also meet `where` (the list's view and filter, over `c`), each
   * with its rank as `__score` (higher is better; ties broken by shorter names): a FROM item
   * aliased `c`, for the list's order and page on top.
   */
  from: SqlFragment;
  /** The same matches as ids alone, for counting them. */
  ids: SqlFragment;
}

export function searchTerms(search: string | null | undefined): SearchTerms | undefined {
  const text = cleanText(search);
  if (!text) return undefined;
  const digits = /^[\d\s()+\-－—.]+$/.test(text) ? phoneKey(text) : null;
  return { text, digits: digits && digits.length >= 3 ? digits : null };
}

/** Customers (as `c.id`) with a live contact matching `condition`. */
function byContact(condition: SqlFragment): SqlFragment {
  return { sql: `c.id IN (SELECT ct.customer_id FROM contact ct WHERE ct.deleted_at IS NULL AND (${condition.sql}))`, params: condition.params };
}

/**
 * `grams` (an indexed column) holds every character and character pair of the compact `text`, so
 * for a `query` of one or two characters the index condition alone is exact. Then the substring
 * test folds away (the length test is on a constant: the values are inlined), and the bitmap scan
 * needs no per-row recheck of the whole OR of the ways to match.
 */
function gramMatch(grams: string, text: string, query: string, value: string): SqlFragment {
  return {
    sql: `(${grams} @> crm_query_grams(${query}) AND (length(${query}) <= 2 OR strpos(${text}, ${query}) > 0))`,
    params: [value, value, value],
  };
}

/**
 * crm_compact as the database computes it under any locale for text without non-ASCII
 * punctuation or symbols; equal to the name key only when the query has no company suffix, and
 * then the key adds no way to match.
 */
function compactAsSql(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[ \t\n\v\f\r!-\/:-@[-`{-~、。，；：！？“”‘’（）《》〈〉【】「」『』…—·～]+/g, '');
}

export function customerSearchSql(terms: SearchTerms, scope: FilterScope, where: SqlFragment): SearchMatch {
  const q = terms.text;
  const key = customerNameKey(q);
  // The ways a customer's own fields match, each an index condition, with the rank of the first
  // that holds (the customer's name beats its key, a prefix beats a later position, and so on).
  const ways: SqlFragment[] = [gramMatch('c.name_grams', 'c.name_compact', 'crm_compact(?)', q)];
  const ranks: { sql: string; params: unknown[]; rank: string; rankParams: unknown[] }[] = [
    { sql: 'c.name_compact = crm_compact(?)', params: [q], rank: '4000', rankParams: [] },
    { sql: 'starts_with(c.name_compact, crm_compact(?))', params: [q], rank: '3000', rankParams: [] },
    {
      sql: 'strpos(c.name_compact, crm_compact(?)) > 0',
      params: [q],
      rank: '2000 - least(strpos(c.name_compact, crm_compact(?)), 999)',
      rankParams: [q],
    },
  ];
  if (key) {
    // The query without its company suffix ("…有限公司" finds "…"): equal keys are the same
    // company; a name containing the key is a partial match.
    // name_key is indexed for live customers only (the unique index), so archived ones are
    // asked for apart (through the status index): every way to match stays an index scan.
    ways.push({ sql: `((c.name_key = ? AND c.status <> 'ARCHIVED') OR (c.name_key = ? AND c.status = 'ARCHIVED'))`, params: [key, key] });
    if (key !== compactAsSql(q)) ways.push(gramMatch('c.name_grams', 'c.name_compact', '?', key));
    ranks.splice(1, 0, { sql: 'c.name_key = ?', params: [key], rank: '3500', rankParams: [] });
    ranks.push({ sql: 'strpos(c.name_compact, ?) > 0', params: [key], rank: '1900', rankParams: [] });
  }
  if (terms.digits) {
    const phone = phoneScope(scope, { sql: 'c.phone_key LIKE ?', params: [`%${terms.digits}%`] });
    ways.push(phone);
    ranks.push({ sql: phone.sql, params: phone.params, rank: '1500', rankParams: [] });
  }
  // Contacts: a customer whose contact's name (or, for digits, mobile or phone) matches.
  const contactWays = [gramMatch('ct.name_grams', 'crm_compact(ct.name)', 'crm_compact(?)', q)];
  if (terms.digits) {
    contactWays.push({ sql: '(ct.mobile_digits LIKE ? OR ct.phone_digits LIKE ?)', params: [`%${terms.digits}%`, `%${terms.digits}%`] });
  }
  // Matching a contact's phone must not reveal a masked pool customer's contact phone.
  const masked = !!terms.digits && scope.masksPoolPhones;
  const byContacts = masked ? any([byContact(contactWays[0]!), phoneScope(scope, byContact(contactWays[1]!))]) : byContact(any(contactWays));
  const own = any(ways);
  const cases = ranks.map((r) => `WHEN ${r.sql} THEN ${r.rank}`).join(' ');
  const score = (rank: string) => `${rank} * 1000 - least(length(c.name_compact), 999)`;
  // Two branches, each one scan of its matches: the customers matching on their own fields (the
  // conditions combine the name and phone indexes), and those matching only through a contact.
  // The view, the filter and the rank are evaluated on each row as it is read, and the rows go
  // straight to the page's sort (a join back to the customers would come before the sort, and read
  // them all again).
  const matches = (ranked: boolean): SqlFragment => ({
    sql: `(
      SELECT ${ranked ? `c.*, ${score(`(CASE ${cases} ELSE 0 END)`)} AS __score` : 'c.id'} FROM customer c WHERE (${own.sql}) AND (${where.sql})
      UNION ALL
      SELECT ${ranked ? `c.*, ${score('1000')} AS __score` : 'c.id'} FROM customer c WHERE (${byContacts.sql}) AND (${own.sql}) IS NOT TRUE AND (${where.sql})
    ) c`,
    params: [
      ...(ranked ? ranks.flatMap((r) => [...r.params, ...r.rankParams]) : []),
      ...own.params,
      ...where.params,
      ...byContacts.params,
      ...own.params,
      ...where.params,
    ],
  });
  return {
    from: matches(true),
    ids: matches(false),
  };
}
