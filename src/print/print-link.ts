import { createHash } from 'node:crypto';
import { registerEnumType } from 'type-graphql';
import type { TokenService } from '../auth/token.js';
import { RequestError } from '../common/errors.js';
import { LIST_PARAM_NAMES, type RawListParams } from './list-params.js';
import { M } from '../common/messages.js';

// Signed links: a browser tab can't send a bearer token, so `printLinkCreate` hands out a URL that
// carries a short-lived token of its own. The token
// - has `scope: 'print'`, which the API refuses (context.ts), so it can never call GraphQL;
// - is bound to exactly one document: its kind, the customer or the list parameters, hashed from
//   the URL's own values, so changing the customer, the view, the filter, the search or the order
//   makes it invalid (401);
// - names its user, who must still be active when it is opened; visibility and masking are those
//   of that moment.

export const PRINT_SCOPE = 'print';

/** The query parameter that carries a link's token. */
export const LINK_PARAM = 'link';

export enum PrintKind {
  CUSTOMER = 'CUSTOMER',
  LIST = 'LIST',
  CSV = 'CSV',
}

registerEnumType(PrintKind, {
  name: 'PrintKind',
  description: 'Which document a print link opens.',
  valuesConfig: {
    CUSTOMER: { description: "GET /print/customers/:id: one customer's whole record, printable." },
    LIST: { description: 'GET /print/customers: a customer list, printable.' },
    CSV: { description: 'GET /export/customers.csv: a customer list as CSV.' },
  },
});

/** One document: a customer's record (its global id) or a list with its URL parameters. */
export interface PrintTarget {
  kind: PrintKind;
  customerId?: string;
  params: RawListParams;
}

export function pathOf(target: PrintTarget): string {
  switch (target.kind) {
    case PrintKind.CUSTOMER:
      return `/print/customers/${encodeURIComponent(target.customerId ?? '')}`;
    case PrintKind.LIST:
      return '/print/customers';
    case PrintKind.CSV:
      return '/export/customers.csv';
  }
}

/** The document's URL (relative to the server), with `link` when given. */
export function urlOf(target: PrintTarget, link?: string): string {
  const query = new URLSearchParams();
  for (const name of LIST_PARAM_NAMES) {
    const value = target.params[name];
    if (value !== undefined) query.set(name, value);
  }
  if (link) query.set(LINK_PARAM, link);
  const text = query.toString();
  return text ? `${pathOf(target)}?${text}` : pathOf(target);
}

function binding(target: PrintTarget): string {
  const parts = [target.kind, target.customerId ?? null, ...LIST_PARAM_NAMES.map((name) => target.params[name] ?? null)];
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

export async function signLink(
  tokens: TokenService,
  userId: string,
  target: PrintTarget,
  ttlSeconds: number,
): Promise<{ url: string; expiresAt: Date }> {
  const { token, expiresAt } = await tokens.sign(userId, { scope: PRINT_SCOPE, kind: target.kind, bind: binding(target) }, ttlSeconds);
  return { url: urlOf(target, token), expiresAt };
}

/**
 * The user a link was signed for, when it is a valid, unexpired print link for exactly `target`;
 * 401 otherwise (whether the user is still active is the context's check).
 */
export async function verifyLink(tokens: TokenService, link: string, target: PrintTarget): Promise<string> {
  const claims = await tokens.verify(link);
  if (!claims || claims.scope !== PRINT_SCOPE) {
    throw new RequestError('UNAUTHENTICATED', M.linkInvalid(), 401);
  }
  if (claims.kind !== target.kind || claims.bind !== binding(target)) {
    throw new RequestError('UNAUTHENTICATED', M.linkForOtherDocument(), 401);
  }
  return claims.sub;
}
