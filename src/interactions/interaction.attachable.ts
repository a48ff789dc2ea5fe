import { attachmentsFieldResolver } from '../attachments/attachment.resolver.js';
import { registerAttachable } from '../attachments/attachable.js';
import { Interaction } from './interaction.entity.js';

// Files can be attached to a interaction; they follow its customer and disappear with the interaction.
registerAttachable(
  'Interaction',
  async (em, id) => {
    const [row] = await em.execute<{ customer_id: string }[]>(
      'SELECT customer_id::text AS customer_id FROM interaction WHERE id = ?::bigint AND deleted_at IS NULL',
      [id],
    );
    return row ? { customerId: row.customer_id } : null;
  },
  { liveSql: (id) => `EXISTS (SELECT 1 FROM interaction r WHERE r.id = ${id} AND r.deleted_at IS NULL)` },
);

export const InteractionAttachmentsResolver = attachmentsFieldResolver(Interaction, 'Interaction');
