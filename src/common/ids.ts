// Global, opaque node IDs: base64url("Type:internalId"). Clients never parse them; the server
// checks the type on every decode so that a Contact id can't be passed where a Customer id goes.

import { base64url } from './base64url.js';

export type NodeTypeName =
  | 'User'
  | 'Customer'
  | 'OwnershipEvent'
  | 'Contact'
  | 'ContactRelation'
  | 'Interaction'
  | 'Quote'
  | 'QuoteItem'
  | 'Contract'
  | 'Receivable'
  | 'Receipt'
  | 'Attachment'
  | 'DocumentAccess'
  | 'Notification'
  | 'ApiKey';

export function toGlobalId(type: NodeTypeName, id: string | number): string {
  return base64url(`${type}:${id}`);
}

export interface DecodedId {
  type: string;
  id: string;
}

/** Decodes any well-formed global id; undefined for malformed input. */
export function decodeGlobalId(globalId: string): DecodedId | undefined {
  if (typeof globalId !== 'string' || globalId.length === 0 || globalId.length > 100) return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(globalId)) return undefined;
  const text = Buffer.from(globalId, 'base64url').toString('utf8');
  const match = /^([A-Za-z]+):([1-9][0-9]{0,17})$/.exec(text);
  if (!match) return undefined;
  return { type: match[1]!, id: match[2]! };
}

/** The internal id when `globalId` names a `type`; undefined otherwise (treated as not found). */
export function fromGlobalId(type: NodeTypeName, globalId: string): string | undefined {
  const decoded = decodeGlobalId(globalId);
  return decoded?.type === type ? decoded.id : undefined;
}
