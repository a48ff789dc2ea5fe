// The scopes of API keys, in a module of their own (no imports): the schema registers the enum
// while the policy that uses it may still be loading.

/** What an API key may do (always within what its user may do). */
export enum ApiScope {
  /** Queries. */
  READ = 'READ',
  /** Customer data and its records; no pool actions. */
  WRITE = 'WRITE',
  /** Ownership and pool actions. */
  POOL = 'POOL',
  /** User and settings management; only for an admin's keys. */
  ADMIN = 'ADMIN',
}
