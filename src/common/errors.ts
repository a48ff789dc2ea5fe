import { registerEnumType } from 'type-graphql';
import { M, type Language, type Message } from './messages.js';

/** Business outcomes a client is expected to handle; they travel as data in `userErrors`. */
export enum ErrorCode {
  NOT_FOUND = 'NOT_FOUND',
  FORBIDDEN = 'FORBIDDEN',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  ALREADY_CLAIMED = 'ALREADY_CLAIMED',
  DUPLICATE_CUSTOMER = 'DUPLICATE_CUSTOMER',
  STALE_VERSION = 'STALE_VERSION',
  LIMIT_REACHED = 'LIMIT_REACHED',
  COOLDOWN = 'COOLDOWN',
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  ACCOUNT_DEACTIVATED = 'ACCOUNT_DEACTIVATED',
  CONFLICT = 'CONFLICT',
}

registerEnumType(ErrorCode, {
  name: 'ErrorCode',
  description: 'Stable codes of expected business outcomes.',
  valuesConfig: {
    NOT_FOUND: { description: 'The record does not exist or is not visible to the viewer.' },
    FORBIDDEN: { description: 'The viewer may see the record but not do this to it.' },
    INVALID_TRANSITION: { description: 'The action is not possible in the current state.' },
    ALREADY_CLAIMED: { description: 'Someone owns the customer already (see ownerName, claimedAt).' },
    DUPLICATE_CUSTOMER: { description: 'A live customer with the same normalised name exists.' },
    STALE_VERSION: { description: 'The record changed since the client read it (expectedVersion).' },
    LIMIT_REACHED: { description: 'A pool rule limit is reached (see limit).' },
    COOLDOWN: { description: 'The previous owner may not claim the customer back yet (see until).' },
    VALIDATION_FAILED: { description: 'The input is invalid (see field).' },
    INVALID_CREDENTIALS: { description: 'Unknown email or wrong password.' },
    ACCOUNT_DEACTIVATED: { description: 'The account is deactivated.' },
    CONFLICT: { description: 'The change conflicts with existing data.' },
  },
});

/** Codes that only ever appear as top-level GraphQL errors (`extensions.code`). */
export type TopLevelCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'QUERY_TOO_COMPLEX'
  | 'TIMEOUT'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL_SERVER_ERROR';

export interface ErrorDetails {
  ownerName?: string | null;
  claimedAt?: Date | null;
  until?: Date | null;
  limit?: number | null;
}

/**
 * A domain error with a stable code. Thrown by services; mapped in one place (`error-mapping.ts`)
 * to `userErrors` in mutation payloads, or to a top-level error when `topLevel` is set or the
 * operation has no payload. Its `message` is the English text (for logs); `text` is the catalogue
 * entry (messages.ts), rendered in the viewer's language where the error is mapped.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly text: Message,
    readonly field?: string[],
    readonly details: ErrorDetails = {},
  ) {
    super(text.text('en'));
    this.name = 'AppError';
  }

  /** The message in `language`. */
  render(language: Language): string {
    return this.text.text(language);
  }
}

/** A refusal of the whole operation, never part of a payload: UNAUTHENTICATED, role FORBIDDEN. */
export class RequestError extends Error {
  constructor(
    readonly code: TopLevelCode,
    readonly text: Message,
    readonly httpStatus?: number,
    /** TOO_MANY_REQUESTS: when to try again (the Retry-After header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(text.text('en'));
    this.name = 'RequestError';
  }

  /** The message in `language`. */
  render(language: Language): string {
    return this.text.text(language);
  }
}

/** NOT_FOUND naming the record (`what`: its English name, e.g. 'Customer'; messages.ts has the others). */
export const notFound = (what = 'Record', field?: string[]) => new AppError(ErrorCode.NOT_FOUND, M.notFound({ what }), field);

/** The value, or NOT_FOUND naming `what` when there is none. */
export function found<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw notFound(what);
  return value;
}

export const validationFailed = (field: string[], message: Message) => new AppError(ErrorCode.VALIDATION_FAILED, message, field);
