import { KEYED, requestLoader, type RequestLoader } from '../common/batch-scheduler.js';
import type { ConnectionResult } from '../common/connection.js';
import type { PageArgs, SortKey } from '../common/keyset.js';
import { formatMoney } from '../common/money.js';
import { groupBy, pageLoaders } from '../common/page-loaders.js';
import { paginateByParent } from '../common/pagination.js';
import type { Reads } from '../common/reads.js';
import { recordLoader } from '../common/record-loaders.js';
import { sqlArray } from '../common/sql.js';
import type { ContractTotals, MoneyTotals } from './money-totals.js';
import { Receipt } from './receipt.entity.js';
import { Receivable } from './receivable.entity.js';

export interface PaymentLoaders {
  /** Live receivables by id. */
  receivableById: RequestLoader<string, Receivable | null>;
  /** Live receipts by id. */
  receiptById: RequestLoader<string, Receipt | null>;
  /** Σ live receipts against a receivable (a decimal string). */
  receivedByReceivableId: RequestLoader<string, string>;
  /** A contract's totals by contract id. */
  contractTotalsById: RequestLoader<string, ContractTotals>;
  /** A customer's totals per currency, by customer id. */
  moneyTotalsByCustomerId: RequestLoader<string, MoneyTotals[]>;
  /** A contract's receivables by due date. */
  receivablesPage(args: PageArgs): RequestLoader<string, ConnectionResult<Receivable>>;
  /** A contract's receipts, latest first. */
  receiptsPage(args: PageArgs): RequestLoader<string, ConnectionResult<Receipt>>;
  /** The receipts against a receivable, latest first. */
  receivableReceiptsPage(args: PageArgs): RequestLoader<string, ConnectionResult<Receipt>>;
  /** A customer's receivables over all its contracts, by due date. */
  customerReceivablesPage(args: PageArgs): RequestLoader<string, ConnectionResult<Receivable>>;
  /** A customer's receipts over all its contracts, latest first. */
  customerReceiptsPage(args: PageArgs): RequestLoader<string, ConnectionResult<Receipt>>;
}

const LIVE = { sql: 'x.deleted_at IS NULL', params: [] };
const key = (sql: string, cast: SortKey['cast'], desc: boolean): SortKey => ({ sql, cast, desc, nullable: false });

/**
 * Per-contract totals as one SQL statement over the contracts matching `filter` (on table
 * `contract`), with `?` parameters: the filter's, then today's date. Everything is numeric
 * arithmetic in PostgreSQL; overdue is capped at outstanding.
 */
function contractTotalsSql(filter: string): string {
  return `WITH c AS (
      SELECT id, customer_id, amount, currency FROM contract WHERE ${filter}
    ),
    paid AS (
      SELECT p.contract_id, sum(p.amount) AS received FROM receipt p
      WHERE p.contract_id IN (SELECT id FROM c) AND p.deleted_at IS NULL
      GROUP BY p.contract_id
    ),
    late AS (
      SELECT r.contract_id, sum(greatest(r.amount - coalesce(against.received, 0), 0)) AS overdue
      FROM receivable r
      LEFT JOIN LATERAL (
        SELECT sum(p.amount) AS received FROM receipt p WHERE p.receivable_id = r.id AND p.deleted_at IS NULL
      ) against ON TRUE
      WHERE r.contract_id IN (SELECT id FROM c) AND r.deleted_at IS NULL AND r.due_date < ?::date
      GROUP BY r.contract_id
    )
    SELECT c.id, c.customer_id, c.currency, c.amount,
      coalesce(paid.received, 0) AS received,
      c.amount - coalesce(paid.received, 0) AS outstanding,
      least(coalesce(late.overdue, 0), c.amount - coalesce(paid.received, 0)) AS overdue
    FROM c LEFT JOIN paid ON paid.contract_id = c.id LEFT JOIN late ON late.contract_id = c.id`;
}

/**
 * `today` is the date in the company's time zone (receivables due before it are overdue), read
 * with the viewer at the start of the request.
 */
