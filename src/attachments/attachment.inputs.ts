import { InputType } from 'type-graphql';
import { RecordVersionInput } from '../common/record-inputs.js';

@InputType({ description: 'The attachment to delete, at the version the client read.' })
export class AttachmentDeleteInput extends RecordVersionInput {}
