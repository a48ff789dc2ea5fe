import { InputType } from 'type-graphql';
import { RecordVersionInput } from '../common/record-inputs.js';

@InputType()
export class AttachmentDeleteInput extends RecordVersionInput {}
