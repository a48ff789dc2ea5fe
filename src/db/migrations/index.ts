import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000001Core } from './Migration20261127000001Core.js';
import { Migration20261127100000ContactsInteractions } from './Migration20261127100000ContactsInteractions.js';
import { Migration20261127200000Money } from './Migration20261127200000Money.js';
import { Migration20261127300001Attachments } from './Migration20261127300001Attachments.js';
import { Migration20261127400001Search } from './Migration20261127400001Search.js';
import { Migration20261127400002Notifications } from './Migration20261127400002Notifications.js';
import { Migration20261127400003ContactSearch } from './Migration20261127400003ContactSearch.js';
import { Migration20261127400004LoginThrottle } from './Migration20261127400004LoginThrottle.js';
import { Migration20261127500001DocumentAccessLog } from './Migration20261127500001DocumentAccessLog.js';
import { Migration20261201100001ListOrders } from './Migration20261201100001ListOrders.js';
import { Migration20261202100001Sessions } from './Migration20261202100001Sessions.js';
import { Migration20261202100002LoginThrottle } from './Migration20261202100002LoginThrottle.js';
import { Migration20261202300001RateLimit } from './Migration20261202300001RateLimit.js';
import { Migration20261202300002AttachmentChunks } from './Migration20261202300002AttachmentChunks.js';
import { Migration20261202500001CostBuckets } from './Migration20261202500001CostBuckets.js';
import { Migration20261202600001ApiKeys } from './Migration20261202600001ApiKeys.js';
import { Migration20261207100001CustomerTally } from './Migration20261207100001CustomerTally.js';

// Listed explicitly (glob discovery does not work under every loader: vitest, tsx, compiled), in
// the order of their timestamps.
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261127000001Core', class: Migration20261127000001Core },
  { name: 'Migration20261127100000ContactsInteractions', class: Migration20261127100000ContactsInteractions },
  { name: 'Migration20261127200000Money', class: Migration20261127200000Money },
  { name: 'Migration20261127300001Attachments', class: Migration20261127300001Attachments },
  { name: 'Migration20261127400001Search', class: Migration20261127400001Search },
  { name: 'Migration20261127400002Notifications', class: Migration20261127400002Notifications },
  { name: 'Migration20261127400003ContactSearch', class: Migration20261127400003ContactSearch },
  { name: 'Migration20261127400004LoginThrottle', class: Migration20261127400004LoginThrottle },
  { name: 'Migration20261127500001DocumentAccessLog', class: Migration20261127500001DocumentAccessLog },
  { name: 'Migration20261201100001ListOrders', class: Migration20261201100001ListOrders },
  { name: 'Migration20261202100001Sessions', class: Migration20261202100001Sessions },
  { name: 'Migration20261202100002LoginThrottle', class: Migration20261202100002LoginThrottle },
  { name: 'Migration20261202300001RateLimit', class: Migration20261202300001RateLimit },
  { name: 'Migration20261202300002AttachmentChunks', class: Migration20261202300002AttachmentChunks },
  { name: 'Migration20261202500001CostBuckets', class: Migration20261202500001CostBuckets },
  { name: 'Migration20261202600001ApiKeys', class: Migration20261202600001ApiKeys },
  { name: 'Migration20261207100001CustomerTally', class: Migration20261207100001CustomerTally },
];
