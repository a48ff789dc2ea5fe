import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { companyTodayFor } from '../pool-rules/pool-settings.js';
import { validationFailed } from '../common/errors.js';
import { Dec } from '../common/money.js';
import { contractBalances } from '../contracts/contract-balances.js';
import type { Contract } from '../contracts/contract.entity.js';
import type { EditScope } from '../customers/customer-records.js';
import { Receivable } from './receivable.entity.js';
import { M } from '../common/messages.js';

// The limits on a contract's money, checked inside the transaction that holds the customer's and
// the contract's locks: receipts never exceed what is outstanding, receivables never exceed the
// contract amount.

export const money = (value: Dec | string, currency: string) => `${new Dec(value).toFixed(2)} ${currency}`;

/** A live receivable of `contract`, locked; VALIDATION_FAILED on `field` when it is not one. */
export async function receivableOf(scope: EditScope, contract: Contract, id: string | undefined, field: string[]): Promise<Receivable> {
  const receivable = id
    ? await scope.em.findOne(
        Receivable,
        { id, contract: contract.id, customer: scope.customer.id, deletedAt: null },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      )
    : null;
  if (!receivable) throw validationFailed(field, M.receivableOfOtherContract({ number: contract.number }));
  return receivable;
}

/** Σ live receipts on a contract and on a receivable, leaving out one receipt (the one being changed). */
export async function receivedSoFar(
  em: EntityManager,
  contractId: string,
  receivableId: string | null,
  excludeReceiptId = '0',
): Promise<{ onContract: Dec; onReceivable: Dec }> {
  const [row] = await em.execute<{ on_contract: string; on_receivable: string }[]>(
    `SELECT
       (SELECT coalesce(sum(amount), 0) FROM receipt
        WHERE contract_id = ?::bigint AND deleted_at IS NULL AND id <> ?::bigint)::text AS on_contract,
       (SELECT coalesce(sum(amount), 0) FROM receipt
        WHERE receivable_id = ?::bigint AND deleted_at IS NULL AND id <> ?::bigint)::text AS on_receivable`,
    [contractId, excludeReceiptId, receivableId, excludeReceiptId],
  );
  return { onContract: new Dec(row!.on_contract), onReceivable: new Dec(row!.on_receivable) };
}

/**
 * A receipt may not exceed what is outstanding on its receivable, nor what is outstanding on the
 * contract as a whole (total receipts never exceed the contract amount).
 */
export async function assertWithinOutstanding(
  em: EntityManager,
  contract: Contract,
  receivable: Receivable | null,
  amount: Dec,
  excludeReceiptId?: string,
): Promise<void> {
  const so = await receivedSoFar(em, contract.id, receivable?.id ?? null, excludeReceiptId);
  if (receivable) {
    const open = new Dec(receivable.amount).minus(so.onReceivable);
    if (amount.gt(open)) {
      throw validationFailed(
        ['input', 'amount'],
        M.receiptExceedsReceivable({
          amount: money(amount, contract.currency),
          open: money(open, contract.currency),
          due: receivable.dueDate,
          total: money(receivable.amount, contract.currency),
        }),
      );
    }
  }
  const open = new Dec(contract.amount).minus(so.onContract);
  if (amount.gt(open)) {
    throw validationFailed(
      ['input', 'amount'],
      M.receiptExceedsContract({
        amount: money(amount, contract.currency),
        open: money(open, contract.currency),
        number: contract.number,
        total: money(contract.amount, contract.currency),
      }),
    );
  }
}

export async function assertReceivedOn(em: EntityManager, receivedOn: string): Promise<void> {
  const today = await companyTodayFor(em);
  if (receivedOn > today) throw validationFailed(['input', 'receivedOn'], M.dateNotAfterToday({ field: 'receivedOn', value: receivedOn, today }));
}

/** Receivables of a contract together never exceed its amount. */
export async function assertPlanFits(em: EntityManager, contract: Contract, added: Dec, removed: Dec = new Dec(0)): Promise<void> {
  const { planned } = await contractBalances(em, contract.id);
  const after = planned.minus(removed).plus(added);
  if (after.gt(contract.amount)) {
    throw validationFailed(
      ['input', 'amount'],
      M.receivablesExceedContract({
        number: contract.number,
        total: money(after, contract.currency),
        amount: money(contract.amount, contract.currency),
      }),
    );
  }
}

/** 新建应收. */
