import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLScalarType,
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { toGlobalId, type NodeTypeName } from '../../src/common/ids.js';
import type { TestApp } from './test-app.js';

// A corpus of malformed input for every root field of the schema, derived from the schema itself
// (by introspection, so that a new mutation or argument is covered without anyone listing it), and
// the database's fingerprint to show that nothing changed.

export interface GraphQLCase {
  /** What it sends, for the failure message. */
  label: string;
  query: string;
  variables: Record<string, unknown>;
}

export async function introspect(app: TestApp): Promise<GraphQLSchema> {
  const res = await fetch(app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${app.admin.token}` },
    body: JSON.stringify({ query: getIntrospectionQuery() }),
  });
  const { data } = (await res.json()) as { data: IntrospectionQuery };
  return buildClientSchema(data);
}

/** Real ids of one record of each kind, so that a refusal is about the value under test. */
export type RecordIds = Partial<Record<NodeTypeName, string>>;

/** The id a (possibly nested) field named `name` of root field `root` most plausibly wants. */
function idFor(name: string, root: string, ids: RecordIds): string {
  const base = name.replace(/Ids?$/, '').toLowerCase();
  const byName: Record<string, NodeTypeName> = {
    customer: 'Customer',
    contact: 'Contact',
    relatedcontact: 'Contact',
    interaction: 'Interaction',
    quote: 'Quote',
    contract: 'Contract',
    receivable: 'Receivable',
    receipt: 'Receipt',
    attachment: 'Attachment',
    user: 'User',
    assignee: 'User',
    manager: 'User',
    record: 'Customer',
  };
  let type = byName[base];
  if (!type && (name === 'id' || name === 'ids')) {
    // `id` of `contactRelationUpdate` is a ContactRelation's, of `receiptDelete` a Receipt's, ...
    const prefixes: [string, NodeTypeName][] = [
      ['contactRelation', 'ContactRelation'],
      ['contact', 'Contact'],
      ['interaction', 'Interaction'],
      ['quote', 'Quote'],
      ['contract', 'Contract'],
      ['receivable', 'Receivable'],
      ['receipt', 'Receipt'],
      ['attachment', 'Attachment'],
      ['user', 'User'],
      ['notification', 'Notification'],
      ['node', 'Customer'],
      ['customer', 'Customer'],
    ];
    type = prefixes.find(([prefix]) => root.startsWith(prefix))?.[1];
  }
  return ids[type ?? 'Customer'] ?? ids.Customer!;
}

const NOW = new Date().toISOString();

/** A plausible value of `type` (every required field, nothing else), for what is not under test. */
export function plausible(type: GraphQLInputType, name: string, root: string, ids: RecordIds, seen: string[] = []): unknown {
  if (isNonNullType(type)) return plausible(type.ofType, name, root, ids, seen);
  if (isListType(type)) return [plausible(type.ofType, name, root, ids, seen)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined) {
        value[field.name] = plausible(field.type, field.name, root, ids, [...seen, type.name]);
      }
    }
    return value;
  }
  switch ((type as GraphQLScalarType).name) {
    case 'ID':
      return idFor(name, root, ids);
    case 'Int':
      return 1;
    case 'Float':
      return 1.5;
    case 'Boolean':
      return false;
    case 'DateTime':
      return NOW;
    case 'Date':
      return '2026-01-15';
    case 'Decimal':
      return '1.00';
    default:
      return `x-${name}`;
  }
}

/** A leaf (scalar or enum) somewhere in an argument's value: its path and type. */
interface Leaf {
  path: (string | number)[];
  type: GraphQLScalarType | GraphQLEnumType;
  /** Non-null text that must say something (a name, a title, a subject). */
  requiredText: boolean;
  /** The argument's value with this leaf set to `value`, everything around it plausible. */
  build: (value: unknown) => unknown;
  /** `InputType.field` when the leaf is a field of an input type (a type many arguments share). */
  owner?: string;
}

/**
 * Every leaf of an input type, through input objects and lists (each input type once per path),
 * with the objects around it holding plausible values of their required fields.
 */
function leaves(type: GraphQLInputType, name: string, root: string, ids: RecordIds, seen: string[] = []): Leaf[] {
  const nonNull = isNonNullType(type);
  const inner = nonNull ? type.ofType : type;
  if (isListType(inner)) {
    return leaves(inner.ofType, name, root, ids, seen).map((leaf) => ({ ...leaf, path: [0, ...leaf.path], build: (v) => [leaf.build(v)] }));
  }
  if (isLeafType(inner)) {
    const requiredText = nonNull && inner.name === 'String' && /name$|title$|subject$|product$/i.test(name);
    return [{ path: [], type: inner, requiredText, build: (v) => v }];
  }
  const object = inner as GraphQLInputObjectType;
  if (seen.includes(object.name)) return [];
  const around = plausible(object, name, root, ids) as Record<string, unknown>;
  return Object.values(object.getFields()).flatMap((field) =>
    leaves(field.type, field.name, root, ids, [...seen, object.name]).map((leaf) => ({
      ...leaf,
      owner: leaf.owner ?? `${object.name}.${field.name}`,
      path: [field.name, ...leaf.path],
      build: (v: unknown) => ({ ...around, [field.name]: leaf.build(v) }),
    })),
  );
}

const MALFORMED_IDS = ['', 'not base64!', Buffer.from('Customer:0').toString('base64url'), Buffer.from('Nope:1').toString('base64url'), 'x'.repeat(5000)];

const UNSTORABLE = ['a\u0000b', '\ud800'];
const WRONG_TYPE = { a: 1 };

/**
 * Values that must be refused wherever a leaf of this type is, and never answer 5xx, the most
 * telling first: what only the central checks refuse, then what the services must, then a value
 * of the wrong type.
 */
function badValues(leaf: Leaf): unknown[] {
  const type = leaf.type;
  if (isEnumType(type)) return ['\u0000', 'NOT_A_VALUE', WRONG_TYPE];
  switch (type.name) {
    case 'String':
      return [...UNSTORABLE, ...(leaf.requiredText ? ['\u200b\u200b', '\ufeff \u2060\u00ad\u3164'] : []), 'x'.repeat(100_001), WRONG_TYPE];
    case 'ID':
      return [UNSTORABLE[0], ...MALFORMED_IDS, WRONG_TYPE];
    case 'Int':
      return ['\u0000', -1, 2_147_483_648, 1.5];
    case 'Boolean':
      return ['\u0000', 0];
    case 'DateTime':
      return ['0000-01-01T00:00:00Z', '10000-01-01T00:00:00Z', '0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-01:00', '2026-02-30T00:00:00Z', 8.64e15 + 1];
    case 'Date':
      return ['0000-01-01', '10000-01-01', '2026-02-30', '26-01-01', 20260101];
    case 'Decimal':
      return ['1\u0000', '1e5', '9'.repeat(40), '1.0000001', 1.5];
    default:
      return [...UNSTORABLE, WRONG_TYPE];
  }
}

function selectionFor(field: GraphQLField<unknown, unknown>): string {
  return isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
}

/** A GraphQL literal of a JSON value of `type` (enum values bare). */
function literal(value: unknown, type: GraphQLInputType): string {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (value === null || value === undefined) return 'null';
  if (isListType(inner)) return `[${(value as unknown[]).map((v) => literal(v, inner.ofType)).join(', ')}]`;
  if (isEnumType(inner)) return String(value);
  if (isInputObjectType(inner)) {
    const fields = inner.getFields();
    return `{ ${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${literal(v, fields[k]!.type)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
}

/**
 * Every root field with malformed arguments: each leaf of each argument replaced by each value of
 * its type that must be refused, through variables; each argument as a whole of the wrong type, as
 * null, or missing; and unstorable text written as a literal in the document.
 */
export function graphqlCorpus(schema: GraphQLSchema, ids: RecordIds): Map<string, GraphQLCase[]> {
  const corpus = new Map<string, GraphQLCase[]>();
  // Each field of an input type gets every bad value once, where it is first met; where the same
  // input type comes again (the customer filter under every batch action) one of its leaves gets
  // one, which shows that the argument goes through the same checks, and keeps the run short.
  const covered = new Set<string>();
  for (const [kind, root] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const) {
    for (const field of Object.values(root!.getFields())) {
      const key = `${root!.name}.${field.name}`;
      const cases: GraphQLCase[] = [];
      const select = selectionFor(field);
      if (field.args.length === 0) {
        cases.push({ label: `${key}(unknown: "\\u0000")`, query: `${kind} { ${field.name}(unknown: "\\u0000")${select} }`, variables: {} });
        corpus.set(key, cases);
        continue;
      }
      const declared = field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
      const passed = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const query = `${kind} Corpus(${declared}) { ${field.name}(${passed})${select} }`;
      const baseline: Record<string, unknown> = {};
      for (const arg of field.args) {
        if (isNonNullType(arg.type) && arg.defaultValue === undefined) baseline[arg.name] = plausible(arg.type, arg.name, field.name, ids);
      }
      for (const arg of field.args) {
        const sampled = new Set<string>();
        const typesSeen = new Set<string>();
        for (const leaf of leaves(arg.type, arg.name, field.name, ids)) {
          const ownerType = leaf.owner?.split('.')[0];
          let values = badValues(leaf);
          if (leaf.owner && covered.has(leaf.owner)) {
            // Met before, in full: one leaf of the type, with its most telling value.
            if (sampled.has(ownerType!)) continue;
            sampled.add(ownerType!);
            values = values.slice(0, 1);
          } else if (typesSeen.has(`${ownerType}:${leaf.type.name}:${leaf.requiredText}`)) {
            // A further optional text (or number, date) of the same input: the central check and
            // the field's own limits; what its type refuses everywhere was shown on the first one.
            values = [values[0], ...values.filter((v) => typeof v === 'string' && v.length > 1000)];
          }
          typesSeen.add(`${ownerType}:${leaf.type.name}:${leaf.requiredText}`);
          if (leaf.owner) covered.add(leaf.owner);
          for (const bad of values) {
            const variables = { ...baseline, [arg.name]: leaf.build(bad) };
            const shown = typeof bad === 'string' && bad.length > 40 ? `"${bad.slice(0, 12)}…" (${bad.length})` : JSON.stringify(bad);
            cases.push({ label: `${key} $${arg.name}${leaf.path.map((p) => `.${p}`).join('')} = ${shown}`, query, variables });
          }
        }
        for (const whole of ['x', [], null]) {
          cases.push({ label: `${key} $${arg.name} = ${JSON.stringify(whole)}`, query, variables: { ...baseline, [arg.name]: whole } });
        }
        if (isNonNullType(arg.type)) {
          const { [arg.name]: _omitted, ...rest } = baseline;
          cases.push({ label: `${key} $${arg.name} missing`, query, variables: rest });
        }
      }
      // Unstorable text as a literal: the first text leaf of each argument, written into the document.
      for (const arg of field.args) {
        const leaf = leaves(arg.type, arg.name, field.name, ids).find((l) => l.type.name === 'String' || l.type.name === 'ID');
        if (!leaf) continue;
        const args = field.args
          .filter((a) => a === arg || baseline[a.name] !== undefined)
          .map((a) => `${a.name}: ${literal(a === arg ? leaf.build('a\u0000b') : baseline[a.name], a.type)}`)
          .join(', ');
        cases.push({ label: `${key} literal ${arg.name}${leaf.path.map((p) => `.${p}`).join('')} = "a\\u0000b"`, query: `${kind} { ${field.name}(${args})${select} }`, variables: {} });
      }
      corpus.set(key, cases);
    }
  }
  return corpus;
}

export interface GraphQLOutcome {
  status: number;
  codes: string[];
  body: string;
}

export async function postGraphQL(app: TestApp, token: string | undefined, body: string, contentType = 'application/json'): Promise<GraphQLOutcome> {
  const res = await fetch(app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const text = await res.text();
  let codes: string[] = [];
  try {
    const json = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
    codes = (json.errors ?? []).map((e) => e.extensions?.code ?? 'NO_CODE');
  } catch {
    codes = ['NOT_JSON'];
  }
  return { status: res.status, codes, body: text };
}

/** Runs `tasks` with at most `limit` at a time. */
export async function inParallel<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}

/**
 * Counters of attempts, which count refused requests too by design: failed sign-ins, the sign-in
 * throttle, per-user rate limits and cost buckets.
 */
export const ATTEMPT_COUNTERS = ['login_failure', 'login_throttle', 'rate_limit', 'cost_bucket'];

/**
 * Every table's row count and a checksum of its rows, but for `except` (tables whose rows a
 * refused request may change: the counters of attempts).
 */
export async function databaseFingerprint(app: TestApp, except: string[] = ATTEMPT_COUNTERS): Promise<Record<string, string>> {
  const em = app.orm.em.fork();
  const tables = await em.execute<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const kept = tables.map((t) => t.name).filter((name) => !except.includes(name));
  // One statement for all of them: the corpus takes a fingerprint after every root field.
  const rows = await em.execute<{ name: string; n: string; sum: string | null }[]>(
    kept
      .map((name) => `SELECT '${name}' AS name, count(*)::text AS n, md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))) AS sum FROM "${name}" t`)
      .join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((row) => [row.name, `${row.n}:${row.sum ?? ''}`]));
}

/** The global ids of one live record of each kind (the first of each table). */
export async function firstRecordIds(app: TestApp): Promise<RecordIds> {
  const em = app.orm.em.fork();
  const tables: [NodeTypeName, string][] = [
    ['Customer', 'customer'],
    ['Contact', 'contact'],
    ['ContactRelation', 'contact_relation'],
    ['Interaction', 'interaction'],
    ['Quote', 'quote'],
    ['Contract', 'contract'],
    ['Receivable', 'receivable'],
    ['Receipt', 'receipt'],
    ['Attachment', 'attachment'],
    ['Notification', 'notification'],
  ];
  const ids: RecordIds = {};
  for (const [type, table] of tables) {
    const [row] = await em.execute<{ id: string }[]>(`SELECT id::text AS id FROM ${table} ORDER BY id LIMIT 1`);
    if (row) ids[type] = toGlobalId(type, row.id);
  }
  return ids;
}

