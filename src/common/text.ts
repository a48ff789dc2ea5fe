import { validationFailed } from './errors.js';
import { M, type Message } from './messages.js';

// Text as the API takes it in. Two questions, each answered here only:
// - can PostgreSQL store it at all? Text columns refuse U+0000, and a lone UTF-16 surrogate has no
//   UTF-8 form (the driver would silently turn it into U+FFFD). Every input is checked once, where
//   it enters (GraphQL arguments in input-text.ts, HTTP parameters in http/routes.ts);
// - does it say anything? Values are trimmed of spaces and invisible characters at both ends, and
//   required text must keep at least one visible character.

/** U+0000, or a surrogate that is not half of a pair. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether PostgreSQL can store the text as it is. */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** What is wrong with text PostgreSQL can't store (a message of the catalogue); undefined when it can. */
export function unstorableProblem(value: string): Message | undefined {
  const match = UNSTORABLE.exec(value);
  if (!match) return undefined;
  const char = match[0];
  return char === '\u0000'
    ? M.unstorable({ problem: 'NUL', codePoint: '0000', depth: 0 })
    : M.unstorable({ problem: 'SURROGATE', codePoint: char.charCodeAt(0).toString(16).toUpperCase(), depth: 0 });
}

/** What is wrong with text PostgreSQL can't store, in English; undefined when it can. */
export function unstorableReason(value: string): string | undefined {
  return unstorableProblem(value)?.text('en');
}

export interface InputProblem {
  /** Where it is: list indexes and object keys from the value's root, after `path`. */
  field: string[];
  /** What is wrong, in English (`problem` in the reader's language). */
  reason: string;
}

/** An InputProblem with its message. */
export interface InputFinding {
  field: string[];
  problem: Message;
}

/** The message of a finding: the field's path, then what is wrong with it. */
export function findingMessage(finding: InputFinding): Message {
  return M.fieldProblem({ field: finding.field.join('.'), reason: finding.problem });
}

/**
 * The first string PostgreSQL can't store in a value (a string, or lists and objects of them),
 * walked without recursion: a client may nest a value as deep as its body allows.
 */
export function findUnstorableText(value: unknown, path: readonly string[] = []): InputProblem | undefined {
  const found = findUnstorable(value, path);
  return found && { field: found.field, reason: found.problem.text('en') };
}

/** `findUnstorableText`, with the problem as a message of the catalogue. */
export function findUnstorable(value: unknown, path: readonly string[] = []): InputFinding | undefined {
  const pending: [unknown, readonly string[]][] = [[value, path]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, at] = next;
    if (typeof item === 'string') {
      const problem = unstorableProblem(item);
      if (problem) return { field: [...at], problem };
    } else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) pending.push([entries[i]![1], [...at, entries[i]![0]]]);
    }
  }
  return undefined;
}

/** VALIDATION_FAILED naming the field unless PostgreSQL can store every string in the value. */
export function assertStorableText(value: unknown, path: readonly string[] = []): void {
  const found = findUnstorable(value, path);
  if (found) throw validationFailed(found.field, findingMessage(found));
}

/**
 * Characters that show nothing on their own: white space, controls, format characters (zero-width
 * space and joiners, BOM, direction marks, soft hyphen, ...), other default-ignorable code points
 * (Hangul fillers, variation selectors), combining marks without a base, the blank Braille pattern.
 */
const INVISIBLE = '\\p{White_Space}\\p{Cc}\\p{Cf}\\p{Default_Ignorable_Code_Point}\\p{M}\\u2800';
const VISIBLE = new RegExp(`[^${INVISIBLE}]`, 'u');

// What is trimmed from the ends: white space, controls and the format characters that mean nothing
// there. Not marks, variation selectors or tag characters, which complete the character before them
// (an emoji's presentation, a flag).
const EDGE = '[\\p{White_Space}\\p{Cc}\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff]+';
const EDGES = new RegExp(`^${EDGE}|${EDGE}$`, 'gu');

/** Whether the text has at least one character that shows. */
export function hasVisibleText(value: string): boolean {
  return VISIBLE.test(value);
}

/**
 * Optional text as stored: trimmed (spaces and invisible characters at the ends); null when nothing
 * visible is left. Undefined stays undefined (the field was not given).
 */
export function cleanText(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  const trimmed = value.replace(EDGES, '');
  return hasVisibleText(trimmed) ? trimmed : null;
}

/** `cleanText` for an optional field that is stored as null when absent or blank. */
export function optionalText(value: string | null | undefined): string | null {
  return cleanText(value) ?? null;
}

/** Required text, cleaned: VALIDATION_FAILED (`input.<field>`) when nothing visible is left. */
export function requiredText(value: string | null | undefined, field: string | string[]): string {
  const path = typeof field === 'string' ? ['input', field] : field;
  const cleaned = cleanText(value);
  if (!cleaned) throw validationFailed(path, M.blank({ field: path[path.length - 1]! }));
  return cleaned;
}
