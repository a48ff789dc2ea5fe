import { ApiKey } from '../api-keys/api-key.entity.js';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { allowedActions, assertCan, canView, masksContactDetails, seesArchived, visibleSql, type CustomerFacts, type Viewer } from '../auth/policy.js';
import { now } from '../common/clock.js';
import { AppError, ErrorCode, notFound } from '../common/errors.js';
import { escapeLike } from '../common/filters.js';
import { fromGlobalId } from '../common/ids.js';
import { andThen, isPromise, type MaybePromise } from '../common/maybe.js';
import { actedBy, requireViewer } from '../auth/viewer.js';
import { consumeRateLimit } from '../common/rate-limit.js';
import { cleanText, requiredText } from '../common/text.js';
import type { Context } from '../context.js';
import { assertMayClaim, claimRulesOn, type ClaimBlock } from '../pool-rules/pool-limits.js';
import { loadPoolSettings } from '../pool-rules/pool-settings.js';
import { User } from '../users/user.entity.js';
import { Customer, CustomerStatus } from './customer.entity.js';
import type { CustomerCreateInput, CustomerUpdateInput } from './customer.inputs.js';
import { customerNameKey, phoneKey } from './name-key.js';
import { OwnershipEvent, OwnershipEventAction } from './ownership-event.entity.js';
import { CustomerAction } from './pool.js';
import { M } from '../common/messages.js';

/**
 * The policy's view of a customer, through the request's loaders (no query per row; none at all
 * for a customer read with its sharees, see customerColumns).
 */
export function customerFacts(ctx: Context, customer: Customer): MaybePromise<CustomerFacts> {
  const viewer = requireViewer(ctx);
  const ownerId = customer.owner?.id ?? null;
  const facts = { status: customer.status, ownerId, sharedWithViewer: false };
  if (customer.status !== CustomerStatus.OWNED || ownerId === viewer.id) return facts;
  return andThen(ctx.loaders.shareUserIdsByCustomerId.get(customer.id), (ids) => ({ ...facts, sharedWithViewer: ids.includes(viewer.id) }));
}

/** The same facts read inside a transaction, after the row is locked. */
export async function lockedFacts(em: EntityManager, viewer: Viewer, customer: Customer): Promise<CustomerFacts> {
  const ownerId = customer.owner?.id ?? null;
  const [share] = await em.execute<{ found: number }[]>(
    'SELECT 1 AS found FROM customer_share WHERE customer_id = ?::bigint AND user_id = ?::bigint',
    [customer.id, viewer.id],
  );
  return { status: customer.status, ownerId, sharedWithViewer: !!share };
}

