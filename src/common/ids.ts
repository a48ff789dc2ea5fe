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
  return (encoders[type] ??= prefixedEncoder(`${type}:`))(typeof id === 'string' ? id : String(id));
}

// A page writes thousands of ids, all of them "Type:" and a number. The type's part is the same
// every time, so it is encoded once per type: base64 turns each 3 bytes into 4 characters, so the
// prefix's whole groups of 3 bytes encode on their own, and only its last 1 or 2 bytes go with
// the id's digits. Those are encoded here, as character codes into an array kept per type and
// length (prefilled with the prefix's codes, so that an id allocates nothing but its string), and
// the string made from it in one step. Anything but ASCII takes base64url() (the same text either
// way; tests/formats.test.ts).

const ALPHABET = Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', (c) => c.charCodeAt(0));
const encoders: Partial<Record<NodeTypeName, (id: string) => string>> = {};

/** base64url(prefix + text), for an ASCII `prefix`, as a function of `text`. */
function prefixedEncoder(prefix: string): (text: string) => string {
  const head = Array.from(prefix, (c) => c.charCodeAt(0));
  const whole = head.length - (head.length % 3);
  const encodedHead: number[] = [];
  for (let i = 0; i < whole; i += 3) {
    const bits = (head[i]! << 16) | (head[i + 1]! << 8) | head[i + 2]!;
    encodedHead.push(ALPHABET[bits >> 18]!, ALPHABET[(bits >> 12) & 63]!, ALPHABET[(bits >> 6) & 63]!, ALPHABET[bits & 63]!);
  }
  const rest = head.slice(whole);
  const byteOf = (text: string, i: number) => (i < rest.length ? rest[i]! : text.charCodeAt(i - rest.length));
  /** By the length of the encoded text: its codes, the prefix's already in place. */
  const outputs: number[][] = [];
  return (text) => {
    if (text.length > MAX_DIRECT) return base64url(prefix + text);
    const n = rest.length + text.length;
    // 4 characters per 3 bytes, and 2 or 3 for a last group of 1 or 2 (no padding).
    const length = encodedHead.length + Math.floor(n / 3) * 4 + (n % 3 === 0 ? 0 : (n % 3) + 1);
    const codes = (outputs[length] ??= [...encodedHead, ...new Array<number>(length - encodedHead.length).fill(0)]);
    let o = encodedHead.length;
    for (let i = 0; i < n; i += 3) {
      const b0 = byteOf(text, i);
      const b1 = i + 1 < n ? byteOf(text, i + 1) : 0;
      const b2 = i + 2 < n ? byteOf(text, i + 2) : 0;
      if ((b0 | b1 | b2) > 0x7f) return base64url(prefix + text);
      const bits = (b0 << 16) | (b1 << 8) | b2;
      codes[o++] = ALPHABET[bits >> 18]!;
      codes[o++] = ALPHABET[(bits >> 12) & 63]!;
      if (i + 1 < n) codes[o++] = ALPHABET[(bits >> 6) & 63]!;
      if (i + 2 < n) codes[o++] = ALPHABET[bits & 63]!;
    }
    return String.fromCharCode.apply(null, codes);
  };
}

/** Longer ids than any bigint go the general way (they are malformed anyway). */
const MAX_DIRECT = 40;

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
