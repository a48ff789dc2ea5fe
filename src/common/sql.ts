/**
 * A PostgreSQL array literal for a bound parameter (`= ANY(?::bigint[])`): the query builder would
 * otherwise spread a JS array into a list of parameters.
 */
export function sqlArray(values: Iterable<string | number>): string {
  const items = [...values].map((v) => `"${String(v).replace(/["\\]/g, (ch) => `\\${ch}`)}"`);
  return `{${items.join(',')}}`;
}
