import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { getSchema } from '../src/schema.js';

// GraphiQL is the API's manual: every type, field, argument, input field and enum value says what
// it means, so a coordinate without a description is a gap in the manual.

interface Coordinate {
  coordinate: string;
  description: string | null | undefined;
}

/** Every schema coordinate a client can see, with its description (graphql's own types left out). */
function schemaCoordinates(schema: GraphQLSchema): Coordinate[] {
  const out: Coordinate[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    out.push({ coordinate: type.name, description: type.description });
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        out.push({ coordinate: `${type.name}.${field.name}`, description: field.description });
        for (const arg of field.args) {
          out.push({ coordinate: `${type.name}.${field.name}(${arg.name}:)`, description: arg.description });
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        out.push({ coordinate: `${type.name}.${field.name}`, description: field.description });
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        out.push({ coordinate: `${type.name}.${value.name}`, description: value.description });
      }
    }
  }
  return out;
}

const described = (c: Coordinate) => (c.description ?? '').trim() !== '';

describe('the schema describes itself', () => {
  it('every type, field, argument, input field and enum value has a description', async () => {
    const coordinates = schemaCoordinates(await getSchema());
    const missing = coordinates.filter((c) => !described(c)).map((c) => c.coordinate);
    expect(coordinates.length).toBeGreaterThan(500);
    expect(missing, `${missing.length} of ${coordinates.length} coordinates lack a description`).toEqual([]);
  });
});
