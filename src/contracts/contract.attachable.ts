import { attachmentsFieldResolver } from '../attachments/attachment.resolver.js';
import { registerAttachable } from '../attachments/attachable.js';
import { Contract } from './contract.entity.js';

// Files can be attached to a contract; they follow its customer and disappear with the contract.
registerAttachable(
  'Contract',
  async (em, id) => {
    const [row] = await em.execute<{ customer_id: string }[]>(
      'SELECT customer_id::text AS customer_id FROM contract WHERE id = ?::bigint AND deleted_at IS NULL',
      [id],
    );
    return row ? { customerId: row.customer_id } : null;
  },
  { liveSql: (id) => `EXISTS (SELECT 1 FROM contract r WHERE r.id = ${id} AND r.deleted_at IS NULL)` },
);

export const ContractAttachmentsResolver = attachmentsFieldResolver(Contract, 'Contract');
