import { Attachment } from '../attachments/attachment.entity.js';
import { Customer } from '../customers/customer.entity.js';
import { CustomerShare } from '../customers/customer-share.entity.js';
import { OwnershipEvent } from '../customers/ownership-event.entity.js';
import { User } from '../users/user.entity.js';
import { AppSetting } from './app-setting.entity.js';
import { Contact } from '../contacts/contact.entity.js';
import { ContactRelation } from '../contacts/contact-relation.entity.js';
import { Interaction } from '../interactions/interaction.entity.js';

export const entities = [User, Customer, CustomerShare, OwnershipEvent, AppSetting, Attachment, Contact, ContactRelation, Interaction];
