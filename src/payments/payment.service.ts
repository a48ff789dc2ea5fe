import { LockMode, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { companyToday } from '../common/company-calendar.js';
import type { ConnectionResult } from '../common/connection.js';
import { AppError, ErrorCode, validationFailed } from '../common/errors.js';
import { fromGlobalId } from '../common/ids.js';
import type { PageArgs } from '../common/keyset.js';
import { Dec, RULES, parseDecimal } from '../common/money.js';
import { assertVersion, cleanText, editLiveRecord, emptyConnection, lockLiveRecord, softDelete } from '../common/record-edits.js';
import type { Context } from '../context.js';
import { contractBalances, receiptSummary, receivableSummary } from '../contracts/contract-balances.js';
import { Contract } from '../contracts/contract.entity.js';
import { readableCustomer, recordDeletion, type EditScope } from '../customers/customer-records.js';
import { User } from '../users/user.entity.js';
import type { MoneyTotals } from './money-totals.js';
import type {
  ReceiptCreateInput,
  ReceiptUpdateInput,
  ReceivableCreateInput,
  ReceivableUpdateInput,
  ReceiptDeleteInput,
  ReceivableDeleteInput,
} from './payment.inputs.js';
import { Receipt } from './receipt.entity.js';
import { receivableStatus } from './receivable-status.js';
import { Receivable, ReceivableStatus } from './receivable.entity.js';
import type { Customer } from '../customers/customer.entity.js';

// Receivables (应收) and receipts (已收) of a contract. Every change runs with the customer row
// locked (editCustomerRecords) and the contract row locked too, so two concurrent receipts are
// checked one after the other against what is really outstanding.

const money = (value: Dec | string, currency: string) => `${new Dec(value).toFixed(2)} ${currency}`;

/** A live receivable of `contract`, locked; VALIDATION_FAILED on `field` when it is not one. */
async function receivableOf(scope: EditScope, contract: Contract, id: string | undefined, field: string[]): Promise<Receivable> {
  const receivable = id
    ? await scope.em.findOne(
        Receivable,
        { id, contract: contract.id, customer: scope.customer.id, deletedAt: null },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      )
    : null;
  if (!receivable) throw validationFailed(field, `receivableId must be a receivable of contract ${contract.number}`);
  return receivable;
}

/** Σ live receipts on a contract and on a receivable, leaving out one receipt (the one being changed). */
async function receivedSoFar(
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
async function assertWithinOutstanding(
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
        `The receipt of ${money(amount, contract.currency)} exceeds the ${money(open, contract.currency)} outstanding ` +
          `on the receivable due ${receivable.dueDate} (${money(receivable.amount, contract.currency)})`,
      );
    }
  }
  const open = new Dec(contract.amount).minus(so.onContract);
  if (amount.gt(open)) {
    throw validationFailed(
      ['input', 'amount'],
      `The receipt of ${money(amount, contract.currency)} exceeds the ${money(open, contract.currency)} outstanding ` +
        `on contract ${contract.number} (${money(contract.amount, contract.currency)})`,
    );
  }
}

function assertReceivedOn(receivedOn: string): void {
  const today = companyToday();
  if (receivedOn > today) throw validationFailed(['input', 'receivedOn'], `receivedOn (${receivedOn}) must not be after today (${today})`);
}

/** Receivables of a contract together never exceed its amount. */
async function assertPlanFits(em: EntityManager, contract: Contract, added: Dec, removed: Dec = new Dec(0)): Promise<void> {
  const { planned } = await contractBalances(em, contract.id);
  const after = planned.minus(removed).plus(added);
  if (after.gt(contract.amount)) {
    throw validationFailed(
      ['input', 'amount'],
      `The receivables of contract ${contract.number} would total ${money(after, contract.currency)}, ` +
        `more than the contract amount ${money(contract.amount, contract.currency)}`,
    );
  }
}

/** 新建应收. */
export async function createReceivable(ctx: Context, input: ReceivableCreateInput): Promise<Receivable> {
  return editLiveRecord(ctx, Contract, 'Contract', input.contractId, async (scope, contract) => {
    const amount = parseDecimal(input.amount, RULES.positiveMoney, ['input', 'amount'], 'amount');
    await assertPlanFits(scope.em, contract, amount);
    const receivable = scope.em.create(Receivable, {
      customer: scope.customer,
      contract,
      amount: amount.toFixed(2),
      dueDate: input.dueDate,
      notes: cleanText(input.notes) ?? null,
      createdBy: scope.em.getReference(User, scope.viewer.id),
    });
    await scope.em.flush();
    return receivable;
  });
}

