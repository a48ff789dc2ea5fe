import type { RequestLoader } from '../common/batch-scheduler.js';
import type { ConnectionResult } from '../common/connection.js';
import type { PageArgs } from '../common/keyset.js';
import { pageLoaders } from '../common/page-loaders.js';
import { paginateByParent } from '../common/pagination.js';
import type { Reads } from '../common/reads.js';
import { recordLoader } from '../common/record-loaders.js';
import { Contract } from './contract.entity.js';

export interface ContractLoaders {
  /** Live contracts by id (deleted ones are null). */
  contractById: RequestLoader<string, Contract | null>;
  /** The live contract made from a quote, by quote id. */
  contractBySourceQuoteId: RequestLoader<string, Contract | null>;
  /** A customer's live contracts, newest first. */
  contractsPage(args: PageArgs): RequestLoader<string, ConnectionResult<Contract>>;
}

export function createContractLoaders(reads: Reads): ContractLoaders {
  return {
    contractById: recordLoader(reads, Contract, { where: 'x.deleted_at IS NULL' }),
    contractBySourceQuoteId: recordLoader(reads, Contract, { column: 'source_quote_id', where: 'x.deleted_at IS NULL' }),
    contractsPage: pageLoaders((customerIds, args) =>
      paginateByParent(
        reads,
        {
          select: reads.columns(Contract, 'c'),
          from: 'contract c',
          parentColumn: 'c.customer_id',
          where: [{ sql: 'c.deleted_at IS NULL', params: [] }],
          keys: [
            { sql: 'c.created_at', cast: 'timestamptz', desc: true, nullable: false },
            { sql: 'c.id', cast: 'bigint', desc: true, nullable: false },
          ],
          signature: 'contracts',
        },
        customerIds,
        args,
        (row) => reads.read(Contract, row),
      ),
    ),
  };
}
