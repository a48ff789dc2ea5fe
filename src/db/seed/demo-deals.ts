import { Dec } from '../../common/money.js';
import type { Context } from '../../context.js';
import { ContractStatus, type Contract } from '../../contracts/contract.entity.js';
import { changeContractStatus, createContract, createContractFromQuote } from '../../contracts/contract.service.js';
import { ReceiptMethod } from '../../payments/receipt.entity.js';
import { createReceipt, createReceivable } from '../../payments/payment.service.js';
import { QuoteStatus } from '../../quotes/quote.entity.js';
import { changeQuoteStatus, createQuote } from '../../quotes/quote.service.js';
import { addDays, type DemoCalendar } from './demo-calendar.js';
import { BANKS, DIRECT_CONTRACTS, DISCOUNTS, PAYMENT_PLANS, PRODUCTS, QUOTE_NOTES, QUOTE_THEMES } from './demo-texts.js';
import type { DemoCustomer } from './demo-world.js';
import type { Random } from './random.js';

// 报价, 合同, 应收 and 已收 of an owned customer, written by its owner: quotes in every status,
// accepted quotes turned into contracts, contracts signed directly, and their payment plans with
// what has been received so far (some of it late).

export interface DealCounts {
  quotes: number;
  contracts: number;
  receivables: number;
  receipts: number;
}

const { DRAFT, SENT, ACCEPTED, REJECTED, EXPIRED } = QuoteStatus;
/** Where quotes end up, and how often. */
const QUOTE_FATES = [[DRAFT, 3], [SENT, 4], [ACCEPTED, 6], [REJECTED, 2], [EXPIRED, 1]] as const;

/** How long ago a quote in each final status was made, in days. */
const QUOTE_AGE: Record<QuoteStatus, readonly [number, number]> = {
  DRAFT: [0, 10],
  SENT: [3, 25],
  ACCEPTED: [25, 115],
  REJECTED: [15, 90],
  EXPIRED: [50, 110],
};

/** The status steps from DRAFT to each status. */
const QUOTE_STEPS: Record<QuoteStatus, readonly QuoteStatus[]> = {
  DRAFT: [],
  SENT: [SENT],
  ACCEPTED: [SENT, ACCEPTED],
  REJECTED: [SENT, REJECTED],
  EXPIRED: [SENT, EXPIRED],
};

/** How customers pay: mostly by bank transfer. */
const METHODS = [
  [ReceiptMethod.BANK_TRANSFER, 8],
  [ReceiptMethod.WECHAT_PAY, 2],
  [ReceiptMethod.ALIPAY, 2],
  [ReceiptMethod.CHEQUE, 1],
] as const;

function reference(rnd: Random, method: ReceiptMethod, date: string): string {
  const serial = `${date.replaceAll('-', '')}${String(rnd.int(0, 999999)).padStart(6, '0')}`;
  switch (method) {
    case ReceiptMethod.WECHAT_PAY:
      return `微信支付交易单号 4200${serial}`;
    case ReceiptMethod.ALIPAY:
      return `支付宝交易号 2088${serial}`;
    case ReceiptMethod.CHEQUE:
      return `转账支票 No.${String(rnd.int(0, 99999999)).padStart(8, '0')}`;
    default:
      return `${rnd.pick(BANKS)}流水号 ${serial}`;
  }
}

/** Splits an amount by percentages, in cents; the last part takes the rounding remainder. */
function split(amount: string, shares: readonly number[]): string[] {
  const total = new Dec(amount);
  const parts = shares.slice(0, -1).map((share) => total.mul(share).div(100).toDecimalPlaces(2, Dec.ROUND_DOWN));
  const last = parts.reduce((rest, part) => rest.minus(part), total);
  return [...parts, last].map((part) => part.toFixed(2));
}

type PaymentPlan = (typeof PAYMENT_PLANS)[number];

/** What was received on a receivable by today. */
function collected(rnd: Random, completed: boolean, past: boolean): 'all' | 'part' | 'none' {
  const roll = rnd.next();
  // A completed contract is paid in full; on an active one, a due payment came on time, in part
  // or not yet (overdue), and now and then a part of a coming one came early.
  if (completed) return 'all';
  if (past) return roll < 0.6 ? 'all' : roll < 0.78 ? 'part' : 'none';
  return roll < 0.2 ? 'part' : 'none';
}

