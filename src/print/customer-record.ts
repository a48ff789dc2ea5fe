import type { MaybePromise } from '../common/maybe.js';
import type { Attachment } from '../attachments/attachment.entity.js';
import { attachmentsOfCustomer } from '../attachments/attachment.service.js';
import type { ConnectionResult } from '../common/connection.js';
import { MAX_PAGE_SIZE, type PageArgs } from '../common/keyset.js';
import { maskAddress, maskEmail, maskPhone } from '../common/masking.js';
import type { ContactRelation, RelationDirection } from '../contacts/contact-relation.entity.js';
import { counterpartOf, relationPhone } from '../contacts/contact-relation.service.js';
import type { Contact } from '../contacts/contact.entity.js';
import { contactDetail, contactRelations, customerContacts } from '../contacts/contact.service.js';
import type { Context } from '../context.js';
import type { Contract } from '../contracts/contract.entity.js';
import { customerContracts } from '../contracts/contract.service.js';
import type { Customer } from '../customers/customer.entity.js';
import { masksFor } from '../customers/customer.service.js';
import type { Interaction } from '../interactions/interaction.entity.js';
import { customerInteractions, interactionContact } from '../interactions/interaction.service.js';
import type { ContractTotals, MoneyTotals } from '../payments/money-totals.js';
import { contractReceipts, contractReceivables, customerMoneyTotals, receivableState } from '../payments/payment-reads.js';
import type { Receipt } from '../payments/receipt.entity.js';
import type { Receivable, ReceivableStatus } from '../payments/receivable.entity.js';
import type { QuoteItem } from '../quotes/quote-item.entity.js';
import type { Quote } from '../quotes/quote.entity.js';
import { customerQuotes, readableQuote } from '../quotes/quote.service.js';
import { User } from '../users/user.entity.js';

// A customer's whole record for its print page, read through the same services and loaders as
// the GraphQL fields (so the same visibility and masking apply on every path), with every value
// already in the form the viewer may see.

/** Rows per section on paper; longer sections say that they were cut. */
export const SECTION_CAP = 500;

export interface Section<T> {
  items: T[];
  /** How many there are when the section was cut at SECTION_CAP; null when all are printed. */
  cutFrom: number | null;
}

export interface ContactDetails {
  mobile: string | null;
  phone: string | null;
  email: string | null;
  imHandle: string | null;
  address: string | null;
}

export interface RelationView {
  relation: ContactRelation;
  direction: RelationDirection;
  phone: string | null;
  /** The contact on the other side, when linked and visible. */
  counterpart: string | null;
}

export interface ContactView {
  contact: Contact;
  details: ContactDetails;
  relations: Section<RelationView>;
}

export interface InteractionView {
  interaction: Interaction;
  contactName: string | null;
  authorName: string;
}

export interface QuoteView {
  quote: Quote;
  items: QuoteItem[];
  authorName: string;
}

export interface ReceivableView {
  receivable: Receivable;
  received: string;
  outstanding: string;
  status: ReceivableStatus;
}

export interface ContractView {
  contract: Contract;
  totals: ContractTotals;
  sourceQuoteNumber: string | null;
  receivables: Section<ReceivableView>;
  receipts: Section<Receipt>;
}

export interface AttachmentView {
  attachment: Attachment;
  uploaderName: string;
  /** What it is on: 客户, or 报价 Q2026-00001, ... */
  recordLabel: string;
}

export interface CustomerRecord {
  customer: Customer;
  masked: boolean;
  phone: string | null;
  email: string | null;
  address: string | null;
  ownerName: string | null;
  createdByName: string;
  sharedWith: string[];
  contacts: Section<ContactView>;
  interactions: Section<InteractionView>;
  quotes: Section<QuoteView>;
  contracts: Section<ContractView>;
  moneyTotals: MoneyTotals[];
  attachments: Section<AttachmentView>;
}

/** Every page of a connection, up to SECTION_CAP rows. */
async function collect<T>(fetch: (args: PageArgs) => MaybePromise<ConnectionResult<T>>): Promise<Section<T>> {
  const items: T[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await fetch({ first: MAX_PAGE_SIZE, after });
    items.push(...page.nodes);
    const more = page.pageInfo.hasNextPage;
    const hasMore = typeof more === 'function' ? await more() : more;
    if (!hasMore || !page.pageInfo.endCursor) return { items, cutFrom: null };
    if (items.length >= SECTION_CAP) {
      const total = page.totalCount;
      return { items: items.slice(0, SECTION_CAP), cutFrom: typeof total === 'function' ? await total() : total };
    }
    after = page.pageInfo.endCursor;
  }
}

