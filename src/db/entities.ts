import { Attachment } from '../attachments/attachment.entity.js';
import { Contact } from '../contacts/contact.entity.js';
import { ContactRelation } from '../contacts/contact-relation.entity.js';
import { Contract } from '../contracts/contract.entity.js';
import { Customer } from '../customers/customer.entity.js';
import { CustomerShare } from '../customers/customer-share.entity.js';
import { OwnershipEvent } from '../customers/ownership-event.entity.js';
import { Interaction } from '../interactions/interaction.entity.js';
import { Notification } from '../notifications/notification.entity.js';
import { Receipt } from '../payments/receipt.entity.js';
import { Receivable } from '../payments/receivable.entity.js';
import { QuoteItem } from '../quotes/quote-item.entity.js';
import { Quote } from '../quotes/quote.entity.js';
import { User } from '../users/user.entity.js';
import { AppSetting } from './app-setting.entity.js';
import { DocumentAccess } from '../print/document-access.entity.js';
import { ApiKey } from '../api-keys/api-key.entity.js';

export const entities = [
  User,
  Customer,
  CustomerShare,
  OwnershipEvent,
  AppSetting,
  Contact,
  ContactRelation,
  Interaction,
  Quote,
  QuoteItem,
  Contract,
  Receivable,
  Receipt,
  Attachment,
  Notification,
  DocumentAccess,
  ApiKey,
];
