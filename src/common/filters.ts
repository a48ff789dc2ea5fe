import { ArrayMaxSize, IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import type { SqlFragment } from './keyset.js';

// Typed filter operators shared by every list, and their translation to SQL conditions. Every
// value travels as a bound parameter; column expressions come from the code, never from input.

export enum NullCheck {
  NULL = 'NULL',
  NOT_NULL = 'NOT_NULL',
}
registerEnumType(NullCheck, {
  name: 'NullCheck',
  description: 'is: NULL (empty) or NOT_NULL (set).',
  valuesConfig: {
    NULL: { description: 'The field is empty.' },
    NOT_NULL: { description: 'The field is set.' },
  },
});

@InputType({ description: 'All given operators must hold. Text comparisons: eq/neq/in exact; contains/startsWith ignore case.' })
export class StringFilter {
  @Field(() => String, { nullable: true, description: 'Equal to this text, exactly (up to 200 characters).' })
  @IsOptional()
  @MaxLength(200)
  eq?: string | null;

  @Field(() => String, { nullable: true, description: 'Not equal; rows where the field is empty count as not equal.' })
  @IsOptional()
  @MaxLength(200)
  neq?: string | null;

  @Field(() => [String], { nullable: true, description: 'Equal to one of these texts, exactly (at most 100; an empty list matches nothing).' })
  @IsOptional()
  @ArrayMaxSize(100)
  in?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Contains this text anywhere, ignoring case.' })
  @IsOptional()
  @MaxLength(200)
  contains?: string | null;

  @Field(() => String, { nullable: true, description: 'Starts with this text, ignoring case.' })
  @IsOptional()
  @MaxLength(200)
  startsWith?: string | null;

  @Field(() => NullCheck, { nullable: true, description: 'The field is empty (NULL) or set (NOT_NULL).' })
  is?: NullCheck | null;
}

@InputType({ description: 'All given operators must hold.' })
export class DateTimeFilter {
  @Field(() => Date, { nullable: true, description: 'At exactly this instant.' })
  eq?: Date | null;

  @Field(() => Date, { nullable: true, description: 'After this instant.' })
  gt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'At or after this instant.' })
  gte?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Before this instant.' })
  lt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'At or before this instant.' })
  lte?: Date | null;

  @Field(() => NullCheck, { nullable: true, description: 'The instant is empty (NULL) or set (NOT_NULL).' })
  is?: NullCheck | null;
}

@InputType({ description: 'A reference to another object by its global id.' })
export class IdFilter {
  @Field(() => ID, { nullable: true, description: 'References exactly this object (an unknown id matches nothing).' })
  eq?: string | null;

  @Field(() => [ID], { nullable: true, description: 'References one of these objects (at most 100; an empty list matches nothing).' })
  @IsOptional()
  @ArrayMaxSize(100)
  in?: string[] | null;

  @Field(() => NullCheck, { nullable: true, description: 'The reference is empty (NULL) or set (NOT_NULL).' })
  is?: NullCheck | null;
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

export function all(parts: SqlFragment[]): SqlFragment {
  if (parts.length === 0) return { sql: 'TRUE', params: [] };
  return { sql: parts.map((p) => `(${p.sql})`).join(' AND '), params: parts.flatMap((p) => p.params) };
}

export function any(parts: SqlFragment[]): SqlFragment {
  if (parts.length === 0) return { sql: 'FALSE', params: [] };
  return { sql: parts.map((p) => `(${p.sql})`).join(' OR '), params: parts.flatMap((p) => p.params) };
}

function nullCheck(column: string, is: NullCheck | null | undefined): SqlFragment[] {
  if (!is) return [];
  return [{ sql: `${column} IS ${is === NullCheck.NULL ? '' : 'NOT '}NULL`, params: [] }];
}

/**
 * A StringFilter on `column`; `normalise` maps the given values onto the column's form (e.g. the
 * digits of a phone), returning null when a value can't match anything.
 */
export function stringFilterSql(column: string, f: StringFilter, normalise: (v: string) => string | null = (v) => v): SqlFragment {
  const parts: SqlFragment[] = [];
  const value = (v: string) => normalise(v);
  if (f.eq !== undefined && f.eq !== null) parts.push({ sql: `${column} = ?`, params: [value(f.eq)] });
  if (f.neq !== undefined && f.neq !== null) {
    // A value that names nothing (a "phone" without enough digits) equals no row, so every row
    // is not equal to it, rows with an empty field included.
    const v = value(f.neq);
    parts.push(v === null ? { sql: 'TRUE', params: [] } : { sql: `${column} IS DISTINCT FROM ?`, params: [v] });
  }
  if (f.in) {
    const values = f.in.map(value).filter((v): v is string => v !== null);
    parts.push(values.length ? { sql: `${column} IN (${values.map(() => '?').join(', ')})`, params: values } : { sql: 'FALSE', params: [] });
  }
  if (f.contains !== undefined && f.contains !== null) {
    const v = value(f.contains);
    parts.push(v === null ? { sql: 'FALSE', params: [] } : { sql: `${column} ILIKE ?`, params: [`%${escapeLike(v)}%`] });
  }
  if (f.startsWith !== undefined && f.startsWith !== null) {
    const v = value(f.startsWith);
    parts.push(v === null ? { sql: 'FALSE', params: [] } : { sql: `${column} ILIKE ?`, params: [`${escapeLike(v)}%`] });
  }
  parts.push(...nullCheck(column, f.is));
  return all(parts);
}

export function dateTimeFilterSql(column: string, f: DateTimeFilter): SqlFragment {
  const parts: SqlFragment[] = [];
  const ops: [keyof DateTimeFilter, string][] = [
    ['eq', '='],
    ['gt', '>'],
    ['gte', '>='],
    ['lt', '<'],
    ['lte', '<='],
  ];
  for (const [key, op] of ops) {
    const v = f[key];
    if (v instanceof Date) parts.push({ sql: `${column} ${op} ?::timestamptz`, params: [v.toISOString()] });
  }
  parts.push(...nullCheck(column, f.is));
  return all(parts);
}

/** An IdFilter over an internal id column; `decode` turns a global id into the internal one. */
export function idFilterSql(column: string, f: IdFilter, decode: (globalId: string) => string | undefined): SqlFragment {
  const parts: SqlFragment[] = [];
  if (f.eq !== undefined && f.eq !== null) {
    const id = decode(f.eq);
    parts.push(id ? { sql: `${column} = ?::bigint`, params: [id] } : { sql: 'FALSE', params: [] });
  }
  if (f.in) {
    const ids = f.in.map(decode).filter((i): i is string => !!i);
    parts.push(ids.length ? { sql: `${column} IN (${ids.map(() => '?::bigint').join(', ')})`, params: ids } : { sql: 'FALSE', params: [] });
  }
  parts.push(...nullCheck(column, f.is));
  return all(parts);
}

/** Enum filters: eq / in / is. */
export function enumFilterSql(column: string, f: { eq?: string | null; in?: string[] | null; is?: NullCheck | null }): SqlFragment {
  const parts: SqlFragment[] = [];
  if (f.eq) parts.push({ sql: `${column} = ?`, params: [f.eq] });
  if (f.in) parts.push(f.in.length ? { sql: `${column} IN (${f.in.map(() => '?').join(', ')})`, params: f.in } : { sql: 'FALSE', params: [] });
  parts.push(...nullCheck(column, f.is));
  return all(parts);
}
