import { RelationshipType } from '../../contacts/contact-relation.entity.js';
import { createRelation } from '../../contacts/contact-relation.service.js';
import { Gender } from '../../contacts/contact.entity.js';
import { createContact } from '../../contacts/contact.service.js';
import type { ContactRelationCreateInput } from '../../contacts/contact-relation.inputs.js';
import type { ContactCreateInput } from '../../contacts/contact.inputs.js';
import type { Context } from '../../context.js';
import {
  AREA_CODES,
  CONTACT_NOTES,
  FEMALE_NAMES,
  MALE_NAMES,
  MOBILE_PREFIXES,
  OUTSIDE_JOBS,
  SCHOOLS,
  SURNAMES,
  TITLES,
} from './demo-texts.js';
import { actAs, cityOf, type DemoContact, type DemoCustomer, type DemoWorld } from './demo-world.js';
import type { Random } from './random.js';

// 联系人 and 社会关系 of the demo customers, written by whoever may edit the customer: the owner,
// or a manager for a pool customer.

const digits = (rnd: Random, count: number) => String(rnd.int(0, 10 ** count - 1)).padStart(count, '0');
const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';
const letters = (rnd: Random, count: number) => Array.from({ length: count }, () => rnd.pick([...ALPHANUMERIC])).join('');

/** A mobile number as people write it: 1xx-xxxx-xxxx. */
export function demoMobile(rnd: Random): string {
  return `${rnd.pick(MOBILE_PREFIXES)}-${digits(rnd, 4)}-${digits(rnd, 4)}`;
}

export interface DemoPersonName {
  name: string;
  /** The surname and the given name in pinyin. */
  latin: { surname: string; given: string };
  gender: Gender;
}

export function demoPersonName(rnd: Random, gender: Gender = rnd.chance(0.6) ? Gender.MALE : Gender.FEMALE): DemoPersonName {
  const [surname, surnameLatin] = rnd.pick(SURNAMES);
  const [given, givenLatin] = rnd.pick(gender === Gender.MALE ? MALE_NAMES : FEMALE_NAMES);
  return { name: `${surname}${given}`, latin: { surname: surnameLatin, given: givenLatin }, gender };
}

/** How many contacts a customer gets: seven in ten owned customers 1–4, some pool customers 1–2. */
function contactCount(rnd: Random, owned: boolean): number {
  if (!owned) return rnd.int(1, 2);
  if (rnd.chance(0.3)) return 0;
  return rnd.pick([1, 1, 1, 2, 2, 2, 3, 4]);
}

function contactInput(rnd: Random, customer: DemoCustomer, title: readonly [string, string], person: DemoPersonName): ContactCreateInput {
  const year = rnd.int(1966, 1997);
  const { surname, given } = person.latin;
  const city = cityOf(customer.spec);
  const area = AREA_CODES[city] ?? '010';
  return {
    customerId: customer.customer.nodeId,
    name: person.name,
    title: title[0],
    department: title[1],
    gender: person.gender,
    mobile: demoMobile(rnd),
    // Office numbers in the demo cities have eight digits.
    phone: rnd.chance(0.6) ? `${area}-${rnd.int(5, 8)}${digits(rnd, 7)}` : null,
    email: rnd.chance(0.85) ? `${given}.${surname}@demo${customer.n}.example.cn` : null,
    // A WeChat id: chosen by the person, or the one WeChat made up.
    imHandle: rnd.chance(0.7) ? (rnd.chance(0.6) ? `${surname}${given}${year % 100}` : `wxid_${letters(rnd, 10)}`) : null,
    birthday: rnd.chance(0.75) ? `${year}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}` : null,
    address: rnd.chance(0.3) ? `${customer.spec.address}${rnd.int(2, 28)}楼` : null,
    notes: rnd.pick(CONTACT_NOTES),
  };
}

