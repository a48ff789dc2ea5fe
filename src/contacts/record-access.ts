import { AppError, ErrorCode } from '../common/errors.js';
import type { Context } from '../context.js';
import { editCustomerRecords, readableCustomer, type EditScope } from '../customers/customer-records.js';

/**
 * `editCustomerRecords` for a record reached by id (or a customer by id): a missing record and one
 * whose customer the viewer can't see give the same NOT_FOUND, naming the input field.
 */
export async function editRecordsOf<T>(
  ctx: Context,
  customerId: string | undefined,
  what: string,
  field: string[],
  change: (scope: EditScope) => Promise<T>,
): Promise<T> {
  if (!customerId || !(await readableCustomer(ctx, customerId))) {
    throw new AppError(ErrorCode.NOT_FOUND, `${what} not found`, field);
  }
  return editCustomerRecords(ctx, customerId, change, { notFound: what });
}

/** STALE_VERSION unless the record is at the version the client read (when it says one). */
export function assertVersion(record: { version: number }, expected: number | null | undefined, what: string): void {
  if (expected != null && expected !== record.version) {
    throw new AppError(
      ErrorCode.STALE_VERSION,
      `The ${what} changed since version ${expected} (now ${record.version}); reload and try again`,
      ['input', 'expectedVersion'],
    );
  }
}
