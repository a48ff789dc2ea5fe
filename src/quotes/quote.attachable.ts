import { attachmentsFieldResolver } from '../attachments/attachment.resolver.js';
import { registerRecordAttachable } from '../attachments/attachable.js';
import { Quote } from './quote.entity.js';

// Files can be attached to a quote; they follow its customer and disappear with the quote.
registerRecordAttachable('Quote', Quote, 'quote');

export const QuoteAttachmentsResolver = attachmentsFieldResolver(Quote, 'Quote');
