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
    installFieldExecution(schema, resolvers);
    return schema;
  });
  return built;
}
