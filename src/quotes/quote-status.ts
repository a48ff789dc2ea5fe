import type { Transitions } from '../common/status-machine.js';
import { QuoteStatus } from './quote.entity.js';

const { DRAFT, SENT, ACCEPTED, REJECTED, EXPIRED } = QuoteStatus;

/** draft → sent → accepted / rejected / expired; nothing else. */
export const QUOTE_TRANSITIONS: Transitions<QuoteStatus> = {
  DRAFT: [SENT],
  SENT: [ACCEPTED, REJECTED, EXPIRED],
  ACCEPTED: [],
  REJECTED: [],
  EXPIRED: [],
};

/** Items, prices and the other fields can change only while the quote is a draft. */
export function isQuoteEditable(status: QuoteStatus): boolean {
  return status === DRAFT;
}

/** Only an accepted quote can become a contract. */
export function canBecomeContract(status: QuoteStatus): boolean {
  return status === ACCEPTED;
}
