import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConnectionResult } from '../common/connection.js';
import { nextDocumentNumber } from '../common/document-number.js';
import { companyTimeZone } from '../pool-rules/pool-settings.js';
import { AppError, ErrorCode, validationFailed } from '../common/errors.js';
import type { PageArgs } from '../common/keyset.js';
import { RULES, parseCurrency, parseDecimal } from '../common/money.js';
import type { MaybePromise } from '../common/maybe.js';
import { assertTransition } from '../common/status-machine.js';
import { cleanText, requiredText } from '../common/text.js';
import type { Context } from '../context.js';
import { assertVersion, deleteRecord, editCustomerRecordsById, editLiveRecord, pageUnderCustomer, readableRecord, recordDeletion, type EditScope } from '../customers/customer-records.js';
import type { Customer } from '../customers/customer.entity.js';
import { canBecomeContract } from '../quotes/quote-status.js';
import { Quote } from '../quotes/quote.entity.js';
import { User } from '../users/user.entity.js';
import { contractBalances, receivableSummary } from './contract-balances.js';
import { CONTRACT_TRANSITIONS } from './contract-status.js';
import { Contract } from './contract.entity.js';
import type {
  ContractCreateInput,
  ContractDeleteInput,
  ContractStatusChangeInput,
  ContractUpdateInput,
  QuoteToContractInput,
} from './contract.inputs.js';
import { M } from '../common/messages.js';

interface ContractDates {
  signedDate?: string | null;
  startDate?: string | null;
  endDate?: string | null;
}

function assertDates(dates: ContractDates): void {
  if (dates.startDate && dates.endDate && dates.startDate > dates.endDate) {
    throw validationFailed(['input', 'endDate'], M.dateNotBefore({ field: 'endDate', value: dates.endDate, other: 'startDate', otherValue: dates.startDate }));
  }
}

function requireTitle(title: string): string {
  return requiredText(title, 'title');
}

async function newContract(
  em: EntityManager,
  scope: EditScope,
  fields: ContractDates & { title: string; amount: string; currency: string; notes: string | null; sourceQuote?: Quote },
): Promise<Contract> {
  assertDates(fields);
  const contract = em.create(Contract, {
    customer: scope.customer,
    number: await nextDocumentNumber(em, 'CONTRACT', await companyTimeZone(em)),
    title: fields.title,
    sourceQuote: fields.sourceQuote ?? null,
    signedDate: fields.signedDate ?? null,
    startDate: fields.startDate ?? null,
    endDate: fields.endDate ?? null,
    amount: fields.amount,
    currency: fields.currency,
    notes: fields.notes,
    createdBy: em.getReference(User, scope.viewer.id),
  });
  await em.flush();
  return contract;
}

/** 新建合同. */
export async function createContract(ctx: Context, input: ContractCreateInput): Promise<Contract> {
  return editCustomerRecordsById(ctx, input.customerId, (scope) =>
    newContract(scope.em, scope, {
      title: requireTitle(input.title),
      signedDate: input.signedDate,
      startDate: input.startDate,
      endDate: input.endDate,
      amount: parseDecimal(input.amount, RULES.money, ['input', 'amount'], 'amount').toFixed(2),
      currency: parseCurrency(input.currency, ['input', 'currency']),
      notes: cleanText(input.notes) ?? null,
    }),
  );
}

/** An ACCEPTED quote becomes a DRAFT contract with its total and currency; at most one live contract per quote. */
export async function createContractFromQuote(ctx: Context, input: QuoteToContractInput): Promise<Contract> {
  return editLiveRecord(ctx, Quote, 'Quote', input.quoteId, async (scope, quote) => {
    assertVersion(quote, input.expectedVersion, 'quote');
    if (!canBecomeContract(quote.status)) {
      throw new AppError(
        ErrorCode.INVALID_TRANSITION,
        M.quoteNotAccepted({ number: quote.number, status: quote.status }),
      );
    }
    const [existing] = await scope.em.execute<{ number: string }[]>(
      'SELECT number FROM contract WHERE source_quote_id = ?::bigint AND deleted_at IS NULL',
      [quote.id],
    );
    if (existing) {
      throw new AppError(ErrorCode.CONFLICT, M.quoteAlreadyContract({ quote: quote.number, contract: existing.number }), ['input', 'quoteId']);
    }
    return newContract(scope.em, scope, {
      title: input.title ? requireTitle(input.title) : (quote.title ?? `${quote.number}`),
      signedDate: input.signedDate,
      startDate: input.startDate,
      endDate: input.endDate,
      amount: quote.total,
      currency: quote.currency,
      notes: cleanText(input.notes) ?? null,
      sourceQuote: quote,
    });
  });
}