/** Locks a customer row for the rest of the transaction, reading its current state. */
export async function lockCustomer(em: EntityManager, id: string): Promise<Customer | null> {
  return em.findOne(Customer, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

/** Whether the viewer may see the customer (asked of the policy once per customer and request). */
export function isVisible(ctx: Context, customer: Customer): MaybePromise<boolean> {
  const answered = ctx.loaders.customerVisible.get(customer.id);
  if (answered !== undefined) return answered;
  return andThen(customerFacts(ctx, customer), (facts) => {
    const visible = canView(requireViewer(ctx), facts);
    ctx.loaders.customerVisible.set(customer.id, visible);
    return visible;
  });
}

/**
 * The pool rule that would refuse the viewer's claim of this customer now; null when none would,
 * or the customer is not in the pool. Read for a whole page at once, and only with a rule on.
 */
export function claimBlockFor(ctx: Context, customer: Customer): MaybePromise<ClaimBlock | null> {
  if (customer.status !== CustomerStatus.IN_POOL || !claimRulesOn(ctx.settings)) return null;
  return ctx.loaders.claimBlockByCustomerId.get(customer.id);
}

/** The policy's actions, CLAIM only where the pool rules let the claim through now (see claimBlockFor). */
export function allowedActionsFor(ctx: Context, customer: Customer): MaybePromise<CustomerAction[]> {
  return andThen(customerFacts(ctx, customer), (facts) => {
    const actions = allowedActions(requireViewer(ctx), facts);
    if (!actions.includes(CustomerAction.CLAIM)) return actions;
    return andThen(claimBlockFor(ctx, customer), (block) => (block ? actions.filter((a) => a !== CustomerAction.CLAIM) : actions));
  });
}

export function masksFor(ctx: Context, customer: Customer): boolean {
  const viewer = requireViewer(ctx);
  // Masking depends on the state alone; shares don't matter in the pool.
  const facts = { status: customer.status, ownerId: customer.owner?.id ?? null, sharedWithViewer: false };
  return masksContactDetails(viewer, facts, ctx.app.config.maskPoolContacts);
}

/** A customer by internal id when the viewer may see it; null exactly as for a missing one. */
export function loadVisibleCustomer(ctx: Context, id: string): MaybePromise<Customer | null> {
  const answered = ctx.loaders.customerVisible.get(id);
  if (answered === false) return null;
  if (answered) {
    const customer = ctx.loaders.customerById.get(id);
    if (!isPromise(customer)) return customer;
  }
  return andThen(ctx.loaders.customerById.get(id), (customer) => customer && andThen(isVisible(ctx, customer), (visible) => (visible ? customer : null)));
}

export function getCustomer(ctx: Context, globalId: string): MaybePromise<Customer | null> {
  requireViewer(ctx);
  const id = fromGlobalId('Customer', globalId);
  return id ? loadVisibleCustomer(ctx, id) : null;
}

export function recordEvent(
  em: EntityManager,
  customer: Customer,
  action: OwnershipEventAction,
  fields: Partial<Pick<OwnershipEvent, 'reason' | 'details'>> & {
    from?: string | null;
    to?: string | null;
    actorId: string | null;
    /** The API key the actor used, if any. */
    apiKeyId?: string | null;
  },
): OwnershipEvent {
  return em.create(OwnershipEvent, {
    customer,
    action,
    fromUser: fields.from ? em.getReference(User, fields.from) : null,
    toUser: fields.to ? em.getReference(User, fields.to) : null,
    actor: fields.actorId ? em.getReference(User, fields.actorId) : null,
    apiKey: fields.apiKeyId ? em.getReference(ApiKey, fields.apiKeyId) : null,
    reason: fields.reason ?? null,
    details: fields.details ?? {},
    createdAt: now(),
  });
}

/** The unique index on live names is the arbiter; this turns its refusal into DUPLICATE_CUSTOMER. */
export async function duplicateNameError(em: EntityManager, error: unknown, nameKey: string): Promise<AppError | undefined> {
  if (!(error instanceof UniqueConstraintViolationException) || !error.message.includes('customer_live_name_key')) {
    return undefined;
  }
  const [existing] = await em.execute<{ name: string; status: CustomerStatus; owner_name: string | null }[]>(
    `SELECT c.name, c.status, u.name AS owner_name FROM customer c LEFT JOIN app_user u ON u.id = c.owner_id
     WHERE c.name_key = ? AND c.status <> 'ARCHIVED' LIMIT 1`,
    [nameKey],
  );
  const owner = existing?.status === CustomerStatus.OWNED ? existing.owner_name : null;
  return new AppError(
    ErrorCode.DUPLICATE_CUSTOMER,
    M.duplicateCustomer({ name: existing?.name ?? null, owner }),
    ['input', 'name'],
    { ownerName: existing?.owner_name ?? null },
  );
}

type EditableField = 'phone' | 'email' | 'address' | 'website' | 'industry' | 'level' | 'source' | 'region' | 'notes';
const EDITABLE: EditableField[] = ['phone', 'email', 'address', 'website', 'industry', 'level', 'source', 'region', 'notes'];

function requireName(name: string): string {
  const cleaned = requiredText(name, 'name');
  if (!customerNameKey(cleaned)) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, M.nameNeedsLetters(), ['input', 'name']);
  }
  return cleaned;
}

