import { AppError, ErrorCode, RequestError, notFound } from '../common/errors.js';
import type { SqlFragment } from '../common/keyset.js';
import { CustomerStatus } from '../customers/customer.entity.js';
import { CustomerAction, nextStatus } from '../customers/pool.js';
import { Role } from '../users/user.entity.js';
import { ApiScope } from './api-scope.js';

export { ApiScope };
import { sqlArray } from '../common/sql.js';
import { M, type Message } from '../common/messages.js';

// Who may do what. Every check of the product comes from the tables below: the services' checks,
// `allowedActions`, and the SQL conditions of lists, so they can never disagree.

/** The signed-in user as the policy sees them. */
export interface Viewer {
  id: string;
  role: Role;
  /** Everyone below the viewer in the manager tree, at any depth. */
  subordinateIds: ReadonlySet<string>;
  /** The API key the request was made with, if any (see the end of this module). */
  apiKey?: KeyGrant | null;
}

/** What the policy needs to know about one customer. */
export interface CustomerFacts {
  status: CustomerStatus;
  ownerId: string | null;
  /** Whether the customer is shared with the viewer. */
  sharedWithViewer: boolean;
}

/** How a viewer stands to a customer. */
export type Relation = 'POOL' | 'OWNER' | 'SHAREE' | 'MANAGER_ABOVE' | 'ANY';

interface RelationRule {
  holds(viewer: Viewer, c: CustomerFacts): boolean;
  /** The same relation as a condition on the customer row aliased `alias`. */
  sql(viewer: Viewer, alias: string): SqlFragment;
  /** The condition reads the customer's status and nothing else. */
  onStatusAlone?: true;
}

const OWNED_SQL = (a: string) => `${a}.status = 'OWNED'`;

const RELATIONS: Readonly<Record<Relation, RelationRule>> = {
  POOL: {
    holds: (_v, c) => c.status === CustomerStatus.IN_POOL,
    sql: (_v, a) => ({ sql: `${a}.status = 'IN_POOL'`, params: [] }),
    onStatusAlone: true,
  },
  OWNER: {
    holds: (v, c) => c.status === CustomerStatus.OWNED && c.ownerId === v.id,
    sql: (v, a) => ({ sql: `${OWNED_SQL(a)} AND ${a}.owner_id = ?::bigint`, params: [v.id] }),
  },
  SHAREE: {
    holds: (_v, c) => c.status === CustomerStatus.OWNED && c.sharedWithViewer,
    sql: (v, a) => ({
      sql: `${OWNED_SQL(a)} AND EXISTS (SELECT 1 FROM customer_share s WHERE s.customer_id = ${a}.id AND s.user_id = ?::bigint)`,
      params: [v.id],
    }),
  },
  MANAGER_ABOVE: {
    holds: (v, c) => c.status === CustomerStatus.OWNED && c.ownerId !== null && v.subordinateIds.has(c.ownerId),
    sql: (v, a) => ({ sql: `${OWNED_SQL(a)} AND ${a}.owner_id = ANY(?::bigint[])`, params: [sqlArray(v.subordinateIds)] }),
  },
  ANY: {
    holds: () => true,
    sql: () => ({ sql: 'TRUE', params: [] }),
  },
};

type AssignTargets = 'ANYONE' | 'SELF_OR_SUBORDINATE';

interface Grant {
  relation: Relation;
  /** Roles the grant is for; all roles when absent. */
  roles?: readonly Role[];
  /** ASSIGN only: whom the customer may be given to under this grant. */
  assignTo?: AssignTargets;
}

const { ADMIN, MANAGER } = Role;

/** Who may see a customer: the domain's "Who can read what". */
const VIEW_GRANTS: readonly Grant[] = [
  { relation: 'POOL' },
  { relation: 'OWNER' },
  { relation: 'SHAREE' },
  { relation: 'MANAGER_ABOVE', roles: [MANAGER] },
  { relation: 'ANY', roles: [ADMIN] },
];

/** Who may do each action (the state it needs comes from the transition table in pool.ts). */
const ACTION_GRANTS: Readonly<Record<CustomerAction, readonly Grant[]>> = {
  CLAIM: [{ relation: 'POOL' }],
  RETURN: [{ relation: 'OWNER' }],
  ASSIGN: [
    { relation: 'OWNER', assignTo: 'ANYONE' },
    { relation: 'POOL', roles: [MANAGER], assignTo: 'SELF_OR_SUBORDINATE' },
    { relation: 'MANAGER_ABOVE', roles: [MANAGER], assignTo: 'SELF_OR_SUBORDINATE' },
    { relation: 'ANY', roles: [ADMIN], assignTo: 'ANYONE' },
  ],
  RECLAIM: [
    { relation: 'MANAGER_ABOVE', roles: [MANAGER] },
    { relation: 'ANY', roles: [ADMIN] },
  ],
  SHARE: [{ relation: 'OWNER' }, { relation: 'ANY', roles: [ADMIN] }],
  EDIT: [
    { relation: 'OWNER' },
    { relation: 'POOL', roles: [MANAGER] },
    { relation: 'ANY', roles: [ADMIN] },
  ],
  ARCHIVE: [{ relation: 'ANY', roles: [ADMIN] }],
  RESTORE: [{ relation: 'ANY', roles: [ADMIN] }],
};

