import { seedContacts, seedRelations } from './demo-contacts.js';
import { seedDeals } from './demo-deals.js';
import { seedFiles } from './demo-files.js';
import { seedInteractions } from './demo-interactions.js';
import { actAs, type DemoContact, type DemoCustomer, type DemoRecordCounts, type DemoWorld } from './demo-world.js';
import { random } from './random.js';

// The records of the demo customers, after the ownership steps: each owner works through their
// customers one by one (contacts, interactions, quotes and contracts with their money, files);
// managers record contacts of some pool customers; the relation graph comes last, once every
// contact exists. Each kind of record draws from its own random stream, so changing one kind
// leaves the others as they were.

/** Who records contacts of a pool customer: the manager of its region (managers edit the pool). */
function poolEditor(customer: DemoCustomer): string {
  const region = customer.spec.region;
  if (region === '华东' || region === '华北') return 'east';
  if (region === '华南' || region === '西南') return 'south';
  return 'director';
}

export async function seedDemoRecords(world: DemoWorld, customers: readonly DemoCustomer[]): Promise<DemoRecordCounts> {
  const rnd = {
    contacts: random(101),
    interactions: random(202),
    deals: random(303),
    files: random(404),
    relations: random(505),
  };
  const counts: DemoRecordCounts = {
    contacts: 0,
    relations: 0,
    interactions: 0,
    quotes: 0,
    contracts: 0,
    receivables: 0,
    receipts: 0,
    attachments: 0,
  };
  const allContacts: DemoContact[] = [];
  let poolCustomers = 0;
  for (const customer of customers) {
    if (customer.archived) continue;
    if (!customer.owner) {
      if (poolCustomers++ % 4 !== 0) continue;
      const contacts = await seedContacts(await actAs(world, poolEditor(customer)), rnd.contacts, customer);
      counts.contacts += contacts.length;
      allContacts.push(...contacts);
      continue;
    }
    const ctx = await actAs(world, customer.owner);
    const contacts = await seedContacts(ctx, rnd.contacts, customer);
    counts.contacts += contacts.length;
    allContacts.push(...contacts);
    counts.interactions += await seedInteractions(ctx, rnd.interactions, world.calendar, customer, contacts);
    const deals = await seedDeals(ctx, rnd.deals, world.calendar, customer);
    counts.quotes += deals.quotes;
    counts.contracts += deals.contracts;
    counts.receivables += deals.receivables;
    counts.receipts += deals.receipts;
    counts.attachments += await seedFiles(ctx, rnd.files, world.calendar, customer, contacts);
  }
  counts.relations = await seedRelations(world, rnd.relations, allContacts);
  return counts;
}
