import { attachmentsFieldResolver } from '../attachments/attachment.resolver.js';
import { registerRecordAttachable } from '../attachments/attachable.js';
import { Contract } from './contract.entity.js';

// Files can be attached to a contract; they follow its customer and disappear with the contract.
registerRecordAttachable('Contract', Contract, 'contract');

export const ContractAttachmentsResolver = attachmentsFieldResolver(Contract, 'Contract');