function matching(grants: readonly Grant[], viewer: Viewer, c: CustomerFacts): Grant[] {
  return grants.filter((g) => (!g.roles || g.roles.includes(viewer.role)) && RELATIONS[g.relation].holds(viewer, c));
}

export function canView(viewer: Viewer, c: CustomerFacts): boolean {
  return matching(VIEW_GRANTS, viewer, c).length > 0;
}

/** Why a viewer can see a customer: the relations of the view grants that hold (none: can't). */
export function viewReasons(viewer: Viewer, c: CustomerFacts): Relation[] {
  return [...new Set(matching(VIEW_GRANTS, viewer, c).map((g) => g.relation))];
}

/** Whether the viewer sees archived customers at all (the view grants for that state). */
export function seesArchived(viewer: Viewer): boolean {
  return canView(viewer, { status: CustomerStatus.ARCHIVED, ownerId: null, sharedWithViewer: false });
}

/**
 * Who may read a user's history (what they did, the customers they gained or lost): the user,
 * their managers at any level, admins. Anyone else is refused as a role-level FORBIDDEN.
 */
export function assertMayReadUserHistory(viewer: Viewer, userId: string): void {
  if (userId === viewer.id || (viewer.role === MANAGER && viewer.subordinateIds.has(userId))) return;
  assertRole(viewer, [ADMIN], M.adminsOnly({ action: 'USER_HISTORY' }));
}

/** Who may read a customer's access list (Customer.access). */
const ACCESS_LIST_GRANTS: readonly Grant[] = [
  { relation: 'OWNER' },
  { relation: 'MANAGER_ABOVE', roles: [MANAGER] },
  { relation: 'ANY', roles: [ADMIN] },
];

export function canReadAccessList(viewer: Viewer, c: CustomerFacts): boolean {
  return matching(ACCESS_LIST_GRANTS, viewer, c).length > 0;
}

/** Contact details of pool customers are hidden from SALES users until they claim one. */
export function masksContactDetails(viewer: Viewer, c: CustomerFacts, maskingOn: boolean): boolean {
  return maskingOn && viewer.role === Role.SALES && c.status === CustomerStatus.IN_POOL;
}

export function can(viewer: Viewer, action: CustomerAction, c: CustomerFacts): boolean {
  return nextStatus(action, c.status) !== undefined && matching(ACTION_GRANTS[action], viewer, c).length > 0;
}

export function allowedActions(viewer: Viewer, c: CustomerFacts): CustomerAction[] {
  if (!canView(viewer, c)) return [];
  return Object.values(CustomerAction).filter((action) => can(viewer, action, c));
}

export interface OwnerInfo {
  name: string;
  claimedAt: Date | null;
  /**
   * It left the pool (claimed, or assigned from the pool) so recently that a claim of it may have
   * been sent while it was still there: a claim that lost that race.
   */
  justLeftPool?: boolean;
}

/**
 * Whether a claim of an owned customer may say who owns it and since when: where the viewer can
 * see the customer, or where it was in the pool, for everyone to see and claim, a moment ago (two
 * simultaneous claims: the loser is told who won). Elsewhere the customer is NOT_FOUND.
 */
function mayLearnClaim(viewer: Viewer, c: CustomerFacts, owner: OwnerInfo | undefined): boolean {
  return canView(viewer, c) || owner?.justLeftPool === true;
}

/**
 * Throws the error a viewer gets for `action` on a customer: NOT_FOUND when they can't see it (an
 * invisible customer looks exactly like a missing one, whatever the action), then the state
 * (ALREADY_CLAIMED, INVALID_TRANSITION), then FORBIDDEN. A claim of an owned customer says who owns
 * it where the viewer may learn that (mayLearnClaim).
 */
export function assertCan(
  viewer: Viewer,
  action: CustomerAction,
  c: CustomerFacts,
  owner?: OwnerInfo,
): void {
  if (action === CustomerAction.CLAIM && c.status === CustomerStatus.OWNED && mayLearnClaim(viewer, c, owner)) {
    const claimed = M.alreadyClaimed({ who: owner?.name ?? null, you: c.ownerId === viewer.id, when: owner?.claimedAt?.toISOString() ?? null });
    throw new AppError(ErrorCode.ALREADY_CLAIMED, claimed, undefined, {
      ownerName: owner?.name ?? null,
      claimedAt: owner?.claimedAt ?? null,
    });
  }
  if (!canView(viewer, c)) throw notFound('Customer');
  if (nextStatus(action, c.status) === undefined) {
    throw new AppError(
      ErrorCode.INVALID_TRANSITION,
      M.cannotActInStatus({ action, status: c.status }),
    );
  }
  if (matching(ACTION_GRANTS[action], viewer, c).length === 0) {
    throw new AppError(ErrorCode.FORBIDDEN, M.mayNotActOnCustomer({ action }));
  }
}