export function createPaymentLoaders(reads: Reads, today: string): PaymentLoaders {
  const receiptPages = (parentColumn: string, signature: string) =>
    pageLoaders((parentIds, args) =>
      paginateByParent(
        reads,
        {
          select: reads.columns(Receipt, 'x'),
          from: 'receipt x',
          parentColumn,
          where: [LIVE],
          keys: [key('x.received_on', 'date', true), key('x.id', 'bigint', true)],
          signature,
        },
        parentIds,
        args,
        (row) => reads.read(Receipt, row),
      ),
    );

  const receivablePages = (parentColumn: string, signature: string) =>
    pageLoaders((parentIds, args) =>
      paginateByParent(
        reads,
        {
          select: reads.columns(Receivable, 'x'),
          from: 'receivable x',
          parentColumn,
          where: [LIVE],
          keys: [key('x.due_date', 'date', false), key('x.id', 'bigint', false)],
          signature,
        },
        parentIds,
        args,
        (row) => reads.read(Receivable, row),
      ),
    );

  return {
    receivableById: recordLoader(reads, Receivable, { where: 'x.deleted_at IS NULL' }),
    receiptById: recordLoader(reads, Receipt, { where: 'x.deleted_at IS NULL' }),
    receivedByReceivableId: requestLoader(async (ids) => {
      const rows = await reads.rows(
        `SELECT receivable_id::text AS receivable_id, sum(amount)::text AS received FROM receipt
         WHERE receivable_id = ANY(?::bigint[]) AND deleted_at IS NULL GROUP BY receivable_id`,
        [sqlArray(ids)],
        KEYED,
      );
      const byId = new Map(rows.map((r) => [r.receivable_id as string, formatMoney(r.received as string)]));
      return ids.map((id) => byId.get(id) ?? '0.00');
    }),
    contractTotalsById: requestLoader(async (ids) => {
      const rows = await reads.rows(
        `SELECT t.id::text AS id, t.currency, t.amount::text AS amount, t.received::text AS received,
           t.outstanding::text AS outstanding, t.overdue::text AS overdue
         FROM (${contractTotalsSql('id = ANY(?::bigint[])')}) t`,
        [sqlArray(ids), today],
        KEYED,
      );
      const byId = new Map(
        (rows as Record<string, string>[]).map((r) => [
          r.id!,
          {
            currency: r.currency!,
            amount: formatMoney(r.amount!),
            received: formatMoney(r.received!),
            outstanding: formatMoney(r.outstanding!),
            overdue: formatMoney(r.overdue!),
          },
        ]),
      );
      return ids.map((id) => byId.get(id) ?? new Error(`Contract ${id} not found`));
    }),
    moneyTotalsByCustomerId: requestLoader(async (ids) => {
      const rows = (await reads.rows(
        `SELECT t.customer_id::text AS customer_id, t.currency, count(*)::int AS contracts,
           sum(t.amount)::text AS contracted, sum(t.received)::text AS received,
           sum(t.outstanding)::text AS outstanding, sum(t.overdue)::text AS overdue
         FROM (${contractTotalsSql('customer_id = ANY(?::bigint[]) AND deleted_at IS NULL')}) t
         GROUP BY t.customer_id, t.currency ORDER BY t.customer_id, t.currency`,
        [sqlArray(ids), today],
        KEYED,
      )) as Record<string, string>[];
      const byCustomer = groupBy(rows, (r) => r.customer_id!);
      return ids.map((id) =>
        (byCustomer.get(id) ?? []).map((r) => ({
          currency: r.currency!,
          contractCount: Number(r.contracts),
          contracted: formatMoney(r.contracted!),
          received: formatMoney(r.received!),
          outstanding: formatMoney(r.outstanding!),
          overdue: formatMoney(r.overdue!),
        })),
      );
    }),
    receivablesPage: receivablePages('x.contract_id', 'receivables'),
    receiptsPage: receiptPages('x.contract_id', 'contractReceipts'),
    receivableReceiptsPage: receiptPages('x.receivable_id', 'receivableReceipts'),
    customerReceivablesPage: receivablePages('x.customer_id', 'customerReceivables'),
    customerReceiptsPage: receiptPages('x.customer_id', 'customerReceipts'),
  };
}
