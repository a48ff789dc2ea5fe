import type { RequestLoader } from '../common/batch-scheduler.js';
import type { Reads } from '../common/reads.js';
import { recordLoader } from '../common/record-loaders.js';
import { DocumentAccess } from './document-access.entity.js';

export interface PrintLoaders {
  /** Access log rows by id. Who may read them is the caller's check (admins). */
  documentAccessById: RequestLoader<string, DocumentAccess | null>;
}

export function createPrintLoaders(reads: Reads): PrintLoaders {
  return { documentAccessById: recordLoader(reads, DocumentAccess) };
}