/** Whether the viewer may assign the customer to `targetId` under any grant they hold. */
export function mayAssignTo(viewer: Viewer, c: CustomerFacts, targetId: string): boolean {
  return matching(ACTION_GRANTS.ASSIGN, viewer, c).some(
    (g) => g.assignTo === 'ANYONE' || targetId === viewer.id || viewer.subordinateIds.has(targetId),
  );
}

/** The view grants a viewer holds. */
function viewGrantsOf(viewer: Viewer): readonly Grant[] {
  return VIEW_GRANTS.filter((g) => !g.roles || g.roles.includes(viewer.role));
}

/** The customers a viewer can see, as a condition on the customer row aliased `alias`. */
export function visibleSql(viewer: Viewer, alias = 'c'): SqlFragment {
  const grants = viewGrantsOf(viewer);
  // Seeing any customer needs no condition (PostgreSQL would test the others on every row first).
  if (grants.some((g) => g.relation === 'ANY')) return RELATIONS.ANY.sql(viewer, alias);
  const parts = grants.map((g) => RELATIONS[g.relation].sql(viewer, alias));
  return { sql: parts.map((p) => `(${p.sql})`).join(' OR '), params: parts.flatMap((p) => p.params) };
}

export enum CustomerViewName {
  POOL = 'POOL',
  MINE = 'MINE',
  SHARED_WITH_ME = 'SHARED_WITH_ME',
  SUBORDINATES = 'SUBORDINATES',
  ALL = 'ALL',
  ARCHIVED = 'ARCHIVED',
}

/** The relation each view lists (ALL and ARCHIVED are states, listed by admins). */
const VIEW_RELATIONS: Partial<Record<CustomerViewName, Relation>> = {
  [CustomerViewName.POOL]: 'POOL',
  [CustomerViewName.MINE]: 'OWNER',
  [CustomerViewName.SHARED_WITH_ME]: 'SHAREE',
  [CustomerViewName.SUBORDINATES]: 'MANAGER_ABOVE',
};

/** A view's customers as a condition on the customer row. */
export interface ViewCondition extends SqlFragment {
  /**
   * The condition reads the status alone (everyone's customers for an admin, the pool, the
   * archive): the view's customers can be counted from the tally by status (customer-tally.ts).
   */
  onStatusAlone: boolean;
}

/**
 * Each view is a relation (or a state, for admins), always intersected with visibility; where the
 * viewer holds a view grant for the view's own relation, its rows are visible by that grant and the
 * intersection is that relation alone.
 */
export function viewSql(viewer: Viewer, view: CustomerViewName, alias = 'c'): ViewCondition {
  const relation = VIEW_RELATIONS[view];
  const scope = ((): SqlFragment => {
    if (relation) return RELATIONS[relation].sql(viewer, alias);
    if (view === CustomerViewName.ALL) {
      assertRole(viewer, [ADMIN], M.adminsOnly({ action: 'LIST_ALL' }));
      return { sql: `${alias}.status <> 'ARCHIVED'`, params: [] };
    }
    assertRole(viewer, [ADMIN], M.adminsOnly({ action: 'LIST_ARCHIVED' }));
    return { sql: `${alias}.status = 'ARCHIVED'`, params: [] };
  })();
  const grants = viewGrantsOf(viewer);
  if (grants.some((g) => g.relation === 'ANY' || g.relation === relation)) {
    return { ...scope, onStatusAlone: relation === undefined || RELATIONS[relation].onStatusAlone === true };
  }
  const visible = visibleSql(viewer, alias);
  return { sql: `(${scope.sql}) AND (${visible.sql})`, params: [...scope.params, ...visible.params], onStatusAlone: false };
}

/** Role-level refusals are top-level errors: an operation this role may never do. */
export function assertRole(viewer: Viewer, roles: readonly Role[], message: Message = M.notAllowedForRole()): void {
  if (!roles.includes(viewer.role)) throw new RequestError('FORBIDDEN', message);
}

/** Only a MANAGER or an ADMIN can be someone's manager. */
export function canManageOthers(role: Role): boolean {
  return role === ADMIN || role === MANAGER;
}

// API keys: a key acts as its user, narrowed by its scopes. Which scope each root field needs is
// said here, once; execution.ts asks before every root field of a request made with a key.

