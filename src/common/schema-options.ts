import type { BuildSchemaOptions } from 'type-graphql';
import { DateTimeScalar } from './scalars.js';

/**
 * How type-graphql turns GraphQL values into the input classes and checks them: the scalars and
 * the class-validator settings. The API's schema is built with them, and so is every other place
 * that takes the API's inputs (the print and export URLs), so an input means the same everywhere.
 */
export const INPUT_OPTIONS = {
  scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
  validate: { forbidUnknownValues: false, stopAtFirstError: false },
} satisfies Partial<BuildSchemaOptions>;