async function mapSection<T, U>(section: Section<T>, map: (item: T) => MaybePromise<U>): Promise<Section<U>> {
  return { items: await Promise.all(section.items.map(map)), cutFrom: section.cutFrom };
}

async function userName(ctx: Context, id: string): Promise<string> {
  return (await ctx.loaders.userById.load(id))?.name ?? '';
}

async function contactView(ctx: Context, contact: Contact): Promise<ContactView> {
  const [mobile, phone, email, imHandle, address, sides] = await Promise.all([
    contactDetail(ctx, contact, 'mobile'),
    contactDetail(ctx, contact, 'phone'),
    contactDetail(ctx, contact, 'email'),
    contactDetail(ctx, contact, 'imHandle'),
    contactDetail(ctx, contact, 'address'),
    collect((args) => contactRelations(ctx, contact, args)),
  ]);
  const relations = await mapSection(sides, async (side) => ({
    relation: side.relation,
    direction: side.direction,
    phone: await relationPhone(ctx, side.relation),
    counterpart: (await counterpartOf(ctx, side))?.name ?? null,
  }));
  return { contact, details: { mobile, phone, email, imHandle, address }, relations };
}

async function contractView(ctx: Context, contract: Contract): Promise<ContractView> {
  const [totals, sourceQuote, receivables, receipts] = await Promise.all([
    ctx.loaders.contractTotalsById.load(contract.id),
    contract.sourceQuote ? readableQuote(ctx, contract.sourceQuote.id) : null,
    collect((args) => contractReceivables(ctx, contract, args)),
    collect((args) => contractReceipts(ctx, contract, args)),
  ]);
  return {
    contract,
    totals,
    sourceQuoteNumber: sourceQuote?.number ?? null,
    receivables: await mapSection(receivables, async (receivable) => ({ receivable, ...(await receivableState(ctx, receivable)) })),
    receipts,
  };
}

function recordLabel(attachment: Attachment, labels: Map<string, string>): string {
  return labels.get(`${attachment.recordType}:${attachment.recordId}`) ?? '';
}

/** The record of a customer the viewer can see (the caller checked it, as `customer(id)` does). */
export async function loadCustomerRecord(ctx: Context, customer: Customer): Promise<CustomerRecord> {
  ctx.loaders.customerById.prime(customer.id, customer);
  const masked = masksFor(ctx, customer);
  const [owner, createdByName, shareIds, contacts, interactions, quotes, contracts, moneyTotals, attachments] = await Promise.all([
    customer.owner ? ctx.loaders.userById.load(customer.owner.id) : null,
    userName(ctx, customer.createdBy.id),
    ctx.loaders.shareUserIdsByCustomerId.load(customer.id),
    collect((args) => customerContacts(ctx, customer, args)),
    collect((args) => customerInteractions(ctx, customer, args)),
    collect((args) => customerQuotes(ctx, customer, args)),
    collect((args) => customerContracts(ctx, customer, args)),
    customerMoneyTotals(ctx, customer),
    collect((args) => attachmentsOfCustomer(ctx, customer, args)),
  ]);
  const sharees = await ctx.loaders.userById.loadMany(shareIds);

  const labels = new Map<string, string>([[`Customer:${customer.id}`, '客户']]);
  for (const q of quotes.items) labels.set(`Quote:${q.id}`, `报价 ${q.number}`);
  for (const c of contracts.items) labels.set(`Contract:${c.id}`, `合同 ${c.number}`);
  for (const i of interactions.items) labels.set(`Interaction:${i.id}`, `交往记录 ${i.subject}`);

  return {
    customer,
    masked,
    phone: masked ? maskPhone(customer.phone) : (customer.phone ?? null),
    email: masked ? maskEmail(customer.email) : (customer.email ?? null),
    address: masked ? maskAddress(customer.address) : (customer.address ?? null),
    ownerName: owner?.name ?? null,
    createdByName,
    sharedWith: sharees.filter((u): u is User => u instanceof User).map((u) => u.name),
    contacts: await mapSection(contacts, (contact) => contactView(ctx, contact)),
    interactions: await mapSection(interactions, async (interaction) => ({
      interaction,
      contactName: (await interactionContact(ctx, interaction))?.name ?? null,
      authorName: await userName(ctx, interaction.createdBy.id),
    })),
    quotes: await mapSection(quotes, async (quote) => ({
      quote,
      items: await ctx.loaders.quoteItemsByQuoteId.load(quote.id),
      authorName: await userName(ctx, quote.createdBy.id),
    })),
    contracts: await mapSection(contracts, (contract) => contractView(ctx, contract)),
    moneyTotals,
    attachments: await mapSection(attachments, async (attachment) => ({
      attachment,
      uploaderName: await userName(ctx, attachment.uploadedBy.id),
      recordLabel: recordLabel(attachment, labels),
    })),
  };
}
