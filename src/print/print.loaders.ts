import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { DocumentAccess } from './document-access.entity.js';

export interface PrintLoaders {
  /** Access log rows by id. Who may read them is the caller's check (admins). */
  documentAccessById: DataLoader<string, DocumentAccess | null>;
}

export function createPrintLoaders(em: EntityManager): PrintLoaders {
  return {
    documentAccessById: new DataLoader(async (ids) => {
      const found = await em.find(DocumentAccess, { id: { $in: [...ids] } });
      const byId = new Map(found.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
