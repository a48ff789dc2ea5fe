import { visibleSql, type Viewer } from '../auth/policy.js';
import type { RequestLoader } from '../common/batch-scheduler.js';
import type { ConnectionResult } from '../common/connection.js';
import { RequestError } from '../common/errors.js';
import type { PageArgs } from '../common/keyset.js';
import { pageLoaders } from '../common/page-loaders.js';
import { paginateByParent } from '../common/pagination.js';
import type { Reads } from '../common/reads.js';
import { recordLoader } from '../common/record-loaders.js';
import { ContactRelation, RelationDirection } from './contact-relation.entity.js';
import { Contact } from './contact.entity.js';
import { M } from '../common/messages.js';

/** A relation as listed under one contact: the same relation shows under both ends of a link. */
export interface RelationSide {
  relation: ContactRelation;
  direction: RelationDirection;
}

export interface ContactLoaders {
  /** Live contacts by id (soft-deleted ones are null). Visibility is the caller's check. */
  contactById: RequestLoader<string, Contact | null>;
  /** Live relations by id. Visibility is the caller's check. */
  relationById: RequestLoader<string, ContactRelation | null>;
  /** Customer.contacts, by customer id: primary first, then by name. */
  contactPage(args: PageArgs): RequestLoader<string, ConnectionResult<Contact>>;
  /** Contact.relations, by contact id: its own relations and those linking to it, oldest first. */
  relationPage(args: PageArgs): RequestLoader<string, ConnectionResult<RelationSide>>;
}

// Both directions of Contact.relations as one list keyed by `anchor_id` (the contact it is listed
// under). PostgreSQL pushes `anchor_id = parent` into each branch, so each one is an index scan.
const relationSides = (columns: string) => `(
  SELECT ${columns}, r.id AS sort_id, r.contact_id AS anchor_id, 'OUTGOING'::text AS direction
  FROM contact_relation r WHERE r.deleted_at IS NULL
  UNION ALL
  SELECT ${columns}, r.id AS sort_id, r.related_contact_id AS anchor_id, 'INCOMING'::text AS direction
  FROM contact_relation r WHERE r.deleted_at IS NULL AND r.related_contact_id IS NOT NULL
) rel`;

export function createContactLoaders(reads: Reads, viewer: Viewer | null): ContactLoaders {
  return {
    contactById: recordLoader(reads, Contact, { where: 'x.deleted_at IS NULL' }),
    relationById: recordLoader(reads, ContactRelation, { where: 'x.deleted_at IS NULL' }),
    contactPage: pageLoaders((ids, args) =>
      paginateByParent(
        reads,
        {
          select: reads.columns(Contact, 'ct'),
          from: 'contact ct',
          parentColumn: 'ct.customer_id',
          where: [{ sql: 'ct.deleted_at IS NULL', params: [] }],
          keys: [
            { sql: 'ct.is_primary::int', cast: 'int', desc: true, nullable: false },
            { sql: 'ct.name', cast: 'text', desc: false, nullable: false },
            { sql: 'ct.id', cast: 'bigint', desc: false, nullable: false },
          ],
          signature: 'contacts',
        },
        ids,
        args,
        (row) => reads.read(Contact, row),
      ),
    ),
    relationPage: pageLoaders((ids, args) => {
      if (!viewer) throw new RequestError('UNAUTHENTICATED', M.signInFirst());
      // A relation linking to this contact from another customer's contact shows only when the
      // viewer can see that customer too (the policy's own SQL condition).
      const visible = visibleSql(viewer, 'c');
      return paginateByParent(
        reads,
        {
          select: 'rel.*',
          from: relationSides(reads.columns(ContactRelation, 'r')),
          parentColumn: 'rel.anchor_id',
          where: [{ sql: `EXISTS (SELECT 1 FROM customer c WHERE c.id = rel.customer_id::bigint AND (${visible.sql}))`, params: visible.params }],
          keys: [{ sql: 'rel.sort_id', cast: 'bigint', desc: false, nullable: false }],
          signature: 'relations',
        },
        ids,
        args,
        (row) => ({ relation: reads.read(ContactRelation, row), direction: row.direction as RelationDirection }),
      );
    }),
  };
}
