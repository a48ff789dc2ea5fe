import { companyTodayFor } from '../common/company-calendar.js';
import type { ConnectionResult } from '../common/connection.js';
import type { PageArgs } from '../common/keyset.js';
import { Dec } from '../common/money.js';
import { emptyConnection } from '../common/record-edits.js';
import type { Context } from '../context.js';
import type { Contract } from '../contracts/contract.entity.js';
import { readableCustomer } from '../customers/customer-records.js';
import type { Customer } from '../customers/customer.entity.js';
import type { MoneyTotals } from './money-totals.js';
import type { Receipt } from './receipt.entity.js';
import { receivableStatus } from './receivable-status.js';
import type { Receivable, ReceivableStatus } from './receivable.entity.js';

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

export async function customerReceivables(ctx: Context, customer: Customer, args: PageArgs): Promise<ConnectionResult<Receivable>> {
  if (!(await readableCustomer(ctx, customer.id))) return emptyConnection();
  return ctx.loaders.customerReceivablesPage(args).load(customer.id);
}

export async function customerReceipts(ctx: Context, customer: Customer, args: PageArgs): Promise<ConnectionResult<Receipt>> {
  if (!(await readableCustomer(ctx, customer.id))) return emptyConnection();
  return ctx.loaders.customerReceiptsPage(args).load(customer.id);
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
    status: receivableStatus(receivable.amount, received, receivable.dueDate, await companyTodayFor(ctx.em)),
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
