// Small functions compiled at run time, for steps that run thousands of times per nested page
// (a row into its object, a row into an entity, a response object from its fields): code that
// names its properties lets every object of a kind have one shape, and every access its own
// inline cache, where a loop over names held in variables looks each one up. Only names the
// server itself holds (column names, property names, a query's response keys) go in, and always
// as JSON string literals: no text of a request ever becomes code.

/** A function of `params` with `body`. */
export function compileFunction<F>(params: readonly string[], body: string): F {
  return new Function(...params, body) as F;
}

/** A name as a string literal, for `object[…]` and object literal keys. */
export function literal(name: string): string {
  return JSON.stringify(name);
}

/**
 * `{ "key": value, … }` with the values `value(i)` gives; undefined when a key cannot stand in a
 * literal as written (`__proto__` would set the prototype rather than make a key).
 */
export function objectLiteral(keys: readonly string[], value: (index: number) => string): string | undefined {
  if (keys.includes('__proto__')) return undefined;
  return `{\n${keys.map((key, i) => `${literal(key)}: ${value(i)}`).join(',\n')}\n}`;
}
