import type { EntityManager } from '@mikro-orm/postgresql';
import { assertCan, canView, type CustomerFacts, type Viewer } from '../auth/policy.js';
import { AppError, ErrorCode, validationFailed, notFound } from '../common/errors.js';
import { fromGlobalId, toGlobalId } from '../common/ids.js';
import { and } from '../common/pagination.js';
import { UserError } from '../common/user-error.js';
import { requireViewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import type { Customer } from './customer.entity.js';
import { MAX_SELECTION, type CustomerSelectionInput, type CustomersUpdateInput } from './customer.inputs.js';
import { CustomerAction } from './pool.js';
import { applyCustomerChanges, duplicateNameError, lockCustomer, lockedFacts } from './customer.service.js';
import { customerListQuery } from './customer-list.js';
import { M } from '../common/messages.js';

// Batches of customers (pool actions, batch edits): one transaction per customer with its row
// locked, one result per id in input order; a customer is either fully changed or not at all,
// and a batch where some succeed and some fail is normal.

export interface ActionResult {
  customerId: string;
  customer: Customer | null;
  userErrors: UserError[];
}

export interface Step {
  em: EntityManager;
  viewer: Viewer;
  customer: Customer;
  facts: CustomerFacts;
}

export function checkIds(ids: string[], field = 'customerIds'): void {
  if (new Set(ids).size !== ids.length) throw validationFailed(['input', field], M.listedTwice({ field, what: 'customer' }));
}

/** Runs `step` for each customer in its own transaction. */
export async function forEachCustomer(
  ctx: Context,
  globalIds: string[],
  step: (s: Step) => Promise<void>,
): Promise<ActionResult[]> {
  const viewer = requireViewer(ctx);
  checkIds(globalIds);
  const results: ActionResult[] = [];
  for (const customerId of globalIds) {
    const id = fromGlobalId('Customer', customerId);
    let nameKey: string | undefined;
    try {
      if (!id) throw notFound('Customer');
      const outcome = await ctx.em.transactional(async (em) => {
        const customer = await lockCustomer(em, id);
        if (!customer) throw notFound('Customer');
        nameKey = customer.nameKey;
        await step({ em, viewer, customer, facts: await lockedFacts(em, viewer, customer) });
        await em.flush();
        // What the viewer may see now: after a return they still see it, after an assign away not.
        return { customer, visible: canView(viewer, await lockedFacts(em, viewer, customer)) };
      });
      // What the request read before the change is out of date now.
      ctx.forgetReads();
      results.push({ customerId, customer: outcome.visible ? outcome.customer : null, userErrors: [] });
    } catch (error) {
      const mapped = error instanceof AppError ? error : nameKey && (await duplicateNameError(ctx.em, error, nameKey));
      if (!mapped) throw error;
      results.push({ customerId, customer: null, userErrors: [UserError.from(mapped, ctx.language)] });
    }
  }
  return results;
}

/**
 * The customers of a batch: the given ids, or (全选) every customer the list with `matching` shows
 * now, at most MAX_SELECTION of them (more is LIMIT_REACHED: narrow the filter), in id order.
 */
export async function batchTargets(
  ctx: Context,
  input: { customerIds: string[]; matching?: CustomerSelectionInput | null },
): Promise<string[]> {
  if (!input.matching) return input.customerIds;
  if (input.customerIds.length > 0) {
    throw validationFailed(['input', 'customerIds'], M.customerIdsOrMatching());
  }
  const query = await customerListQuery(ctx, { ...input.matching, orderBy: null });
  const where = and(query.where);
  const rows = await ctx.em.execute<{ id: string }[]>(
    `SELECT c.id::text AS id FROM ${query.from} WHERE ${where.sql} ORDER BY c.id LIMIT ${MAX_SELECTION + 1}`,
    [...(query.fromParams ?? []), ...where.params],
  );
  if (rows.length > MAX_SELECTION) {
    throw new AppError(
      ErrorCode.LIMIT_REACHED,
      M.tooManyMatching({ max: MAX_SELECTION }),
      ['input', 'matching'],
      { limit: MAX_SELECTION },
    );
  }
  return rows.map((r) => toGlobalId('Customer', r.id));
}

/** 批量修改: level, industry, region, source on up to 100 customers, each needing EDIT. */
export function updateCustomers(ctx: Context, input: CustomersUpdateInput): Promise<ActionResult[]> {
  const set = input.set;
  if (Object.values(set).every((v) => v === undefined)) {
    throw validationFailed(['input', 'set'], M.nothingToSet());
  }
  return forEachCustomer(ctx, input.customerIds, async ({ em, viewer, customer, facts }) => {
    assertCan(viewer, CustomerAction.EDIT, facts);
    applyCustomerChanges(em, viewer, customer, set);
  });
}
