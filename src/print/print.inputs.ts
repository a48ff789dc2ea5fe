import { ArrayMaxSize, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { CustomerViewName } from '../auth/policy.js';
import { PageArgs } from '../common/connection.js';
import { CustomerFilter } from '../customers/customer-filter.js';
import { CustomerOrder } from '../customers/customer.inputs.js';
import { DocumentAccessKind } from './document-access.entity.js';
import { PrintKind } from './print-link.js';

@InputType({
  description:
    'A document to open in a browser tab: CUSTOMER with customerId; LIST or CSV with view and, as for `customers`, filter, search and orderBy.',
})
export class PrintLinkCreateInput {
  @Field(() => PrintKind, { description: 'CUSTOMER (one record), LIST (a printable list page) or CSV (an export).' })
  kind!: PrintKind;

  @Field(() => ID, { nullable: true, description: 'CUSTOMER: the customer to print.' })
  customerId?: string | null;

  @Field(() => CustomerViewName, { nullable: true, description: 'LIST and CSV: the list.' })
  view?: CustomerViewName | null;

  @Field(() => CustomerFilter, { nullable: true, description: 'LIST and CSV: the combined query (组合查询), as for customers.' })
  @ValidateNested() // as on `customers`: class-validator checks nested inputs only when told to
  filter?: CustomerFilter | null;

  @Field(() => String, { nullable: true, description: 'LIST and CSV: the quick search, as for customers.' })
  @IsOptional()
  @MaxLength(100)
  search?: string | null;

  @Field(() => [CustomerOrder], { nullable: true, description: 'LIST and CSV: the order, as for customers.' })
  @IsOptional()
  @ArrayMaxSize(5)
  orderBy?: CustomerOrder[] | null;
}

@ArgsType()
export class DocumentAccessLogArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only what this user printed or exported.' })
  userId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only prints of this customer.' })
  customerId?: string | null;

  @Field(() => DocumentAccessKind, { nullable: true, description: 'Only this kind of document.' })
  kind?: DocumentAccessKind | null;
}