/** 新建 / 新建并领用. */
export async function createCustomer(ctx: Context, input: CustomerCreateInput): Promise<Customer> {
  const viewer = requireViewer(ctx);
  const name = requireName(input.name);
  const nameKey = customerNameKey(name);
  const at = now();
  const settings = input.claim ? await loadPoolSettings(ctx.em) : undefined;
  try {
    return await ctx.em.transactional(async (em) => {
      if (settings) await assertMayClaim(em, settings, { id: viewer.id, name: viewer.user.name });
      const customer = em.create(Customer, {
        name,
        nameKey,
        status: input.claim ? CustomerStatus.OWNED : CustomerStatus.IN_POOL,
        owner: input.claim ? em.getReference(User, viewer.id) : null,
        claimedAt: input.claim ? at : null,
        createdAt: at,
        updatedAt: at,
        createdBy: em.getReference(User, viewer.id),
        phone: cleanText(input.phone) ?? null,
        phoneKey: phoneKey(input.phone),
        email: cleanText(input.email) ?? null,
        address: cleanText(input.address) ?? null,
        website: cleanText(input.website) ?? null,
        industry: cleanText(input.industry) ?? null,
        level: input.level ?? null,
        source: cleanText(input.source) ?? null,
        region: cleanText(input.region) ?? null,
        notes: cleanText(input.notes) ?? null,
      });
      recordEvent(em, customer, OwnershipEventAction.CREATE, { ...actedBy(viewer), to: input.claim ? viewer.id : null });
      await em.flush();
      return customer;
    });
  } catch (error) {
    throw (await duplicateNameError(ctx.em, error, nameKey)) ?? error;
  }
}

/** 修改: the owner (or a manager in the pool, or an admin) edits fields; history names the fields. */
export async function updateCustomer(ctx: Context, input: CustomerUpdateInput): Promise<Customer> {
  const viewer = requireViewer(ctx);
  const id = fromGlobalId('Customer', input.id);
  if (!id) throw notFound('Customer');
  let nameKey: string | undefined;
  try {
    return await ctx.em.transactional(async (em) => {
      const customer = await lockCustomer(em, id);
      if (!customer) throw notFound('Customer');
      assertCan(viewer, CustomerAction.EDIT, await lockedFacts(em, viewer, customer));
      if (input.expectedVersion != null && input.expectedVersion !== customer.version) {
        throw new AppError(
          ErrorCode.STALE_VERSION,
          M.staleVersion({ what: 'customer', expected: input.expectedVersion, actual: customer.version }),
          ['input', 'expectedVersion'],
        );
      }
      if (input.name !== undefined && input.name !== null) {
        const name = requireName(input.name);
        if (name !== customer.name) nameKey = customerNameKey(name);
      }
      applyCustomerChanges(em, viewer, customer, input);
      return customer;
    });
  } catch (error) {
    throw (nameKey && (await duplicateNameError(ctx.em, error, nameKey))) || error;
  }
}

/** The editable fields of a change (null clears, undefined leaves as is). */
export type CustomerChanges = Partial<Pick<CustomerUpdateInput, 'name' | EditableField>>;

/**
 * Applies `changes` to a customer locked in `em` and records one UPDATE event naming the fields
 * that really changed (none: no event, no new version). The caller checked EDIT.
 */
export function applyCustomerChanges(em: EntityManager, viewer: Viewer, customer: Customer, changes: CustomerChanges): string[] {
  const changed: string[] = [];
  if (changes.name !== undefined && changes.name !== null) {
    const name = requireName(changes.name);
    if (name !== customer.name) {
      customer.name = name;
      customer.nameKey = customerNameKey(name);
      changed.push('name');
    }
  }
  for (const field of EDITABLE) {
    if (changes[field] === undefined) continue;
    const value = field === 'level' ? (changes.level ?? null) : (cleanText(changes[field] as string | null) ?? null);
    if (value === (customer[field] ?? null)) continue;
    Object.assign(customer, { [field]: value });
    if (field === 'phone') customer.phoneKey = phoneKey(customer.phone);
    changed.push(field);
  }
  if (changed.length > 0) {
    customer.updatedAt = new Date();
    recordEvent(em, customer, OwnershipEventAction.UPDATE, { ...actedBy(viewer), details: { changedFields: changed } });
  }
  return changed;
}

