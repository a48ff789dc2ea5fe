import { requireViewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import { AppError, ErrorCode } from '../common/errors.js';
import { decodeGlobalId, type NodeTypeName } from '../common/ids.js';
import type { Node } from '../common/node.js';
import { findVisibleRelation } from '../contacts/contact-relation.service.js';
import { findVisibleContact } from '../contacts/contact.service.js';
import { readableRecord } from '../customers/customer-records.js';
import { loadVisibleCustomer } from '../customers/customer.service.js';
import { all, type MaybePromise } from '../common/maybe.js';
import { loadVisibleAttachment } from '../attachments/attachment.service.js';
import { findVisibleInteraction } from '../interactions/interaction.service.js';
import { findOwnNotification } from '../notifications/notification.service.js';
import { readableQuote, readableQuoteItem } from '../quotes/quote.service.js';
import { readableContract } from '../contracts/contract.service.js';
import { readableReceipt, readableReceivable } from '../payments/payment-reads.js';
import { findAccess } from '../print/access-log.js';
import { M } from '../common/messages.js';

type Fetcher = (ctx: Context, id: string) => MaybePromise<Node | null>;

// Each type's lookup applies that type's visibility: a record of an invisible customer is null,
// exactly like a missing one.
const FETCHERS: Partial<Record<NodeTypeName, Fetcher>> = {
  User: (ctx, id) => ctx.loaders.userById.get(id),
  Customer: (ctx, id) => loadVisibleCustomer(ctx, id),
  OwnershipEvent: (ctx, id) => readableRecord(ctx, ctx.loaders.eventById.get(id)),
  Attachment: (ctx, id) => loadVisibleAttachment(ctx, id),
  Contact: (ctx, id) => findVisibleContact(ctx, id),
  ContactRelation: (ctx, id) => findVisibleRelation(ctx, id),
  Interaction: (ctx, id) => findVisibleInteraction(ctx, id),
  Notification: (ctx, id) => findOwnNotification(ctx, id),
  Quote: readableQuote,
  QuoteItem: readableQuoteItem,
  Contract: readableContract,
  Receivable: readableReceivable,
  Receipt: readableReceipt,
  DocumentAccess: findAccess,
};

export function findNode(ctx: Context, globalId: string): MaybePromise<Node | null> {
  requireViewer(ctx);
  const decoded = decodeGlobalId(globalId);
  const fetch = decoded && FETCHERS[decoded.type as NodeTypeName];
  return fetch ? fetch(ctx, decoded.id) : null;
}

export const MAX_NODES = 100;

export function findNodes(ctx: Context, globalIds: string[]): MaybePromise<(Node | null)[]> {
  requireViewer(ctx);
  if (globalIds.length < 1 || globalIds.length > MAX_NODES) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, M.idsCount({ field: 'ids', max: MAX_NODES, what: 'ids' }), ['ids']);
  }
  return all(globalIds.map((id) => findNode(ctx, id)));
}