/** 修改应收: not below what is received against it; the plan still fits the contract. */
export async function updateReceivable(ctx: Context, input: ReceivableUpdateInput): Promise<Receivable> {
  return editLiveRecord(ctx, Receivable, 'Receivable', input.id, async (scope, receivable) => {
    assertVersion(receivable, input.expectedVersion, 'receivable');
    const contract = await lockLiveRecord(scope, Contract, 'Contract', receivable.contract.id);
    if (input.amount) {
      const amount = parseDecimal(input.amount, RULES.positiveMoney, ['input', 'amount'], 'amount');
      const { onReceivable } = await receivedSoFar(scope.em, contract.id, receivable.id);
      if (amount.lt(onReceivable)) {
        throw validationFailed(
          ['input', 'amount'],
          `amount must not be below the ${money(onReceivable, contract.currency)} already received against this receivable`,
        );
      }
      await assertPlanFits(scope.em, contract, amount, new Dec(receivable.amount));
      receivable.amount = amount.toFixed(2);
    }
    if (input.dueDate) receivable.dueDate = input.dueDate;
    if (input.notes !== undefined) receivable.notes = cleanText(input.notes) ?? null;
    receivable.updatedAt = new Date();
    await scope.em.flush();
    return receivable;
  });
}

/** 删除应收 (soft): refused while receipts settle it (delete or move them first). */
export async function deleteReceivable(ctx: Context, input: ReceivableDeleteInput): Promise<string> {
  return editLiveRecord(ctx, Receivable, 'Receivable', input.id, async (scope, receivable) => {
    assertVersion(receivable, input.expectedVersion, 'receivable');
    const contract = await lockLiveRecord(scope, Contract, 'Contract', receivable.contract.id);
    const [row] = await scope.em.execute<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM receipt WHERE receivable_id = ?::bigint AND deleted_at IS NULL',
      [receivable.id],
    );
    if (row?.n) {
      throw new AppError(
        ErrorCode.CONFLICT,
        `The receivable has ${row.n} receipt(s) against it: delete them or move them to another receivable first`,
        ['input', 'id'],
      );
    }
    softDelete(scope, receivable);
    recordDeletion(scope, {
      type: 'Receivable',
      id: receivable.id,
      summary: receivableSummary(receivable.amount, contract.currency, receivable.dueDate, contract.number),
    });
    await scope.em.flush();
    return receivable.nodeId;
  });
}

/** 新建已收: at most what is outstanding on its receivable and on the contract. */
export async function createReceipt(ctx: Context, input: ReceiptCreateInput): Promise<Receipt> {
  return editLiveRecord(ctx, Contract, 'Contract', input.contractId, async (scope, contract) => {
    const amount = parseDecimal(input.amount, RULES.positiveMoney, ['input', 'amount'], 'amount');
    assertReceivedOn(input.receivedOn);
    const receivable = input.receivableId
      ? await receivableOf(scope, contract, fromGlobalId('Receivable', input.receivableId), ['input', 'receivableId'])
      : null;
    await assertWithinOutstanding(scope.em, contract, receivable, amount);
    const receipt = scope.em.create(Receipt, {
      customer: scope.customer,
      contract,
      receivable,
      amount: amount.toFixed(2),
      receivedOn: input.receivedOn,
      method: input.method,
      reference: cleanText(input.reference) ?? null,
      notes: cleanText(input.notes) ?? null,
      createdBy: scope.em.getReference(User, scope.viewer.id),
    });
    await scope.em.flush();
    return receipt;
  });
}