export interface DuplicateMatch {
  customer: Customer;
  ownerName: string | null;
  visible: boolean;
  canClaim: boolean;
  matchedOn: ('NAME' | 'PHONE')[];
}

/** The shortest name key the duplicate check looks for inside other names (characters). */
export const MIN_DUPLICATE_KEY_CHARS = 2;
/** Matches the viewer may see, shown at most. */
const VISIBLE_DUPLICATES = 20;

/**
 * 同名检查: live customers whose normalised name equals or contains the given one, or whose phone
 * matches. Reveals name, state and owner's name; the record itself only when the viewer may see it.
 * So that it can't list the customers hidden from the viewer, the name must keep at least two
 * letters or digits after normalisation (VALIDATION_FAILED), matches the viewer can't see are shown
 * at most `hiddenMatches` (exact names first), and each user has a number of checks per window
 * (TOO_MANY_REQUESTS).
 */
export async function findDuplicates(ctx: Context, name?: string | null, phone?: string | null): Promise<DuplicateMatch[]> {
  const viewer = requireViewer(ctx);
  const key = name?.trim() ? customerNameKey(name) : undefined;
  const digits = phoneKey(phone);
  if (!key && !digits) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, M.duplicateCheckNeedsInput(), ['name']);
  }
  if (key !== undefined && [...key].length < MIN_DUPLICATE_KEY_CHARS) {
    throw new AppError(
      ErrorCode.VALIDATION_FAILED,
      M.duplicateKeyTooShort({ min: MIN_DUPLICATE_KEY_CHARS }),
      ['name'],
    );
  }
  const { hiddenMatches, limit, windowSeconds } = ctx.app.config.duplicateCheck;
  await consumeRateLimit(ctx.em, { key: `duplicates:${viewer.id}`, limit, windowSeconds, what: 'duplicate checks' });
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (key) {
    conditions.push('c.name_key = ?', 'c.name_key LIKE ?');
    params.push(key, `%${escapeLike(key)}%`);
  }
  if (digits) {
    conditions.push('c.phone_key = ?');
    params.push(digits);
  }
  const includeArchived = seesArchived(viewer);
  const visible = visibleSql(viewer, 'c');
  const order = `(m.name_key = ?) DESC, m.status = 'ARCHIVED', m.name, m.id`;
  const rows = await ctx.em.execute<(Record<string, unknown> & { owner_name: string | null })[]>(
    `WITH m AS (
       SELECT c.*, u.name AS owner_name, (${visible.sql}) AS visible_to_viewer
       FROM customer c LEFT JOIN app_user u ON u.id = c.owner_id
       WHERE (${conditions.join(' OR ')}) ${includeArchived ? '' : `AND c.status <> 'ARCHIVED'`}
     ), ranked AS (
       SELECT m.*, row_number() OVER (PARTITION BY m.visible_to_viewer ORDER BY ${order}) AS rank FROM m
     )
     SELECT m.* FROM ranked m
     WHERE m.rank <= CASE WHEN m.visible_to_viewer THEN ${VISIBLE_DUPLICATES} ELSE ?::int END
     ORDER BY ${order}`,
    [...visible.params, ...params, key ?? '', hiddenMatches, key ?? ''],
  );
  return Promise.all(
    rows.map(async (row) => {
      const customer = ctx.em.map(Customer, row);
      const facts = await customerFacts(ctx, customer);
      const matchedOn: ('NAME' | 'PHONE')[] = [];
      if (key && customer.nameKey.includes(key)) matchedOn.push('NAME');
      if (digits && customer.phoneKey === digits) matchedOn.push('PHONE');
      return {
        customer,
        ownerName: row.owner_name,
        visible: canView(viewer, facts),
        canClaim: allowedActions(viewer, facts).includes(CustomerAction.CLAIM),
        matchedOn,
      };
    }),
  );
}
