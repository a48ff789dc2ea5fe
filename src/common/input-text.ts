import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, visit, type ASTNode, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { refusal } from './error-mapping.js';
import { ErrorCode, validationFailed } from './errors.js';
import { DEFAULT_LANGUAGE } from './language.js';
import { M, type Language } from './messages.js';
import { findUnstorable, findingMessage, unstorableProblem, type InputFinding } from './text.js';

// Every string a GraphQL operation carries in is either a literal in the document or part of a
// variable's value: both are checked here, once, before anything runs, so that text PostgreSQL
// can't store (text.ts) is refused as VALIDATION_FAILED by every field alike, and nothing is
// written. The whole operation is refused: such text is a malformed request, not a business outcome.
// Values nested absurdly deep are refused here too (a document's own nesting is bounded by its
// token limit, and GraphQL's parser refuses what it can't take). The JSON parameters of the plain
// routes (print and export lists) go through the same check of their values.

function refuse(finding: InputFinding, language: Language): never {
  throw refusal(findingMessage(finding), language, { code: ErrorCode.VALIDATION_FAILED, field: finding.field, http: { status: 400 } });
}

/**
 * How deep a variable's value may nest (lists and input objects, each a level). Far beyond any
 * input of the schema (filters nest at most 5 levels, 2 each), and far below what would exhaust
 * the stack of GraphQL's own recursive coercion and validation.
 */
export const MAX_INPUT_DEPTH = 32;

/** Whether a JSON value nests deeper than `limit`, found without recursion. */
function nestsDeeper(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * What is wrong with a value a client sent as JSON (a variable, a JSON parameter of a plain
 * route), if anything: nesting beyond MAX_INPUT_DEPTH, or text PostgreSQL can't store.
 */
export function inputValueProblem(value: unknown, path: readonly string[] = []): InputFinding | undefined {
  if (nestsDeeper(value, MAX_INPUT_DEPTH)) {
    return { field: [...path], problem: M.unstorable({ problem: 'DEPTH', codePoint: '', depth: MAX_INPUT_DEPTH }) };
  }
  return findUnstorable(value, path);
}

/** VALIDATION_FAILED (a domain error, for the plain routes) when `inputValueProblem` finds one. */
export function assertAcceptableInput(value: unknown, path: readonly string[] = []): void {
  const found = inputValueProblem(value, path);
  if (found) throw validationFailed(found.field, findingMessage(found));
}

/** Where a literal sits, as a client wrote it: the argument (or variable default), then the input fields. */
function literalPath(ancestors: readonly (ASTNode | readonly ASTNode[])[], parent: ASTNode | readonly ASTNode[] | undefined): string[] {
  const path: string[] = [];
  for (const ancestor of parent ? [...ancestors, parent] : ancestors) {
    if (Array.isArray(ancestor)) continue;
    const n = ancestor as ASTNode;
    if (n.kind === Kind.ARGUMENT || n.kind === Kind.OBJECT_FIELD) path.push(n.name.value);
    else if (n.kind === Kind.VARIABLE_DEFINITION) path.push(`$${n.variable.name.value}`);
  }
  return path;
}

function checkLiterals(document: DocumentNode, language: Language): void {
  visit(document, {
    StringValue(node, _key, parent, _path, ancestors) {
      const problem = unstorableProblem(node.value);
      if (problem) refuse({ field: literalPath(ancestors, parent), problem }, language);
    },
  });
}

/**
 * The check itself. `source` is the document's text when at hand: a literal can only hold U+0000
 * when it is written raw or as an escape (GraphQL's lexer refuses unpaired surrogates), so most
 * documents need no walk at all.
 */
export function assertStorableInput(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  source?: string,
  language: Language = DEFAULT_LANGUAGE,
): void {
  if (source === undefined || source.includes('\\u') || source.includes('\u0000')) checkLiterals(document, language);
  if (!variables) return;
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const found = inputValueProblem(variables[name], [name]);
    if (found) refuse(found, language);
  }
}

/** The check in Apollo's request pipeline: after parsing and validation, before execution. */
export const storableInputPlugin: ApolloServerPlugin<{ language?: Language }> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, operation, request, source, contextValue }) {
        if (operation) assertStorableInput(document, operation, request.variables, source, contextValue.language);
      },
    };
  },
};