/** Receivables from a payment plan, and the receipts against them. */
async function seedPayments(
  ctx: Context,
  rnd: Random,
  calendar: DemoCalendar,
  contract: Contract,
  plan: PaymentPlan,
  completed: boolean,
  counts: DealCounts,
): Promise<void> {
  const signed = contract.signedDate!;
  for (const [i, amount] of split(contract.amount, plan.shares).entries()) {
    const dueDate = addDays(signed, plan.dueAfter[i]!);
    const receivable = await createReceivable(ctx, { contractId: contract.nodeId, amount, dueDate, notes: plan.labels[i] });
    counts.receivables++;
    const past = dueDate < calendar.today;
    const received = collected(rnd, completed, past);
    if (received === 'none') continue;
    const value = received === 'all' ? amount : new Dec(amount).div(2).toDecimalPlaces(0, Dec.ROUND_DOWN).toFixed(2);
    const on = past ? addDays(dueDate, -rnd.int(0, 5)) : calendar.day(-rnd.int(0, 10));
    const receivedOn = on < signed ? signed : on > calendar.today ? calendar.today : on;
    const method = rnd.weighted(METHODS);
    await createReceipt(ctx, {
      contractId: contract.nodeId,
      receivableId: receivable.nodeId,
      amount: value,
      receivedOn,
      method,
      reference: reference(rnd, method, receivedOn),
    });
    counts.receipts++;
  }
}

/** Signs (ACTIVE), plans and collects the money, and completes the contract once all of it was due and paid. */
async function runContract(ctx: Context, rnd: Random, calendar: DemoCalendar, contract: Contract, counts: DealCounts): Promise<void> {
  counts.contracts++;
  await changeContractStatus(ctx, { id: contract.nodeId, status: ContractStatus.ACTIVE });
  const plan = rnd.pick(PAYMENT_PLANS);
  const lastDue = addDays(contract.signedDate!, Math.max(...plan.dueAfter));
  const completed = calendar.daysAgo(lastDue) > 3 && rnd.chance(0.6);
  await seedPayments(ctx, rnd, calendar, contract, plan, completed, counts);
  if (completed) await changeContractStatus(ctx, { id: contract.nodeId, status: ContractStatus.COMPLETED });
}

/** Work starts within ten days of signing and runs for a year. */
function contractDates(rnd: Random, signedDate: string): { signedDate: string; startDate: string; endDate: string } {
  const startDate = addDays(signedDate, rnd.int(0, 10));
  return { signedDate, startDate, endDate: addDays(startDate, 364) };
}

/** A quote with its lines, taken to its fate; an accepted one usually becomes a contract. */
async function seedQuote(ctx: Context, rnd: Random, calendar: DemoCalendar, customer: DemoCustomer, counts: DealCounts): Promise<void> {
  const theme = rnd.pick(QUOTE_THEMES);
  // The first product is what the quote is about; each of the others is left out now and then.
  const products = theme.products.filter((_, i) => i === 0 || rnd.chance(0.75));
  const fate = rnd.weighted(QUOTE_FATES);
  const [minAge, maxAge] = QUOTE_AGE[fate];
  const quoteDate = calendar.day(-rnd.int(minAge, maxAge));
  const quote = await createQuote(ctx, {
    customerId: customer.customer.nodeId,
    title: `${theme.title}报价`,
    quoteDate,
    validUntil: addDays(quoteDate, 30),
    notes: rnd.pick(QUOTE_NOTES),
    items: products.map((key) => {
      const { quantity, ...product } = PRODUCTS[key];
      return { ...product, quantity: String(rnd.int(quantity[0], quantity[1])), discount: rnd.pick(DISCOUNTS) };
    }),
  });
  counts.quotes++;
  for (const status of QUOTE_STEPS[fate]) await changeQuoteStatus(ctx, { id: quote.nodeId, status });
  if (fate !== ACCEPTED || rnd.chance(0.3)) return;
  const contract = await createContractFromQuote(ctx, {
    quoteId: quote.nodeId,
    title: `${theme.title}合同`,
    ...contractDates(rnd, addDays(quoteDate, rnd.int(5, 20))),
  });
  await runContract(ctx, rnd, calendar, contract, counts);
}

/** A quarter of owned customers get quotes; a few sign a contract without one. */
export async function seedDeals(ctx: Context, rnd: Random, calendar: DemoCalendar, customer: DemoCustomer): Promise<DealCounts> {
  const counts: DealCounts = { quotes: 0, contracts: 0, receivables: 0, receipts: 0 };
  if (rnd.chance(0.25)) {
    const quotes = rnd.pick([1, 1, 1, 1, 2]);
    for (let i = 0; i < quotes; i++) await seedQuote(ctx, rnd, calendar, customer, counts);
  }
  if (rnd.chance(0.06)) {
    const kind = rnd.pick(DIRECT_CONTRACTS);
    const contract = await createContract(ctx, {
      customerId: customer.customer.nodeId,
      title: kind.title,
      amount: rnd.pick(kind.amounts),
      ...contractDates(rnd, calendar.day(-rnd.int(10, 110))),
    });
    await runContract(ctx, rnd, calendar, contract, counts);
  }
  return counts;
}
