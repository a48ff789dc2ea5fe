import { attachmentsFieldResolver } from '../attachments/attachment.resolver.js';
import { registerRecordAttachable } from '../attachments/attachable.js';
import { Interaction } from './interaction.entity.js';

// Files can be attached to an interaction; they follow its customer and disappear with the interaction.
registerRecordAttachable('Interaction', Interaction, 'interaction');

export const InteractionAttachmentsResolver = attachmentsFieldResolver(Interaction, 'Interaction');