/** 修改已收: the same limits as a new receipt, not counting this one's old amount. */
export async function updateReceipt(ctx: Context, input: ReceiptUpdateInput): Promise<Receipt> {
  return editLiveRecord(ctx, Receipt, 'Receipt', input.id, async (scope, receipt) => {
    assertVersion(receipt, input.expectedVersion, 'receipt');
    if (input.clearReceivable && input.receivableId) {
      throw validationFailed(['input', 'clearReceivable'], 'Pass either receivableId or clearReceivable, not both');
    }
    const contract = await lockLiveRecord(scope, Contract, 'Contract', receipt.contract.id);
    const amount = input.amount ? parseDecimal(input.amount, RULES.positiveMoney, ['input', 'amount'], 'amount') : new Dec(receipt.amount);
    if (input.receivedOn) assertReceivedOn(input.receivedOn);
    const target = input.receivableId
      ? fromGlobalId('Receivable', input.receivableId)
      : input.clearReceivable
        ? null
        : (receipt.receivable?.id ?? null);
    const receivable = target === null ? null : await receivableOf(scope, contract, target, ['input', 'receivableId']);
    await assertWithinOutstanding(scope.em, contract, receivable, amount, receipt.id);
    receipt.amount = amount.toFixed(2);
    receipt.receivable = receivable ? ref(receivable) : null;
    if (input.receivedOn) receipt.receivedOn = input.receivedOn;
    if (input.method) receipt.method = input.method;
    if (input.reference !== undefined) receipt.reference = cleanText(input.reference) ?? null;
    if (input.notes !== undefined) receipt.notes = cleanText(input.notes) ?? null;
    receipt.updatedAt = new Date();
    await scope.em.flush();
    return receipt;
  });
}

/** 删除已收 (soft). */
export async function deleteReceipt(ctx: Context, input: ReceiptDeleteInput): Promise<string> {
  return editLiveRecord(ctx, Receipt, 'Receipt', input.id, async (scope, receipt) => {
    assertVersion(receipt, input.expectedVersion, 'receipt');
    const contract = await lockLiveRecord(scope, Contract, 'Contract', receipt.contract.id);
    softDelete(scope, receipt);
    recordDeletion(scope, {
      type: 'Receipt',
      id: receipt.id,
      summary: receiptSummary(receipt.amount, contract.currency, receipt.receivedOn, contract.number),
    });
    await scope.em.flush();
    return receipt.nodeId;
  });
}

// Reads. Contracts reach the API only through readable paths; the checks below make every
// nested path enforce it anyway.

async function readableContractRecord(ctx: Context, contract: Contract): Promise<boolean> {
  return !!(await readableCustomer(ctx, contract.customer.id));
}

export async function contractReceivables(ctx: Context, contract: Contract, args: PageArgs): Promise<ConnectionResult<Receivable>> {
  if (!(await readableContractRecord(ctx, contract))) return emptyConnection();
  return ctx.loaders.receivablesPage(args).load(contract.id);
}

export async function contractReceipts(ctx: Context, contract: Contract, args: PageArgs): Promise<ConnectionResult<Receipt>> {
  if (!(await readableContractRecord(ctx, contract))) return emptyConnection();
  return ctx.loaders.receiptsPage(args).load(contract.id);
}

export async function receivableReceipts(ctx: Context, receivable: Receivable, args: PageArgs): Promise<ConnectionResult<Receipt>> {
  if (!(await readableCustomer(ctx, receivable.customer.id))) return emptyConnection();
  return ctx.loaders.receivableReceiptsPage(args).load(receivable.id);
}

export async function customerMoneyTotals(ctx: Context, customer: Customer): Promise<MoneyTotals[]> {
  if (!(await readableCustomer(ctx, customer.id))) return [];
  return ctx.loaders.moneyTotalsByCustomerId.load(customer.id);
}

export async function receivableState(ctx: Context, receivable: Receivable): Promise<{ received: string; outstanding: string; status: ReceivableStatus }> {
  const received = await ctx.loaders.receivedByReceivableId.load(receivable.id);
  return {
    received,
    outstanding: new Dec(receivable.amount).minus(received).toFixed(2),
    status: receivableStatus(receivable.amount, received, receivable.dueDate, companyToday()),
  };
}

export async function readableReceivable(ctx: Context, id: string): Promise<Receivable | null> {
  const receivable = await ctx.loaders.receivableById.load(id);
  return receivable && (await readableCustomer(ctx, receivable.customer.id)) ? receivable : null;
}

export async function readableReceipt(ctx: Context, id: string): Promise<Receipt | null> {
  const receipt = await ctx.loaders.receiptById.load(id);
  return receipt && (await readableCustomer(ctx, receipt.customer.id)) ? receipt : null;
}
