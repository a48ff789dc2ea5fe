import { ref } from '@mikro-orm/core';
import { AppError, ErrorCode, validationFailed } from '../common/errors.js';
import { fromGlobalId } from '../common/ids.js';
import { Dec, RULES, parseDecimal } from '../common/money.js';
import { cleanText } from '../common/text.js';
import type { Context } from '../context.js';
import { receiptSummary, receivableSummary } from '../contracts/contract-balances.js';
import { Contract } from '../contracts/contract.entity.js';
import { assertVersion, deleteRecord, editLiveRecord, lockLiveRecord } from '../customers/customer-records.js';
import { User } from '../users/user.entity.js';
import type {
  ReceiptCreateInput,
  ReceiptDeleteInput,
  ReceiptUpdateInput,
  ReceivableCreateInput,
  ReceivableDeleteInput,
  ReceivableUpdateInput,
} from './payment.inputs.js';
import { assertPlanFits, assertReceivedOn, assertWithinOutstanding, money, receivableOf, receivedSoFar } from './payment-limits.js';
import { Receipt } from './receipt.entity.js';
import { Receivable } from './receivable.entity.js';
import { M } from '../common/messages.js';

// Receivables (应收) and receipts (已收) of a contract. Every change runs with the customer row
// locked (editCustomerRecords) and the contract row locked too, so two concurrent receipts are
// checked one after the other against what is really outstanding.

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
          M.amountBelowReceivedOnReceivable({ amount: money(onReceivable, contract.currency) }),
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
        M.receivableHasReceipts({ count: row.n }),
        ['input', 'id'],
      );
    }
    deleteRecord(scope, receivable, {
      type: 'Receivable',
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
    await assertReceivedOn(scope.em, input.receivedOn);
    // An id that names nothing (even "") is refused, not taken for no receivable.
    const receivable = input.receivableId != null
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
    if (input.clearReceivable && input.receivableId != null) {
      throw validationFailed(['input', 'clearReceivable'], M.eitherNotBoth({ one: 'receivableId', other: 'clearReceivable' }));
    }
    const contract = await lockLiveRecord(scope, Contract, 'Contract', receipt.contract.id);
    const amount = input.amount ? parseDecimal(input.amount, RULES.positiveMoney, ['input', 'amount'], 'amount') : new Dec(receipt.amount);
    if (input.receivedOn) await assertReceivedOn(scope.em, input.receivedOn);
    const target = input.receivableId != null
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
    deleteRecord(scope, receipt, {
      type: 'Receipt',
      summary: receiptSummary(receipt.amount, contract.currency, receipt.receivedOn, contract.number),
    });
    await scope.em.flush();
    return receipt.nodeId;
  });
}
