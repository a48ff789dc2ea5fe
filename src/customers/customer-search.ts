import { any } from '../common/filters.js';
import type { SqlFragment } from '../common/keyset.js';
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
  /** The condition: any of the ways to match. */
  where: SqlFragment;
  /** Higher is better; ties are broken by shorter names. */
  score: SqlFragment;
}

export function searchTerms(search: string | null | undefined): SearchTerms | undefined {
  const text = search?.trim();
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

export function customerSearchSql(terms: SearchTerms, scope: FilterScope): SearchMatch {
  const q = terms.text;
  const key = customerNameKey(q);
  const ways: SqlFragment[] = [gramMatch('c.name_grams', 'c.name_compact', 'crm_compact(?)', q)];
  // rank of each way: the first that holds gives the score
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
  const contact = masked ? any([byContact(contactWays[0]!), phoneScope(scope, byContact(contactWays[1]!))]) : byContact(any(contactWays));
  ranks.push({ sql: contact.sql, params: contact.params, rank: '1000', rankParams: [] });
  // The ids of all matches, as one set: the planner joins it to the list (a semi-join over the
  // customer ids) whatever else the view and filter ask for. The ways as an OR of conditions on
  // the row instead could not combine the contacts' index with the customers' (a subquery inside
  // an OR is a per-row test), so every customer in the view would be read.
  const customerIds = any(ways);
  const contactIds = masked
    ? [
        { sql: `SELECT ct.customer_id FROM contact ct WHERE ct.deleted_at IS NULL AND ${contactWays[0]!.sql}`, params: contactWays[0]!.params },
        {
          sql: `SELECT c.id FROM contact ct JOIN customer c ON c.id = ct.customer_id WHERE ct.deleted_at IS NULL AND ${phoneScope(scope, contactWays[1]!).sql}`,
          params: contactWays[1]!.params,
        },
      ]
    : [{ sql: `SELECT ct.customer_id FROM contact ct WHERE ct.deleted_at IS NULL AND (${any(contactWays).sql})`, params: any(contactWays).params }];
  const matches = [{ sql: `SELECT c.id FROM customer c WHERE ${customerIds.sql}`, params: customerIds.params }, ...contactIds];
  const cases = ranks.map((r) => `WHEN ${r.sql} THEN ${r.rank}`).join(' ');
  return {
    where: { sql: `c.id IN (${matches.map((m) => m.sql).join(' UNION ALL ')})`, params: matches.flatMap((m) => m.params) },
    score: {
      sql: `(CASE ${cases} ELSE 0 END) * 1000 - least(length(c.name_compact), 999)`,
      params: ranks.flatMap((r) => [...r.params, ...r.rankParams]),
    },
  };
}
