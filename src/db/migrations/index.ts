import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000001Core } from './Migration20261127000001Core.js';
import { Migration20261127100000ContactsInteractions } from './Migration20261127100000ContactsInteractions.js';

// Listed explicitly: glob discovery does not work under every loader (vitest, tsx, compiled).
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261127000001Core', class: Migration20261127000001Core },
  { name: 'Migration20261127100000ContactsInteractions', class: Migration20261127100000ContactsInteractions },
];
