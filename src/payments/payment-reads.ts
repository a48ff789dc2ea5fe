import { emptyConnection, type ConnectionResult } from '../common/connection.js';
import type { PageArgs } from '../common/keyset.js';
import { andThen, type MaybePromise } from '../common/maybe.js';
import { Dec } from '../common/money.js';
import type { Context } from '../context.js';
import type { Contract } from '../contracts/contract.entity.js';
import { pageUnderCustomer, readableCustomer, readableRecord } from '../customers/customer-records.js';
import type { Customer } from '../customers/customer.entity.js';
import type { MoneyTotals } from './money-totals.js';
import type { Receipt } from './receipt.entity.js';
import { receivableStatus } from './receivable-status.js';
import type { Receivable, ReceivableStatus } from './receivable.entity.js';

// Reads. Contracts reach the API only through readable paths; the checks below make every
// nested path enforce it anyway.

/** A page under a record of a customer: empty for a customer the viewer may not read. */
function pageUnder<T>(ctx: Context, customerId: string, page: () => MaybePromise<ConnectionResult<T>>): MaybePromise<ConnectionResult<T>> {
  return andThen(readableCustomer(ctx, customerId), (customer) => (customer ? page() : emptyConnection<T>()));
}

export function contractReceivables(ctx: Context, contract: Contract, args: PageArgs): MaybePromise<ConnectionResult<Receivable>> {
  return pageUnder(ctx, contract.customer.id, () => ctx.loaders.receivablesPage(args).get(contract.id));
}

export function contractReceipts(ctx: Context, contract: Contract, args: PageArgs): MaybePromise<ConnectionResult<Receipt>> {
  return pageUnder(ctx, contract.customer.id, () => ctx.loaders.receiptsPage(args).get(contract.id));
}

export function receivableReceipts(ctx: Context, receivable: Receivable, args: PageArgs): MaybePromise<ConnectionResult<Receipt>> {
  return pageUnder(ctx, receivable.customer.id, () => ctx.loaders.receivableReceiptsPage(args).get(receivable.id));
}

export function customerReceivables(ctx: Context, customer: Customer, args: PageArgs): MaybePromise<ConnectionResult<Receivable>> {
  return pageUnderCustomer(ctx, customer, (id) => ctx.loaders.customerReceivablesPage(args).get(id));
}

export function customerReceipts(ctx: Context, customer: Customer, args: PageArgs): MaybePromise<ConnectionResult<Receipt>> {
  return pageUnderCustomer(ctx, customer, (id) => ctx.loaders.customerReceiptsPage(args).get(id));
}

export function customerMoneyTotals(ctx: Context, customer: Customer): MaybePromise<MoneyTotals[]> {
  return andThen(readableCustomer(ctx, customer.id), (readable) => (readable ? ctx.loaders.moneyTotalsByCustomerId.get(customer.id) : []));
}

export interface ReceivableState {
  received: string;
  outstanding: string;
  status: ReceivableStatus;
}

export function receivableState(ctx: Context, receivable: Receivable): MaybePromise<ReceivableState> {
  return andThen(ctx.loaders.receivedByReceivableId.get(receivable.id), (received) => ({
    received,
    outstanding: new Dec(receivable.amount).minus(received).toFixed(2),
    status: receivableStatus(receivable.amount, received, receivable.dueDate, ctx.today),
  }));
}

export function readableReceivable(ctx: Context, id: string): MaybePromise<Receivable | null> {
  return readableRecord(ctx, ctx.loaders.receivableById.get(id));
}

export function readableReceipt(ctx: Context, id: string): MaybePromise<Receipt | null> {
  return readableRecord(ctx, ctx.loaders.receiptById.get(id));
}