/** The scopes a key of a user with this role may hold. */
export function scopesFor(role: Role): ApiScope[] {
  return Object.values(ApiScope).filter((s) => s !== ApiScope.ADMIN || role === ADMIN);
}

/** What a request made with an API key carries: the key and what it may do. */
export interface KeyGrant {
  id: string;
  scopes: ReadonlySet<ApiScope>;
}

const { READ, WRITE, POOL } = ApiScope;

/**
 * The scope each mutation needs with a key; null: never with a key (keys, passwords, sessions and
 * print links are a person's own business, and a key does not sign in). Every mutation of the schema must be
 * here: the schema refuses to build otherwise (execution.ts), so none can be forgotten.
 */
export const MUTATION_SCOPES: Readonly<Record<string, ApiScope | null>> = {
  login: null,
  passwordChange: null,
  logout: null,
  sessionsEndOthers: null,
  apiKeyCreate: null,
  apiKeyRevoke: null,
  // A link opens a page in a browser as the person; a partner app sends its key to the route itself.
  printLinkCreate: null,

  customerCreate: WRITE,
  customerUpdate: WRITE,
  customersUpdate: WRITE,
  contactCreate: WRITE,
  contactUpdate: WRITE,
  contactDelete: WRITE,
  contactsDelete: WRITE,
  contactRelationCreate: WRITE,
  contactRelationUpdate: WRITE,
  contactRelationDelete: WRITE,
  interactionCreate: WRITE,
  interactionUpdate: WRITE,
  interactionDelete: WRITE,
  quoteCreate: WRITE,
  quoteUpdate: WRITE,
  quoteStatusChange: WRITE,
  quoteDelete: WRITE,
  contractCreate: WRITE,
  quoteToContract: WRITE,
  contractUpdate: WRITE,
  contractStatusChange: WRITE,
  contractDelete: WRITE,
  receivableCreate: WRITE,
  receivableUpdate: WRITE,
  receivableDelete: WRITE,
  receiptCreate: WRITE,
  receiptUpdate: WRITE,
  receiptDelete: WRITE,
  attachmentDelete: WRITE,
  notificationsMarkRead: WRITE,

  customersClaim: POOL,
  customersReturn: POOL,
  customersAssign: POOL,
  customersReclaim: POOL,
  customersShare: POOL,
  customersUnshare: POOL,
  customerSharesSet: POOL,
  customersArchive: POOL,
  customersRestore: POOL,

  userHandover: ApiScope.ADMIN,
  poolSettingsUpdate: ApiScope.ADMIN,
  poolSweepRun: ApiScope.ADMIN,
  userCreate: ApiScope.ADMIN,
  userUpdate: ApiScope.ADMIN,
  userDeactivate: ApiScope.ADMIN,
  userReactivate: ApiScope.ADMIN,
};

/** The scope a root field needs with a key (every query needs READ); null: never with a key. */
export function scopeOfRootField(typeName: string, fieldName: string): ApiScope | null {
  if (typeName === 'Query') return READ;
  if (typeName === 'Mutation') {
    const scope = MUTATION_SCOPES[fieldName];
    if (scope === undefined) throw new Error(`Mutation.${fieldName} has no entry in MUTATION_SCOPES`);
    return scope;
  }
  return null;
}

/** Refuses, with FORBIDDEN, a root field a request's API key may not call; without a key, nothing. */
export function assertKeyMay(viewer: Viewer, typeName: string, fieldName: string): void {
  const key = viewer.apiKey;
  if (!key) return;
  const scope = scopeOfRootField(typeName, fieldName);
  if (scope === null) throw new RequestError('FORBIDDEN', M.keyCannotCall({ field: fieldName }));
  // ADMIN counts only for an admin's key (a key never does more than its user could).
  if (!key.scopes.has(scope) || (scope === ApiScope.ADMIN && viewer.role !== ADMIN)) {
    throw new RequestError('FORBIDDEN', M.keyLacksScope({ scope, field: fieldName }));
  }
}

/** The scope a plain HTTP route (attachments, print pages, exports) needs with a key: reading or writing. */
export function scopeOfRoute(method: string): ApiScope {
  return method === 'GET' || method === 'HEAD' ? READ : WRITE;
}

/** Refuses, with FORBIDDEN, a plain HTTP request its API key lacks the scope for. */
export function assertKeyMayRoute(viewer: Viewer, method: string): void {
  const scope = scopeOfRoute(method);
  if (viewer.apiKey && !viewer.apiKey.scopes.has(scope)) {
    throw new RequestError('FORBIDDEN', M.keyLacksScope({ scope, field: null }));
  }
}

/** Whose API keys a viewer lists and revokes: their own; an admin everyone's. */
export function canManageKeysOf(viewer: Viewer, userId: string): boolean {
  return viewer.id === userId || viewer.role === ADMIN;
}
