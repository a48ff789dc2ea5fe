import { AppError, notFound, validationFailed } from '../common/errors.js';
import { requireViewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import { getCustomer } from '../customers/customer.service.js';
import { customerListQuery } from '../customers/customer-list.js';
import { rawListParams } from './list-params.js';
import { PrintKind, signLink, type PrintTarget } from './print-link.js';
import type { PrintLinkCreateInput } from './print.inputs.js';
import { M } from '../common/messages.js';

const LIST_FIELDS = ['view', 'filter', 'search', 'orderBy'] as const;

/** What the input asks for, checked as the route will check it when the link is opened. */
async function linkTarget(ctx: Context, input: PrintLinkCreateInput): Promise<PrintTarget> {
  if (input.kind === PrintKind.CUSTOMER) {
    for (const field of LIST_FIELDS) {
      if (input[field] !== undefined && input[field] !== null) {
        throw validationFailed(['input', field], M.printParamNotForCustomer({ field }));
      }
    }
    if (!input.customerId) throw validationFailed(['input', 'customerId'], M.customerLinkNeedsId());
    if (!(await getCustomer(ctx, input.customerId))) {
      throw notFound('Customer', ['input', 'customerId']);
    }
    return { kind: input.kind, customerId: input.customerId, params: {} };
  }
  if (input.customerId !== undefined && input.customerId !== null) {
    throw validationFailed(['input', 'customerId'], M.customerIdOnlyForCustomer());
  }
  if (!input.view) throw validationFailed(['input', 'view'], M.linkNeedsView({ kind: input.kind }));
  // The input passed the same checks as the arguments of `customers` (the link's URL passes them
  // again when opened); what the list itself refuses (a view the role may not list, an order
  // that needs a search) is refused now.
  const args = { view: input.view, filter: input.filter, search: input.search, orderBy: input.orderBy };
  try {
    await customerListQuery(ctx, args);
  } catch (error) {
    if (error instanceof AppError) throw new AppError(error.code, error.text, ['input', ...(error.field ?? [])], error.details);
    throw error;
  }
  return { kind: input.kind, params: rawListParams(args) };
}

/** A signed, short-lived URL for exactly this document, for the viewer (see print-link.ts). */
export async function createPrintLink(ctx: Context, input: PrintLinkCreateInput): Promise<{ url: string; expiresAt: Date }> {
  const viewer = requireViewer(ctx);
  const target = await linkTarget(ctx, input);
  return signLink(ctx.app.tokens, viewer.id, target, ctx.app.config.printLinkTtlSeconds);
}
