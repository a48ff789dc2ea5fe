import { UniqueConstraintViolationException, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertRole, canManageOthers } from '../auth/policy.js';
import { requireViewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import type { ConnectionResult } from '../common/connection.js';
import { AppError, ErrorCode, notFound, validationFailed } from '../common/errors.js';
import { fromGlobalId } from '../common/ids.js';
import type { PageArgs } from '../common/keyset.js';
import { paginate } from '../common/pagination.js';
import { assertNotLastActiveAdmin } from './admins.js';
import { Role, User } from './user.entity.js';
import type { UserCreateInput, UserUpdateInput } from './user.inputs.js';
import type { MaybePromise } from '../common/maybe.js';
import { requiredText } from '../common/text.js';
import { M } from '../common/messages.js';

// Serialises changes to the manager tree so that two concurrent edits can't build a cycle.
const HIERARCHY_LOCK = 727_001;

/** Everyone below `userId` in the manager tree, at any depth. */
export async function subordinateIdsOf(em: EntityManager, userId: string): Promise<Set<string>> {
  const rows = await em.execute<{ id: string }[]>(
    `WITH RECURSIVE below AS (
       SELECT id FROM app_user WHERE manager_id = ?::bigint
       UNION
       SELECT u.id FROM app_user u JOIN below b ON u.manager_id = b.id
     ) SELECT id::text AS id FROM below`,
    [userId],
  );
  return new Set(rows.map((r) => r.id));
}

export function getUser(ctx: Context, globalId: string): MaybePromise<User | null> {
  requireViewer(ctx);
  const id = fromGlobalId('User', globalId);
  return id ? ctx.loaders.userById.get(id) : null;
}

export async function listUsers(
  ctx: Context,
  args: PageArgs & { active?: boolean | null; role?: Role | null },
): Promise<ConnectionResult<User>> {
  requireViewer(ctx);
  const where = [];
  if (args.active !== undefined && args.active !== null) where.push({ sql: 'u.active = ?', params: [args.active] });
  if (args.role) where.push({ sql: 'u.role = ?', params: [args.role] });
  return paginate(
    ctx.reads,
    {
      select: ctx.reads.columns(User, 'u'),
      from: 'app_user u',
      alias: 'u',
      where,
      keys: [
        { sql: 'u.name', cast: 'text', desc: false, nullable: false },
        { sql: 'u.id', cast: 'bigint', desc: false, nullable: false },
      ],
      signature: 'users:name',
    },
    args,
    (row) => ctx.reads.read(User, row),
  );
}

async function resolveManager(em: EntityManager, globalId: string, field: string[]): Promise<User> {
  const id = fromGlobalId('User', globalId);
  const manager = id ? await em.findOne(User, { id }) : null;
  if (!manager) throw validationFailed(field, M.managerNotFound());
  if (!manager.active) throw validationFailed(field, M.managerDeactivated());
  if (!canManageOthers(manager.role)) throw validationFailed(field, M.managerRole());
  return manager;
}

function emailTaken(error: unknown): boolean {
  return error instanceof UniqueConstraintViolationException && String(error.message).includes('app_user_email_key');
}

export async function createUser(ctx: Context, input: UserCreateInput): Promise<User> {
  assertRole(requireViewer(ctx), [Role.ADMIN], M.adminsOnly({ action: 'CREATE_USERS' }));
  const passwordHash = await ctx.app.passwords.hash(input.password);
  try {
    return await ctx.em.transactional(async (em) => {
      await em.execute('SELECT pg_advisory_xact_lock(?)', [HIERARCHY_LOCK]);
      const manager = input.managerId != null ? await resolveManager(em, input.managerId, ['input', 'managerId']) : null;
      const user = em.create(User, {
        name: requiredText(input.name, 'name'),
        email: requiredText(input.email, 'email').toLowerCase(),
        passwordHash,
        role: input.role,
        manager,
      });
      await em.flush();
      return user;
    });
  } catch (error) {
    if (emailTaken(error)) throw validationFailed(['input', 'email'], M.emailTaken());
    throw error;
  }
}

export async function updateUser(ctx: Context, input: UserUpdateInput): Promise<User> {
  const viewer = requireViewer(ctx);
  assertRole(viewer, [Role.ADMIN], M.adminsOnly({ action: 'CHANGE_USERS' }));
  const id = fromGlobalId('User', input.id);
  if (!id) throw notFound('User');
  const passwordHash = input.password ? await ctx.app.passwords.hash(input.password) : undefined;
  try {
    return await ctx.em.transactional(async (em) => {
      await em.execute('SELECT pg_advisory_xact_lock(?)', [HIERARCHY_LOCK]);
      const user = await em.findOne(User, { id });
      if (!user) throw notFound('User');
      if (input.expectedVersion != null && input.expectedVersion !== user.version) {
        throw new AppError(ErrorCode.STALE_VERSION, M.staleVersionShort({ what: 'user', expected: input.expectedVersion, actual: user.version }));
      }
      if (input.managerId != null && input.clearManager) {
        throw validationFailed(['input', 'clearManager'], M.eitherOf({ one: 'managerId', other: 'clearManager' }));
      }
      if (input.managerId != null) {
        const manager = await resolveManager(em, input.managerId, ['input', 'managerId']);
        if (manager.id === user.id || (await subordinateIdsOf(em, user.id)).has(manager.id)) {
          throw validationFailed(['input', 'managerId'], M.managerCycle());
        }
        user.manager = ref(manager);
      }
      if (input.clearManager) user.manager = null;
      if (input.role && input.role !== user.role) {
        if (!canManageOthers(input.role) && (await em.count(User, { manager: user.id })) > 0) {
          throw validationFailed(['input', 'role'], M.managesOthers());
        }
        await assertNotLastActiveAdmin(em, user, ['input', 'role'], M.lastAdmin({ change: 'DEMOTE' }));
        user.role = input.role;
      }
      if (input.name) user.name = requiredText(input.name, 'name');
      if (input.email) user.email = requiredText(input.email, 'email').toLowerCase();
      if (passwordHash) user.passwordHash = passwordHash;
      await em.flush();
      return user;
    });
  } catch (error) {
    if (emailTaken(error)) throw validationFailed(['input', 'email'], M.emailTaken());
    throw error;
  }
}

/** Deactivated users can't sign in or act; their records and history stay. */
export async function setUserActive(ctx: Context, globalId: string, active: boolean): Promise<User> {
  const viewer = requireViewer(ctx);
  assertRole(viewer, [Role.ADMIN], M.adminsOnly({ action: 'ACTIVATE_USERS' }));
  const id = fromGlobalId('User', globalId);
  if (!id) throw notFound('User');
  return ctx.em.transactional(async (em) => {
    await em.execute('SELECT pg_advisory_xact_lock(?)', [HIERARCHY_LOCK]);
    const user = await em.findOne(User, { id });
    if (!user) throw notFound('User');
    if (!active && user.id === viewer.id) throw validationFailed(['input', 'id'], M.cannotDeactivateSelf());
    if (!active) await assertNotLastActiveAdmin(em, user, ['input', 'id'], M.lastAdmin({ change: 'DEACTIVATE' }));
    user.active = active;
    await em.flush();
    return user;
  });
}
