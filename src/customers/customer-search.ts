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

const NAME_MATCH = '(c.name_grams @> crm_query_grams(crm_compact(?)) AND strpos(c.name_compact, crm_compact(?)) > 0)';

export function customerSearchSql(terms: SearchTerms, scope: FilterScope): SearchMatch {
  const q = terms.text;
  const key = customerNameKey(q);
  const ways: SqlFragment[] = [{ sql: NAME_MATCH, params: [q, q] }];
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
    const keyMatch = '(c.name_grams @> crm_query_grams(?) AND strpos(c.name_compact, ?) > 0)';
    ways.push({ sql: 'c.name_key = ?', params: [key] }, { sql: keyMatch, params: [key, key] });
    ranks.splice(1, 0, { sql: 'c.name_key = ?', params: [key], rank: '3500', rankParams: [] });
    ranks.push({ sql: 'strpos(c.name_compact, ?) > 0', params: [key], rank: '1900', rankParams: [] });
  }
  if (terms.digits) {
    const phone = phoneScope(scope, { sql: 'c.phone_key LIKE ?', params: [`%${terms.digits}%`] });
    ways.push(phone);
    ranks.push({ sql: phone.sql, params: phone.params, rank: '1500', rankParams: [] });
  }
  // Contacts: a customer whose contact's name (or, for digits, mobile or phone) matches.
  const contactWays = [{ sql: '(ct.name_grams @> crm_query_grams(crm_compact(?)) AND strpos(crm_compact(ct.name), crm_compact(?)) > 0)', params: [q, q] }];
  if (terms.digits) {
    contactWays.push({ sql: '(ct.mobile_digits LIKE ? OR ct.phone_digits LIKE ?)', params: [`%${terms.digits}%`, `%${terms.digits}%`] });
  }
  const byContact = any(contactWays);
  let contact: SqlFragment = {
    sql: `c.id IN (SELECT ct.customer_id FROM contact ct WHERE ct.deleted_at IS NULL AND (${byContact.sql}))`,
    params: byContact.params,
  };
  // Matching a contact's phone must not reveal a masked pool customer's contact phone.
  if (terms.digits && scope.masksPoolPhones) {
    const nameOnly = contactWays[0]!;
    const byName = { sql: `c.id IN (SELECT ct.customer_id FROM contact ct WHERE ct.deleted_at IS NULL AND ${nameOnly.sql})`, params: nameOnly.params };
    contact = any([byName, phoneScope(scope, contact)]);
  }
  ways.push(contact);
  ranks.push({ sql: contact.sql, params: contact.params, rank: '1000', rankParams: [] });
  const cases = ranks.map((r) => `WHEN ${r.sql} THEN ${r.rank}`).join(' ');
  return {
    where: any(ways),
    score: {
      sql: `(CASE ${cases} ELSE 0 END) * 1000 - least(length(c.name_compact), 999)`,
      params: ranks.flatMap((r) => [...r.params, ...r.rankParams]),
    },
  };
}