/** The customer's contacts: distinct titles, the first one (usually) the primary contact. */
export async function seedContacts(ctx: Context, rnd: Random, customer: DemoCustomer): Promise<DemoContact[]> {
  const count = contactCount(rnd, !!customer.owner);
  const withPrimary = rnd.chance(0.9);
  const titles = new Set<string>();
  const contacts: DemoContact[] = [];
  for (let i = 0; i < count; i++) {
    // The first contact is one of the usual decision makers.
    let title = rnd.pick(i === 0 ? TITLES.slice(0, 4) : TITLES);
    while (titles.has(title[0])) title = rnd.pick(TITLES);
    titles.add(title[0]);
    const person = demoPersonName(rnd);
    const contact = await createContact(ctx, { ...contactInput(rnd, customer, title, person), isPrimary: withPrimary && i === 0 });
    contacts.push({ id: contact.nodeId, name: person.name, title: title[0], gender: person.gender, customer });
  }
  return contacts;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

type RelationInput = Omit<ContactRelationCreateInput, 'contactId'>;

/** Relations are recorded by the owner of the contact's customer, one context per owner. */
function relater(world: DemoWorld): (from: DemoContact, input: RelationInput) => Promise<void> {
  const contexts = new Map<string, Promise<Context>>();
  return async (from, input) => {
    const owner = from.customer.owner!;
    if (!contexts.has(owner)) contexts.set(owner, actAs(world, owner));
    await createRelation(await contexts.get(owner)!, { contactId: from.id, ...input });
  };
}

/**
 * Social relations of owned customers' contacts: spouses and classmates (people outside the
 * CRM), and links between contacts, so the relation graph has edges: colleagues within a
 * customer, former colleagues at two customers of the same salesperson.
 */
export async function seedRelations(world: DemoWorld, rnd: Random, contacts: readonly DemoContact[]): Promise<number> {
  const relate = relater(world);
  let count = 0;
  const owned = contacts.filter((c) => c.customer.owner);
  for (const c of owned) {
    const roll = rnd.next();
    if (roll < 0.05) {
      const spouse = demoPersonName(rnd, c.gender === Gender.MALE ? Gender.FEMALE : Gender.MALE);
      const [organization, position] = rnd.pick(OUTSIDE_JOBS);
      await relate(c, {
        relationship: RelationshipType.SPOUSE,
        personName: spouse.name,
        organization,
        position,
        phone: demoMobile(rnd),
        notes: '爱人，逢年过节可代为问候',
      });
      count++;
    } else if (roll < 0.09) {
      const classmate = demoPersonName(rnd);
      const [organization, position] = rnd.pick(OUTSIDE_JOBS);
      await relate(c, {
        relationship: RelationshipType.CLASSMATE,
        personName: classmate.name,
        organization,
        position,
        notes: `${rnd.pick(SCHOOLS)}同学，关系密切`,
      });
      count++;
    }
  }
  // Within a customer: the second contact reports to the first.
  const byCustomer = groupBy(owned, (c) => c.customer.customer.id);
  for (const group of byCustomer.values()) {
    if (group.length < 3 || !rnd.chance(0.4)) continue;
    await relate(group[1]!, {
      relationship: RelationshipType.COLLEAGUE,
      relatedContactId: group[0]!.id,
      notes: `直属上级（${group[0]!.title}）`,
    });
    count++;
  }
  // Across two customers of the same owner: worked together before, can introduce each other.
  const byOwner = groupBy(owned, (c) => c.customer.owner!);
  for (const group of byOwner.values()) {
    for (let i = 0; i < 2; i++) {
      const from = rnd.pick(group);
      const to = rnd.pick(group);
      if (from.customer === to.customer) continue;
      await relate(from, {
        relationship: RelationshipType.FORMER_COLLEAGUE,
        relatedContactId: to.id,
        notes: '曾在同一家公司共事，可互相引荐',
      });
      count++;
    }
  }
  return count;
}
