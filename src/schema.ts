import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AttachmentResolver, CustomerAttachmentResolver } from './attachments/attachment.resolver.js';
import { ContractAttachmentsResolver } from './contracts/contract.attachable.js';
import { InteractionAttachmentsResolver } from './interactions/interaction.attachable.js';
import { QuoteAttachmentsResolver } from './quotes/quote.attachable.js';
import { INPUT_OPTIONS } from './common/schema-options.js';
import { installFieldExecution } from './execution.js';
import { ContactRelationEdgeResolver, ContactRelationResolver } from './contacts/contact-relation.resolver.js';
import { ContactResolver, CustomerContactsResolver } from './contacts/contact.resolver.js';
import { CustomerResolver } from './customers/customer.resolver.js';
import { OwnershipEventResolver } from './customers/ownership-event.resolver.js';
import { UserHistoryResolver } from './customers/user-history.js';
import {
  ContactInteractionsResolver,
  CustomerInteractionsResolver,
  InteractionResolver,
} from './interactions/interaction.resolver.js';
import { NodeResolver } from './node/node.resolver.js';
import { CustomerAccessResolver } from './customers/customer-access.resolver.js';
import { HandoverResolver } from './pool-rules/handover.resolver.js';
import { PoolSettingsResolver } from './pool-rules/pool-settings.resolver.js';
import { AutoReturnEventResolver, CustomerProtectionResolver, ProtectionResolver } from './pool-rules/protection.resolver.js';
import { NotificationResolver } from './notifications/notification.resolver.js';
import { SignInResolver } from './users/sign-in.resolver.js';
import { UserResolver } from './users/user.resolver.js';
import { CustomerQuotesResolver, QuoteItemResolver, QuoteResolver } from './quotes/quote.resolver.js';
import { ContractResolver, CustomerContractsResolver, QuoteContractResolver } from './contracts/contract.resolver.js';
import {
  ContractPaymentsResolver,
  CustomerMoneyResolver,
  ReceiptResolver,
  ReceivableResolver,
} from './payments/payment.resolver.js';
import { PrintResolver } from './print/print.resolver.js';
import { ApiKeyResolver, DocumentAccessApiKeyResolver, OwnershipEventApiKeyResolver } from './api-keys/api-key.resolver.js';

export const resolvers = [
  NodeResolver,
  UserResolver,
  SignInResolver,
  CustomerResolver,
  OwnershipEventResolver,
  OwnershipEventApiKeyResolver,
  ApiKeyResolver,
  DocumentAccessApiKeyResolver,
  UserHistoryResolver,
  PoolSettingsResolver,
  HandoverResolver,
  CustomerAccessResolver,
  CustomerProtectionResolver,
  AutoReturnEventResolver,
  ProtectionResolver,
  NotificationResolver,
  AttachmentResolver,
  CustomerAttachmentResolver,
  QuoteAttachmentsResolver,
  ContractAttachmentsResolver,
  InteractionAttachmentsResolver,
  ContactResolver,
  CustomerContactsResolver,
  ContactRelationResolver,
  ContactRelationEdgeResolver,
  InteractionResolver,
  CustomerInteractionsResolver,
  ContactInteractionsResolver,
  QuoteResolver,
  QuoteItemResolver,
  CustomerQuotesResolver,
  ContractResolver,
  QuoteContractResolver,
  CustomerContractsResolver,
  ReceivableResolver,
  ReceiptResolver,
  ContractPaymentsResolver,
  CustomerMoneyResolver,
  PrintResolver,
] as const;

// type-graphql builds the root types itself and takes no description for them.
const ROOT_DESCRIPTIONS = {
  query:
    'What a signed-in user can read: customer lists (客户池, 我的客户, 共享客户, 下级客户), single records by id, colleagues, history and settings. ' +
    'Every list pages 1 to 100 records (default 20) and shows only what the viewer may see; a request is refused above the estimated query cost (MAX_QUERY_COST, 50,000 by default), depth and alias limits.',
  mutation:
    'What a signed-in user can change. Expected refusals come back as data in each payload\'s userErrors (stable codes); only unauthenticated calls, role refusals, malformed or too costly requests and throttling are top-level errors.',
};

function describeRootTypes(schema: GraphQLSchema): void {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  if (query) query.description = ROOT_DESCRIPTIONS.query;
  if (mutation) mutation.description = ROOT_DESCRIPTIONS.mutation;
}

let built: Promise<GraphQLSchema> | undefined;

/**
 * The executable schema, built once per process from the resolvers and types in code, with its
 * fields set up to run as execution.ts describes.
 */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    ...INPUT_OPTIONS,
    resolvers,
    orphanedTypes: [],
    emitSchemaFile: false,
  }).then((schema) => {
    describeRootTypes(schema);
    installFieldExecution(schema, resolvers);
    return schema;
  });
  return built;
}
