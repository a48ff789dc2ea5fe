import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import type { PasswordHasher } from './auth/password.js';
import type { TokenService } from './auth/token.js';
import { resolveViewer, viewerFromAuthorization, type SignedInViewer } from './auth/viewer.js';
import { BatchScheduler, withBatchScheduler } from './common/batch-scheduler.js';
import { companyToday } from './common/company-calendar.js';
import { RequestError } from './common/errors.js';
import { negotiateLanguage } from './common/language.js';
import { M, type Language, type Message } from './common/messages.js';
import { Reads } from './common/reads.js';
import type { Config } from './config.js';
import { readStatements } from './db/orm.js';
import { touchKey } from './api-keys/last-used.js';
import { createApiKeyLoaders, type ApiKeyLoaders } from './api-keys/api-key.loaders.js';
import { createAttachmentLoaders, type AttachmentLoaders } from './attachments/attachment.loaders.js';
import { createCustomerLoaders, type CustomerLoaders } from './customers/customer.loaders.js';
import { createAccessLoaders, type AccessLoaders } from './customers/customer-access.js';
import { createProtectionLoaders, type ProtectionLoaders } from './pool-rules/protection.js';
import { createClaimLoaders, type ClaimLoaders } from './pool-rules/pool-limits.js';
import { createContactLoaders, type ContactLoaders } from './contacts/contact.loaders.js';
import { createInteractionLoaders, type InteractionLoaders } from './interactions/interaction.loaders.js';
import { createUserLoaders, type UserLoaders } from './users/user.loaders.js';
import { createQuoteLoaders, type QuoteLoaders } from './quotes/quote.loaders.js';
import { createContractLoaders, type ContractLoaders } from './contracts/contract.loaders.js';
import { createPaymentLoaders, type PaymentLoaders } from './payments/payment.loaders.js';
import { createPrintLoaders, type PrintLoaders } from './print/print.loaders.js';
import { DEFAULT_POOL_SETTINGS, type PoolSettingsValues } from './pool-rules/pool-settings.js';

/** What lives as long as the process: shared by every request. */
export interface AppDeps {
  config: Config;
  orm: MikroORM;
  tokens: TokenService;
  passwords: PasswordHasher;
}

export interface Loaders
  extends UserLoaders,
    CustomerLoaders,
    AccessLoaders,
    ContactLoaders,
    InteractionLoaders,
    QuoteLoaders,
    ContractLoaders,
    PaymentLoaders,
    AttachmentLoaders,
    PrintLoaders,
    ProtectionLoaders,
    ClaimLoaders,
    ApiKeyLoaders {}

/** Per request: its own EntityManager fork, the viewer, and the DataLoaders. */
export interface Context {
  app: AppDeps;
  requestId: string;
  ip?: string;
  /** Why a request that sent credentials has no viewer. */
  authFailure?: Message;
  /** The language of the messages a person reads (from Accept-Language; English by default). */
  language: Language;
  log: FastifyBaseLogger;
  em: EntityManager;
  /** The signed-in user (auth/viewer.ts); null without valid credentials. */
  viewer: SignedInViewer | null;
  /** The operation's estimated cost in points (request-limits.ts), once it is known. */
  requestedCost?: number;
  /** The pool settings, read with the viewer when the request started. */
  settings: PoolSettingsValues;
  /** Today in the company's time zone (YYYY-MM-DD), as of the start of the request. */
  today: string;
  /** The read path: batched SQL and entity readers (what the loaders use). */
  reads: Reads;
  loaders: Loaders;
  /** Starts the loaders afresh: after a mutation, its payload reads what it wrote. */
  forgetReads(): void;
}

export interface ContextInput {
  requestId: string;
  log: FastifyBaseLogger;
  authorization: string | undefined;
  /** The client's address (for throttling sign-in attempts). */
  ip?: string;
  /** The request's Accept-Language header. */
  acceptLanguage?: string | string[];
}

/**
 * Builds the context of one request. Without a valid token (none, a bad or expired one, or one of
 * a deactivated user) the viewer stays empty: `login` and introspection still work (so a stale
 * token in GraphiQL's headers doesn't stop anyone signing in); everything else is refused with
 * UNAUTHENTICATED by `requireViewer`.
 */
export async function createContext(app: AppDeps, input: ContextInput): Promise<Context> {
  const em = app.orm.em.fork() as EntityManager;
  const found = input.authorization ? await viewerFromAuthorization(em, app.tokens, input.authorization) : undefined;
  if (found?.viewer.apiKey) touchKey(app, found.viewer.apiKey.id);
  const ctx = assemble(app, em, found ?? ANONYMOUS, input);
  return { ...ctx, ip: input.ip, authFailure: input.authorization && !found ? M.tokenInvalid() : undefined };
}

/**
 * The context of a request its route authenticated otherwise than by a bearer token (a signed
 * print link): the user must still be active, exactly as for a token.
 */
export async function createUserContext(
  app: AppDeps,
  userId: string,
  input: Omit<ContextInput, 'authorization'>,
): Promise<Context> {
  const em = app.orm.em.fork() as EntityManager;
  const found = await resolveViewer(em, { kind: 'user', userId });
  if (!found) throw new RequestError('UNAUTHENTICATED', M.linkInvalid(), 401);
  return assemble(app, em, found, input);
}

type Who = Pick<Context, 'viewer' | 'settings'>;

const ANONYMOUS: Who = { viewer: null, settings: DEFAULT_POOL_SETTINGS };

type RequestInput = Pick<ContextInput, 'requestId' | 'log' | 'acceptLanguage'>;

function assemble(app: AppDeps, em: EntityManager, who: Who, { requestId, log, acceptLanguage }: RequestInput): Context {
  // One scheduler per request: its loaders read in rounds, one statement each (batch-scheduler.ts).
  const scheduler = new BatchScheduler(readStatements(em, { prepared: app.config.dbPreparedStatements }));
  const tracked = scheduler.trackQueries(em);
  const reads = new Reads(scheduler, em);
  const today = companyToday(new Date(), who.settings.timeZone);
  const loaders = (): Loaders =>
    withBatchScheduler(scheduler, () => ({
      ...createUserLoaders(reads),
      ...createCustomerLoaders(reads),
      ...createAccessLoaders(reads),
      ...createAttachmentLoaders(reads),
      ...createContactLoaders(reads, who.viewer),
      ...createInteractionLoaders(reads),
      ...createQuoteLoaders(reads),
      ...createContractLoaders(reads),
      ...createPaymentLoaders(reads, today),
      ...createPrintLoaders(reads),
      ...createProtectionLoaders(reads, who.settings),
      ...createClaimLoaders(reads, who.viewer, who.settings),
      ...createApiKeyLoaders(reads),
    }));
  const current = loaders();
  return {
    app,
    requestId,
    log,
    // Once per request: every message of its errors is rendered in this language.
    language: negotiateLanguage(acceptLanguage),
    em: tracked,
    viewer: who.viewer,
    settings: who.settings,
    today,
    reads,
    loaders: current,
    // In place: Apollo hands resolvers a shallow copy of the context, sharing this object.
    forgetReads: () => void Object.assign(current, loaders()),
  };
}

/** A context acting as `userId` outside HTTP: demo data, jobs, scripts. */
export async function contextFor(app: AppDeps, userId: string, log: FastifyBaseLogger): Promise<Context> {
  const em = app.orm.em.fork() as EntityManager;
  const found = await resolveViewer(em, { kind: 'user', userId });
  if (!found) throw new Error(`User ${userId} is not active`);
  return assemble(app, em, found, { requestId: `system-${userId}`, log });
}
