import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000001Core } from './Migration20261127000001Core.js';
import { Migration20261127200000Money } from './Migration20261127200000Money.js';

// Listed explicitly: glob discovery does not work under every loader (vitest, tsx, compiled).
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261127000001Core', class: Migration20261127000001Core },
  { name: 'Migration20261127200000Money', class: Migration20261127200000Money },
];