/** 修改合同. The amount never drops below what is received or planned; the currency is fixed once money is recorded. */
export async function updateContract(ctx: Context, input: ContractUpdateInput): Promise<Contract> {
  return editLiveRecord(ctx, Contract, 'Contract', input.id, async ({ em }, contract) => {
    assertVersion(contract, input.expectedVersion, 'contract');
    if (input.title) contract.title = requireTitle(input.title);
    if (input.signedDate !== undefined) contract.signedDate = input.signedDate;
    if (input.startDate !== undefined) contract.startDate = input.startDate;
    if (input.endDate !== undefined) contract.endDate = input.endDate;
    assertDates(contract);
    if (input.notes !== undefined) contract.notes = cleanText(input.notes) ?? null;
    const amount = input.amount ? parseDecimal(input.amount, RULES.money, ['input', 'amount'], 'amount') : undefined;
    const currency = input.currency ? parseCurrency(input.currency, ['input', 'currency']) : undefined;
    if ((amount && !amount.eq(contract.amount)) || (currency && currency !== contract.currency)) {
      const balances = await contractBalances(em, contract.id);
      if (amount?.lt(balances.received)) {
        throw validationFailed(['input', 'amount'], M.amountBelowReceived({ amount: `${balances.received.toFixed(2)} ${contract.currency}` }));
      }
      if (amount?.lt(balances.planned)) {
        throw validationFailed(['input', 'amount'], M.amountBelowPlanned({ amount: `${balances.planned.toFixed(2)} ${contract.currency}` }));
      }
      if (currency && currency !== contract.currency && balances.receiptCount + balances.receivableCount > 0) {
        throw validationFailed(['input', 'currency'], M.currencyFixed());
      }
      if (amount) contract.amount = amount.toFixed(2);
      if (currency) contract.currency = currency;
    }
    contract.updatedAt = new Date();
    await em.flush();
    return contract;
  });
}

/** One step of the contract's status machine (contract-status.ts). */
export async function changeContractStatus(ctx: Context, input: ContractStatusChangeInput): Promise<Contract> {
  return editLiveRecord(ctx, Contract, 'Contract', input.id, async ({ em }, contract) => {
    assertVersion(contract, input.expectedVersion, 'contract');
    assertTransition(CONTRACT_TRANSITIONS, contract.status, input.status, 'contract');
    contract.status = input.status;
    contract.updatedAt = new Date();
    await em.flush();
    return contract;
  });
}

/**
 * 删除合同 (soft). Refused while the contract has receipts: money received is evidence that must
 * be deleted deliberately, one receipt at a time. Its receivables (planned payments, meaningless
 * without the contract) are soft-deleted with it, each recorded in the customer's history.
 */
export async function deleteContract(ctx: Context, input: ContractDeleteInput): Promise<string> {
  return editLiveRecord(ctx, Contract, 'Contract', input.id, async (scope, contract) => {
    assertVersion(contract, input.expectedVersion, 'contract');
    const balances = await contractBalances(scope.em, contract.id);
    if (balances.receiptCount > 0) {
      throw new AppError(
        ErrorCode.CONFLICT,
        M.contractHasReceipts({ number: contract.number, count: balances.receiptCount, amount: `${balances.received.toFixed(2)} ${contract.currency}` }),
        ['input', 'id'],
      );
    }
    const at = new Date();
    deleteRecord(scope, contract, { type: 'Contract', summary: `${contract.number} ${contract.title} (${contract.amount} ${contract.currency})` }, at);
    const receivables = await scope.em.execute<{ id: string; amount: string; due_date: string }[]>(
      `UPDATE receivable SET deleted_at = ?, deleted_by_id = ?::bigint, version = version + 1, updated_at = ?
       WHERE contract_id = ?::bigint AND deleted_at IS NULL
       RETURNING id::text AS id, amount::text AS amount, due_date::text AS due_date`,
      [at, scope.viewer.id, at, contract.id],
    );
    for (const r of receivables) {
      recordDeletion(scope, { type: 'Receivable', id: r.id, summary: receivableSummary(r.amount, contract.currency, r.due_date, contract.number) });
    }
    await scope.em.flush();
    return contract.nodeId;
  });
}

/** A customer's contracts, newest first (empty for a customer the viewer may not read). */
export function customerContracts(ctx: Context, customer: Customer, args: PageArgs): MaybePromise<ConnectionResult<Contract>> {
  return pageUnderCustomer(ctx, customer, (id) => ctx.loaders.contractsPage(args).get(id));
}

/** A live contract the viewer may read; null exactly as for a missing one. */
export function readableContract(ctx: Context, id: string): MaybePromise<Contract | null> {
  return readableRecord(ctx, ctx.loaders.contractById.get(id));
}

/** The live contract made from a quote, if the viewer may read it. */
export function contractOfQuote(ctx: Context, quote: Quote): MaybePromise<Contract | null> {
  return readableRecord(ctx, ctx.loaders.contractBySourceQuoteId.get(quote.id));
}

