import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import { requestLoader } from '../common/batch-scheduler.js';
import { User } from './user.entity.js';

export interface UserLoaders {
  userById: DataLoader<string, User | null>;
  /** Direct reports of a manager, by name. */
  reportsByManagerId: DataLoader<string, User[]>;
}

export function createUserLoaders(em: EntityManager): UserLoaders {
  return {
    userById: requestLoader(async (ids) => {
      const users = await em.find(User, { id: { $in: [...ids] } });
      const byId = new Map(users.map((u) => [u.id, u]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    reportsByManagerId: requestLoader(async (ids) => {
      const users = await em.find(User, { manager: { $in: [...ids] } }, { orderBy: { name: 'asc', id: 'asc' } });
      return ids.map((id) => users.filter((u) => u.manager?.id === id));
    }),
  };
}
