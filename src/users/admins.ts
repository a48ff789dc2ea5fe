import type { EntityManager } from '@mikro-orm/postgresql';
import { validationFailed } from '../common/errors.js';
import { Role, User } from './user.entity.js';
import { type Message } from '../common/messages.js';

// The company always keeps an active admin: whatever would end the last one's admin powers
// (a role change, a deactivation, a handover) is refused. Callers hold the user-tree lock or the
// user's row lock, so two such changes can't both pass.

/** VALIDATION_FAILED on `field` when `user` is the last active admin. */
export async function assertNotLastActiveAdmin(em: EntityManager, user: User, field: string[], message: Message): Promise<void> {
  if (user.role !== Role.ADMIN || !user.active) return;
  if ((await em.count(User, { role: Role.ADMIN, active: true })) <= 1) throw validationFailed(field, message);
}
