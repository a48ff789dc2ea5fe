import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import { requestLoader } from '../common/batch-scheduler.js';
import type { ConnectionResult } from '../common/connection.js';
import type { PageArgs } from '../common/keyset.js';
import { pageLoaders } from '../common/page-loaders.js';
import { paginateByParent } from '../common/pagination.js';
import { sqlArray } from '../common/sql.js';
import { Contract } from './contract.entity.js';

export interface ContractLoaders {
  /** Live contracts by id (deleted ones are null). */
  contractById: DataLoader<string, Contract | null>;
  /** The live contract made from a quote, by quote id. */
  contractBySourceQuoteId: DataLoader<string, Contract | null>;
  /** A customer's live contracts, newest first. */
  contractsPage(args: PageArgs): DataLoader<string, ConnectionResult<Contract>>;
}

type Row = Record<string, unknown>;

export function createContractLoaders(em: EntityManager): ContractLoaders {
  const byColumn = (column: 'id' | 'source_quote_id') =>
    requestLoader<string, Contract | null>(async (ids) => {
      const rows = await em.execute<Row[]>(
        `SELECT c.* FROM contract c WHERE c.${column} = ANY(?::bigint[]) AND c.deleted_at IS NULL`,
        [sqlArray(ids)],
      );
      const byKey = new Map(rows.map((r) => [String(r[column]), em.map(Contract, r)]));
      return ids.map((id) => byKey.get(id) ?? null);
    });
  return {
    contractById: byColumn('id'),
    contractBySourceQuoteId: byColumn('source_quote_id'),
    contractsPage: pageLoaders((customerIds, args) =>
      paginateByParent(
        em,
        {
          select: 'c.*',
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
        (row) => em.map(Contract, row),
      ),
    ),
  };
}
