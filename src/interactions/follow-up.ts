import type { EntityManager } from '@mikro-orm/postgresql';
import type { Customer } from '../customers/customer.entity.js';

/**
 * Recomputes Customer.lastInteractionAt and Customer.nextFollowUpAt from the customer's live
 * interactions, inside the transaction that changed them (the customer row is locked by
 * editCustomerRecords, so writers of one customer take turns and never compute from a stale set).
 *
 * - lastInteractionAt: the latest occurredAt of a live interaction.
 * - nextFollowUpAt: the earliest nextFollowUpAt, among live interactions, that is later than
 *   lastInteractionAt: a follow-up some interaction planned that no interaction since has covered.
 *   Once any interaction happens at or after a planned time, that plan counts as done. It does not
 *   depend on the clock: a planned time that passed with no interaction since stays (overdue).
 *
 * Derived columns: written with SQL so that they neither bump the customer's version (a client
 * editing the customer must not get STALE_VERSION because a colleague logged a call) nor its
 * updatedAt; the entity is then reloaded so the response shows the new values.
 */
export async function recomputeFollowUp(em: EntityManager, customer: Customer): Promise<void> {
  await em.execute(
    `UPDATE customer c
     SET last_interaction_at = s.last_at,
         next_follow_up_at = (
           SELECT min(i.next_follow_up_at) FROM interaction i
           WHERE i.customer_id = c.id AND i.deleted_at IS NULL AND i.next_follow_up_at > s.last_at
         )
     FROM (SELECT max(occurred_at) AS last_at FROM interaction WHERE customer_id = ?::bigint AND deleted_at IS NULL) s
     WHERE c.id = ?::bigint`,
    [customer.id, customer.id],
  );
  await em.refresh(customer);
}
