import { Dec } from '../common/money.js';
import { ReceivableStatus } from './receivable.entity.js';

/**
 * A receivable's status from its amount, what was received against it, its due date and today's
 * date in the company's time zone (all YYYY-MM-DD). It is overdue from the day after the due date.
 */
export function receivableStatus(amount: string, received: string, dueDate: string, today: string): ReceivableStatus {
  const paid = new Dec(received);
  if (paid.gte(amount)) return ReceivableStatus.RECEIVED;
  if (dueDate < today) return ReceivableStatus.OVERDUE;
  return paid.gt(0) ? ReceivableStatus.PARTLY_RECEIVED : ReceivableStatus.OUTSTANDING;
}
