import type { EntityManager } from '@mikro-orm/postgresql';
import { companyYear } from './company-calendar.js';

export type DocumentKind = 'QUOTE' | 'CONTRACT';

const PREFIX: Readonly<Record<DocumentKind, string>> = { QUOTE: 'Q', CONTRACT: 'C' };

/** "Q2026-00042": prefix, company year, sequence (5 digits, more when a year needs them). */
export function formatDocumentNumber(kind: DocumentKind, year: number, sequence: number): string {
  return `${PREFIX[kind]}${year}-${String(sequence).padStart(5, '0')}`;
}

/**
 * The next number of `kind` for the current year in the company's time zone. Call it inside the transaction that
 * inserts the record: the counter row stays locked until that transaction ends, so concurrent
 * creators get distinct numbers (a rolled-back transaction leaves a gap, never a duplicate), and
 * the unique index on the number is the final arbiter.
 */
export async function nextDocumentNumber(em: EntityManager, kind: DocumentKind, timeZone: string, now: Date = new Date()): Promise<string> {
  const year = companyYear(now, timeZone);
  const [row] = await em.execute<{ last_number: number }[]>(
    `INSERT INTO document_counter (kind, year, last_number) VALUES (?, ?, 1)
     ON CONFLICT (kind, year) DO UPDATE SET last_number = document_counter.last_number + 1
     RETURNING last_number`,
    [kind, year],
  );
  return formatDocumentNumber(kind, year, Number(row!.last_number));
}
