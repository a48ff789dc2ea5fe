import type { EntityManager } from '@mikro-orm/postgresql';
import { Dec } from '../common/money.js';

/** A contract's money as stored right now (read inside the transaction that holds its lock). */
export interface ContractBalances {
  /** Σ live receipts. */
  received: Dec;
  /** Σ live receivables (the planned payments). */
  planned: Dec;
  receiptCount: number;
  receivableCount: number;
}

export async function contractBalances(em: EntityManager, contractId: string): Promise<ContractBalances> {
  const [row] = await em.execute<{ received: string; planned: string; receipts: number; receivables: number }[]>(
    `SELECT
       (SELECT coalesce(sum(amount), 0) FROM receipt WHERE contract_id = ?::bigint AND deleted_at IS NULL)::text AS received,
       (SELECT count(*) FROM receipt WHERE contract_id = ?::bigint AND deleted_at IS NULL)::int AS receipts,
       (SELECT coalesce(sum(amount), 0) FROM receivable WHERE contract_id = ?::bigint AND deleted_at IS NULL)::text AS planned,
       (SELECT count(*) FROM receivable WHERE contract_id = ?::bigint AND deleted_at IS NULL)::int AS receivables`,
    [contractId, contractId, contractId, contractId],
  );
  return {
    received: new Dec(row!.received),
    planned: new Dec(row!.planned),
    receiptCount: row!.receipts,
    receivableCount: row!.receivables,
  };
}

/** "应收 1000.00 CNY due 2026-12-31": how a receivable is named in the customer's history. */
export function receivableSummary(amount: string, currency: string, dueDate: string, contractNumber: string): string {
  return `应收 ${amount} ${currency} due ${dueDate} (${contractNumber})`;
}

/** "已收 500.00 CNY on 2026-11-01": how a receipt is named in the customer's history. */
export function receiptSummary(amount: string, currency: string, receivedOn: string, contractNumber: string): string {
  return `已收 ${amount} ${currency} on ${receivedOn} (${contractNumber})`;
}
