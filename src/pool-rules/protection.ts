import { registerEnumType } from 'type-graphql';
import { requestLoader, type RequestLoader } from '../common/batch-scheduler.js';
import type { Reads } from '../common/reads.js';
import { sqlArray } from '../common/sql.js';

// The protection period (保护期): an owned customer with no interaction for N days, or without a
// contract M days after it was claimed, returns to the pool automatically. Customers with an
// active contract are exempt. This file is the one definition of "when does this customer return
// and why", as SQL, used by Customer.returnsToPoolAt, the list's sort and filter, the sweep and
// the preview alike.

export enum ReturnRule {
  NO_INTERACTION = 'NO_INTERACTION',
  NO_CONTRACT = 'NO_CONTRACT',
}

registerEnumType(ReturnRule, {
  name: 'ReturnRule',
  description: 'The protection-period rule (保护期) that returns an owned customer to the pool automatically.',
  valuesConfig: {
    NO_INTERACTION: { description: 'No interaction for noInteractionDays (counted from the claim or the last interaction).' },
    NO_CONTRACT: { description: 'No contract within noContractDays of the claim.' },
  },
});

export interface ProtectionRules {
  noInteractionDays: number | null;
  noContractDays: number | null;
}

export interface ProtectionSql {
  /** When the customer row aliased `alias` returns to the pool; NULL when no rule applies. */
  returnsAt: string;
  rule: string;
}

/**
 * SQL expressions over the customer row `alias`. The day counts are validated integers from the
 * settings, inlined as numbers, so the expressions need no parameters (and can be sort keys).
 */
export function protectionSql(rules: ProtectionRules, alias = 'c'): ProtectionSql {
  const days = (n: number | null) => (n === null ? null : Math.trunc(Number(n)));
  const n = days(rules.noInteractionDays);
  const m = days(rules.noContractDays);
  if (n === null && m === null) return { returnsAt: 'NULL::timestamptz', rule: 'NULL::text' };
  const interaction =
    n === null ? 'NULL::timestamptz' : `(greatest(${alias}.claimed_at, ${alias}.last_interaction_at) + make_interval(days => ${n}))`;
  const contract =
    m === null
      ? 'NULL::timestamptz'
      : `(CASE WHEN NOT EXISTS (SELECT 1 FROM contract k WHERE k.customer_id = ${alias}.id AND k.deleted_at IS NULL
             AND k.created_at >= ${alias}.claimed_at) THEN ${alias}.claimed_at + make_interval(days => ${m}) END)`;
  const exempt = `EXISTS (SELECT 1 FROM contract k WHERE k.customer_id = ${alias}.id AND k.deleted_at IS NULL AND k.status = 'ACTIVE')`;
  const applies = `${alias}.status = 'OWNED' AND NOT ${exempt}`;
  return {
    returnsAt: `(CASE WHEN ${applies} THEN least(${interaction}, ${contract}) END)`,
    rule: `(CASE WHEN ${applies} THEN CASE
              WHEN ${interaction} IS NOT NULL AND (${contract} IS NULL OR ${interaction} <= ${contract}) THEN 'NO_INTERACTION'
              WHEN ${contract} IS NOT NULL THEN 'NO_CONTRACT' END END)`,
  };
}

export interface Protection {
  returnsAt: Date | null;
  rule: ReturnRule | null;
}

export interface ProtectionLoaders {
  protectionByCustomerId: RequestLoader<string, Protection>;
}

/** `rules` are the pool settings as the request read them with its viewer. */
export function createProtectionLoaders(reads: Reads, rules: ProtectionRules): ProtectionLoaders {
  return {
    protectionByCustomerId: requestLoader(async (ids) => {
      const sql = protectionSql(rules);
      const rows = (await reads.rows(
        `SELECT c.id::text AS id, ${sql.returnsAt} AS returns_at, ${sql.rule} AS rule FROM customer c WHERE c.id = ANY(?::bigint[])`,
        [sqlArray(ids)],
      )) as { id: string; returns_at: string | null; rule: ReturnRule | null }[];
      const byId = new Map(rows.map((r) => [r.id, { returnsAt: r.returns_at ? new Date(r.returns_at) : null, rule: r.rule }]));
      return ids.map((id) => byId.get(id) ?? { returnsAt: null, rule: null });
    }),
  };
}
