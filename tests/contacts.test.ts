import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactFieldsFragment, ContactRelationFieldsFragment, CrmClient } from '../sdk/index.js';
import { fromGlobalId } from '../src/common/ids.js';
import { maskAddress, maskEmail, maskHandle, maskPhone } from '../src/common/masking.js';
import { makeAccessWorld, makeCustomer, makeUser, unique, type AccessWorld } from './helpers/factories.js';
import {
  ACCESS_CASES,
  expectWrite,
  hoursAgo,
  readAs,
  type AccessCase,
} from './helpers/records-world.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const DETAILS = {
  mobile: '13912345678',
  phone: '010-87654321',
  email: 'wang.jingli@example.com',
  imHandle: 'wangjl_wechat',
  address: '北京市朝阳区建国路88号SOHO现代城',
};

const MASKED_DETAILS = {
  mobile: maskPhone(DETAILS.mobile),
  phone: maskPhone(DETAILS.phone),
  email: maskEmail(DETAILS.email),
  imHandle: maskHandle(DETAILS.imHandle),
  address: maskAddress(DETAILS.address),
};

async function createContact(
  user: TestUser,
  customerId: string,
  fields: Partial<Parameters<CrmClient['ContactCreate']>[0]['input']> = {},
): Promise<ContactFieldsFragment> {
  const { contactCreate } = await user.client.ContactCreate({
    input: { customerId, name: unique('联系人'), ...DETAILS, ...fields },
  });
  expect(contactCreate.userErrors).toEqual([]);
  return contactCreate.contact!;
}

async function createRelation(
  user: TestUser,
  contactId: string,
  fields: Partial<Parameters<CrmClient['ContactRelationCreate']>[0]['input']> = {},
): Promise<ContactRelationFieldsFragment> {
  const { contactRelationCreate } = await user.client.ContactRelationCreate({
    input: {
      contactId,
      relationship: 'FRIEND',
      // A linked relation takes the linked contact's name unless one is given.
      personName: fields.relatedContactId ? undefined : unique('朋友'),
      phone: DETAILS.mobile,
      ...fields,
    },
  });
  expect(contactRelationCreate.userErrors).toEqual([]);
  return contactRelationCreate.contactRelation!;
}

/** The customer's live contacts (with their relations) as an admin sees them. */
async function contactsOf(customerId: string) {
  const { customer } = await app.admin.client.CustomerContacts({ id: customerId, first: 50, relationsFirst: 5 });
  return customer!.contacts.edges.map((e) => e.node);
}

async function contactAsAdmin(id: string) {
  const { node } = await app.admin.client.ContactNode({ id });
  return node?.__typename === 'Contact' ? node : null;
}

async function relationAsAdmin(id: string) {
  const { node } = await app.admin.client.ContactRelationNode({ id });
  return node?.__typename === 'ContactRelation' ? node : null;
}

function expectDetails(contact: { mobile?: string | null; phone?: string | null; email?: string | null; imHandle?: string | null; address?: string | null; masked: boolean }, read: 'full' | 'masked') {
  const expected = read === 'full' ? DETAILS : MASKED_DETAILS;
  expect(contact).toMatchObject({ ...expected, masked: read === 'masked' });
  if (read === 'masked') expect(JSON.stringify(contact)).not.toContain('12345678');
}

describe.each(ACCESS_CASES)('contacts: $who', (c: AccessCase) => {
  let w: AccessWorld;
  let customerId: string;
  let contact: ContactFieldsFragment;
  let actor: TestUser;

  beforeAll(async () => {
    w = await makeAccessWorld(app);
    customerId = w[c.customer].id;
    actor = c.actor(w);
    contact = await createContact(app.admin, customerId, { name: '王经理', isPrimary: true });
  });

  it('reads contacts nested under the customer', async () => {
    const result = await readAs(actor.client, (client) => client.CustomerContacts({ id: customerId }));
    if (c.read === 'unauthenticated') return expect(result).toBe('UNAUTHENTICATED');
    if (result === 'UNAUTHENTICATED') throw new Error('unexpected');
    if (c.read === 'none') return expect(result.customer).toBeNull();
    const found = result.customer!.contacts.edges.map((e) => e.node).find((n) => n.id === contact.id)!;
    expect(found.name).toBe('王经理');
    expectDetails(found, c.read);
  });

  it('reads a contact by node id, and by nodes', async () => {
    const result = await readAs(actor.client, (client) => client.ContactNode({ id: contact.id }));
    if (c.read === 'unauthenticated') return expect(result).toBe('UNAUTHENTICATED');
    if (result === 'UNAUTHENTICATED') throw new Error('unexpected');
    const { nodes } = await actor.client.Nodes({ ids: [contact.id] });
    if (c.read === 'none') {
      expect(result.node).toBeNull();
      expect(nodes).toEqual([null]);
      return;
    }
    expect(nodes[0]?.id).toBe(contact.id);
    if (result.node?.__typename !== 'Contact') throw new Error('expected a contact');
    expectDetails(result.node, c.read);
    expect(result.node.customer.id).toBe(customerId);
  });

  it('creates a contact only when it may edit the customer', async () => {
    const name = unique('新联系人');
    const before = (await contactsOf(customerId)).length;
    const payload = await expectWrite(c.write, async () => (await actor.client.ContactCreate({ input: { customerId, name, mobile: '13700000000' } })).contactCreate);
    const after = await contactsOf(customerId);
    if (c.write === 'ok') {
      expect(payload!.contact).toMatchObject({ name, mobile: '13700000000', createdBy: { id: actor.id } });
      expect(after.map((x) => x.name)).toContain(name);
    } else {
      expect(after).toHaveLength(before);
      expect(after.map((x) => x.name)).not.toContain(name);
    }
  });

  it('updates a contact only when it may edit the customer', async () => {
    const before = await contactAsAdmin(contact.id);
    const payload = await expectWrite(c.write, async () =>
      (await actor.client.ContactUpdate({ input: { id: contact.id, title: unique('总监'), expectedVersion: before!.version } })).contactUpdate,
    );
    const after = await contactAsAdmin(contact.id);
    if (c.write === 'ok') {
      expect(after!.title).toBe(payload!.contact!.title);
      expect(after!.version).toBe(before!.version + 1);
    } else {
      expect(after).toEqual(before);
    }
  });

  it('deletes a contact only when it may edit the customer', async () => {
    const victim = await createContact(app.admin, customerId);
    const before = await contactAsAdmin(victim.id);
    const payload = await expectWrite(c.write, async () => (await actor.client.ContactDelete({ input: { id: victim.id } })).contactDelete);
    const after = await contactAsAdmin(victim.id);
    if (c.write === 'ok') {
      expect(payload!.deletedContactId).toBe(victim.id);
      expect(after).toBeNull();
    } else {
      expect(after).toEqual(before);
      expect(after!.name).toBe(victim.name);
      if (payload) expect(payload.deletedContactId).toBeNull();
    }
  });
});

describe.each(ACCESS_CASES)('contact relations: $who', (c: AccessCase) => {
  let w: AccessWorld;
  let customerId: string;
  let a: ContactFieldsFragment;
  let b: ContactFieldsFragment;
  let relation: ContactRelationFieldsFragment;
  let actor: TestUser;

  beforeAll(async () => {
    w = await makeAccessWorld(app);
    customerId = w[c.customer].id;
    actor = c.actor(w);
    a = await createContact(app.admin, customerId, { name: 'A 王' });
    b = await createContact(app.admin, customerId, { name: 'B 李' });
    relation = await createRelation(app.admin, a.id, { relatedContactId: b.id, relationship: 'SPOUSE', personName: '李女士' });
  });

  it('reads relations nested under contacts, from both ends, with the phone masked like contact details', async () => {
    const result = await readAs(actor.client, (client) => client.CustomerContacts({ id: customerId }));
    if (c.read === 'unauthenticated') return expect(result).toBe('UNAUTHENTICATED');
    if (result === 'UNAUTHENTICATED') throw new Error('unexpected');
    if (c.read === 'none') return expect(result.customer).toBeNull();
    const nodes = result.customer!.contacts.edges.map((e) => e.node);
    const fromA = nodes.find((n) => n.id === a.id)!.relations.edges;
    const fromB = nodes.find((n) => n.id === b.id)!.relations.edges;
    expect(fromA.map((e) => [e.node.id, e.direction, e.counterpart?.id])).toEqual([[relation.id, 'OUTGOING', b.id]]);
    expect(fromB.map((e) => [e.node.id, e.direction, e.counterpart?.id])).toEqual([[relation.id, 'INCOMING', a.id]]);
    const phone = c.read === 'masked' ? maskPhone(DETAILS.mobile) : DETAILS.mobile;
    for (const edge of [...fromA, ...fromB]) {
      expect(edge.node).toMatchObject({ phone, masked: c.read === 'masked', personName: '李女士' });
      expect(edge.counterpart!.mobile).toBe(c.read === 'masked' ? maskPhone(DETAILS.mobile) : DETAILS.mobile);
    }
  });

  it('reads a relation by node id, and the relations of a contact by node id', async () => {
    const result = await readAs(actor.client, (client) => client.ContactRelationNode({ id: relation.id }));
    if (c.read === 'unauthenticated') return expect(result).toBe('UNAUTHENTICATED');
    if (result === 'UNAUTHENTICATED') throw new Error('unexpected');
    const viaContact = await actor.client.ContactRelations({ id: b.id });
    if (c.read === 'none') {
      expect(result.node).toBeNull();
      expect(viaContact.node).toBeNull();
      return;
    }
    if (result.node?.__typename !== 'ContactRelation') throw new Error('expected a relation');
    expect(result.node).toMatchObject({
      phone: c.read === 'masked' ? maskPhone(DETAILS.mobile) : DETAILS.mobile,
      contact: { id: a.id },
      relatedContact: { id: b.id },
    });
    if (viaContact.node?.__typename !== 'Contact') throw new Error('expected a contact');
    expect(viaContact.node.relations.edges.map((e) => e.direction)).toEqual(['INCOMING']);
  });

  it('creates a relation only when it may edit the customer', async () => {
    const personName = unique('同学');
    const payload = await expectWrite(c.write, async () =>
      (await actor.client.ContactRelationCreate({ input: { contactId: a.id, relationship: 'CLASSMATE', personName } })).contactRelationCreate,
    );
    const { node } = await app.admin.client.ContactRelations({ id: a.id });
    const names = node?.__typename === 'Contact' ? node.relations.edges.map((e) => e.node.personName) : [];
    if (c.write === 'ok') {
      expect(payload!.contactRelation).toMatchObject({ personName, relationship: 'CLASSMATE', createdBy: { id: actor.id } });
      expect(names).toContain(personName);
    } else {
      expect(names).not.toContain(personName);
    }
  });

  it('updates a relation only when it may edit the customer', async () => {
    const before = await relationAsAdmin(relation.id);
    await expectWrite(c.write, async () =>
      (await actor.client.ContactRelationUpdate({ input: { id: relation.id, organization: unique('公司'), relatedContactId: null } }))
        .contactRelationUpdate,
    );
    const after = await relationAsAdmin(relation.id);
    if (c.write === 'ok') {
      expect(after!.organization).not.toBe(before!.organization);
      expect(after!.relatedContact).toBeNull();
      // Link it again for the next cases of this user.
      await app.admin.client.ContactRelationUpdate({ input: { id: relation.id, relatedContactId: b.id } });
    } else {
      expect(after).toEqual(before);
    }
  });

  it('deletes a relation only when it may edit the customer', async () => {
    const victim = await createRelation(app.admin, a.id);
    const payload = await expectWrite(c.write, async () =>
      (await actor.client.ContactRelationDelete({ input: { id: victim.id } })).contactRelationDelete,
    );
    const after = await relationAsAdmin(victim.id);
    if (c.write === 'ok') {
      expect(payload!.deletedContactRelationId).toBe(victim.id);
      expect(after).toBeNull();
    } else {
      expect(after).toMatchObject({ id: victim.id, personName: victim.personName, version: victim.version });
    }
  });
});

describe('primary contact', () => {
  it('is at most one per customer: making a contact primary unsets the previous one, and lists it first', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const zhang = await createContact(owner, customer.id, { name: 'Zhang', isPrimary: true });
    const li = await createContact(owner, customer.id, { name: 'Li' });
    const an = await createContact(owner, customer.id, { name: 'An' });
    expect((await contactsOf(customer.id)).map((x) => [x.name, x.isPrimary])).toEqual([
      ['Zhang', true],
      ['An', false],
      ['Li', false],
    ]);

    const { contactUpdate } = await owner.client.ContactUpdate({ input: { id: li.id, isPrimary: true } });
    expect(contactUpdate.userErrors).toEqual([]);
    expect((await contactsOf(customer.id)).map((x) => [x.name, x.isPrimary])).toEqual([
      ['Li', true],
      ['An', false],
      ['Zhang', false],
    ]);
    // The demoted contact changed: its version moved on.
    expect((await contactAsAdmin(zhang.id))!.version).toBe(zhang.version + 1);

    const created = await createContact(owner, customer.id, { name: 'Bo', isPrimary: true });
    expect((await contactsOf(customer.id)).filter((x) => x.isPrimary).map((x) => x.id)).toEqual([created.id]);

    await owner.client.ContactUpdate({ input: { id: created.id, isPrimary: false } });
    expect((await contactsOf(customer.id)).filter((x) => x.isPrimary)).toEqual([]);
    expect(an.isPrimary).toBe(false);
  });

  it('stays unique under concurrent "make primary" requests', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const contacts = await Promise.all(['甲', '乙', '丙', '丁'].map((name) => createContact(owner, customer.id, { name })));
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(contacts.map((x) => owner.client.ContactUpdate({ input: { id: x.id, isPrimary: true } })));
      for (const { contactUpdate } of results) expect(contactUpdate.userErrors).toEqual([]);
      const primaries = (await contactsOf(customer.id)).filter((x) => x.isPrimary);
      expect(primaries).toHaveLength(1);
    }
    const created = await Promise.all(
      [1, 2, 3].map((n) => owner.client.ContactCreate({ input: { customerId: customer.id, name: `新${n}`, isPrimary: true } })),
    );
    for (const { contactCreate } of created) expect(contactCreate.userErrors).toEqual([]);
    expect((await contactsOf(customer.id)).filter((x) => x.isPrimary)).toHaveLength(1);
  });

  it('is enforced by the database over live contacts', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const primary = await createContact(owner, customer.id, { isPrimary: true });
    const customerId = fromGlobalId('Customer', customer.id)!;
    const insert = (deleted: boolean) =>
      app.orm.em.fork().execute(
        `INSERT INTO contact (customer_id, name, is_primary, created_by_id, deleted_at, deleted_by_id)
         VALUES (?::bigint, 'second', true, ?::bigint, ${deleted ? 'now()' : 'NULL'}, ${deleted ? '?::bigint' : 'NULL'})`,
        deleted ? [customerId, app.admin.user.id, app.admin.user.id] : [customerId, app.admin.user.id],
      );
    await expect(insert(false)).rejects.toThrow(/contact_one_primary_key/);
    // A deleted primary contact doesn't count.
    await expect(insert(true)).resolves.toBeDefined();
    await owner.client.ContactDelete({ input: { id: primary.id } });
    const replacement = await createContact(owner, customer.id, { isPrimary: true });
    expect(replacement.isPrimary).toBe(true);
  });
});

describe('contact validation and versions', () => {
  let owner: TestUser;
  let customerId: string;
  let contact: ContactFieldsFragment;

  beforeAll(async () => {
    owner = await makeUser(app);
    customerId = (await makeCustomer(app, { owner })).id;
    contact = await createContact(owner, customerId, { name: '王经理', birthday: '1980-02-29', gender: 'MALE' });
  });

  it('keeps names, genders and dates as given', () => {
    expect(contact).toMatchObject({ name: '王经理', birthday: '1980-02-29', gender: 'MALE', ...DETAILS, version: 1 });
  });

  it('refuses invalid input with the field at fault, and changes nothing', async () => {
    const future = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const cases: [Partial<Parameters<CrmClient['ContactCreate']>[0]['input']>, string][] = [
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ email: 'not-an-email' }, 'email'],
      [{ mobile: '1'.repeat(51) }, 'mobile'],
      [{ birthday: future }, 'birthday'],
      [{ notes: 'x'.repeat(5001) }, 'notes'],
    ];
    const before = await contactsOf(customerId);
    for (const [fields, field] of cases) {
      const { contactCreate } = await owner.client.ContactCreate({ input: { customerId, name: '有效', ...fields } });
      expect(contactCreate.contact).toBeNull();
      expect(contactCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', field] });
      const { contactUpdate } = await owner.client.ContactUpdate({ input: { id: contact.id, ...fields } });
      expect(contactUpdate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', field] });
    }
    const { contactUpdate } = await owner.client.ContactUpdate({ input: { id: contact.id, name: null } });
    expect(contactUpdate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'name'] });
    expect(await contactsOf(customerId)).toEqual(before);
  });

  it('refuses an invalid calendar date as a malformed request', async () => {
    await expect(owner.client.ContactCreate({ input: { customerId, name: 'x', birthday: '2023-02-29' } })).rejects.toThrow(/Invalid Date/);
  });

  it('answers NOT_FOUND for unknown ids and ids of another type', async () => {
    for (const id of ['nonsense', customerId, fromGlobalIdOf('Contact', '999999')]) {
      const { contactUpdate } = await owner.client.ContactUpdate({ input: { id, title: 'x' } });
      expect(contactUpdate.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'id'] });
    }
    const { contactCreate } = await owner.client.ContactCreate({ input: { customerId: contact.id, name: 'x' } });
    expect(contactCreate.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'customerId'] });
  });

  it('refuses a stale expectedVersion with STALE_VERSION and changes nothing', async () => {
    const current = (await contactAsAdmin(contact.id))!;
    const ok = await owner.client.ContactUpdate({ input: { id: contact.id, expectedVersion: current.version, title: '经理' } });
    expect(ok.contactUpdate.contact!.version).toBe(current.version + 1);
    const stale = await owner.client.ContactUpdate({ input: { id: contact.id, expectedVersion: current.version, title: '总监' } });
    expect(stale.contactUpdate.userErrors[0]).toMatchObject({ code: 'STALE_VERSION', field: ['input', 'expectedVersion'] });
    const staleDelete = await owner.client.ContactDelete({ input: { id: contact.id, expectedVersion: current.version } });
    expect(staleDelete.contactDelete.userErrors[0]?.code).toBe('STALE_VERSION');
    expect(await contactAsAdmin(contact.id)).toMatchObject({ title: '经理', version: current.version + 1 });
  });

  it('updates only the fields given; null clears an optional field', async () => {
    const { contactUpdate } = await owner.client.ContactUpdate({ input: { id: contact.id, department: '采购部', email: null } });
    expect(contactUpdate.contact).toMatchObject({ department: '采购部', email: null, mobile: DETAILS.mobile, name: '王经理' });
  });
});

function fromGlobalIdOf(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

describe('soft delete', () => {
  it('keeps the contact row and its relations, hides them everywhere and writes history', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const a = await createContact(owner, customer.id, { name: '张三' });
    const b = await createContact(owner, customer.id, { name: '李四' });
    const own = await createRelation(owner, a.id, { personName: '张太太', relationship: 'SPOUSE' });
    const toA = await createRelation(owner, b.id, { relatedContactId: a.id, relationship: 'COLLEAGUE' });

    const { contactDelete } = await owner.client.ContactDelete({ input: { id: a.id, expectedVersion: a.version } });
    expect(contactDelete).toEqual({ deletedContactId: a.id, userErrors: [] });

    expect((await contactsOf(customer.id)).map((x) => x.id)).toEqual([b.id]);
    expect(await contactAsAdmin(a.id)).toBeNull();
    expect(await relationAsAdmin(own.id)).toBeNull();
    // B's relation to A stays B's record; the link to the deleted contact reads as none.
    expect(await relationAsAdmin(toA.id)).toMatchObject({ personName: '张三', relatedContact: null });
    const again = await owner.client.ContactUpdate({ input: { id: a.id, title: 'x' } });
    expect(again.contactUpdate.userErrors[0]?.code).toBe('NOT_FOUND');
    const deleteAgain = await owner.client.ContactDelete({ input: { id: a.id } });
    expect(deleteAgain.contactDelete.userErrors[0]?.code).toBe('NOT_FOUND');

    const rows = await app.orm.em.fork().execute<{ table: string; deleted_by_id: string; deleted: boolean }[]>(
      `SELECT 'contact' AS table, deleted_by_id::text, deleted_at IS NOT NULL AS deleted FROM contact WHERE id = ?::bigint
       UNION ALL SELECT 'relation', deleted_by_id::text, deleted_at IS NOT NULL FROM contact_relation WHERE id = ?::bigint`,
      [fromGlobalId('Contact', a.id), fromGlobalId('ContactRelation', own.id)],
    );
    expect(rows).toEqual([
      { table: 'contact', deleted_by_id: owner.user.id, deleted: true },
      { table: 'relation', deleted_by_id: owner.user.id, deleted: true },
    ]);

    const { contactRelationDelete } = await owner.client.ContactRelationDelete({ input: { id: toA.id } });
    expect(contactRelationDelete.userErrors).toEqual([]);

    const { customer: withHistory } = await owner.client.CustomerSubRecordHistory({ id: customer.id });
    const deletions = withHistory!.history.nodes
      .filter((e) => e.action === 'RECORD_DELETED')
      .map((e) => [e.recordType, e.recordSummary, e.actor?.id]);
    expect(deletions).toEqual(
      expect.arrayContaining([
        ['Contact', '张三', owner.id],
        ['ContactRelation', '张太太', owner.id],
        ['ContactRelation', '张三', owner.id],
      ]),
    );
    expect(deletions).toHaveLength(3);
  });
});

describe('contact pagination', () => {
  it('pages forwards and backwards with stable cursors and a total count', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const names = ['E', 'A', 'D', 'B', 'C'];
    for (const name of names) await createContact(owner, customer.id, { name, isPrimary: name === 'D' });
    const expected = ['D', 'A', 'B', 'C', 'E'];
    const first = await owner.client.CustomerContacts({ id: customer.id, first: 2 });
    const page1 = first.customer!.contacts;
    expect(page1.totalCount).toBe(5);
    expect(page1.edges.map((e) => e.node.name)).toEqual(expected.slice(0, 2));
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await owner.client.CustomerContacts({ id: customer.id, first: 2, after: page1.pageInfo.endCursor });
    expect(second.customer!.contacts.edges.map((e) => e.node.name)).toEqual(expected.slice(2, 4));
    expect(second.customer!.contacts.pageInfo.hasPreviousPage).toBe(true);
    const last = await owner.client.CustomerContacts({ id: customer.id, last: 2 });
    expect(last.customer!.contacts.edges.map((e) => e.node.name)).toEqual(expected.slice(3));
    const before = await owner.client.CustomerContacts({ id: customer.id, last: 3, before: last.customer!.contacts.pageInfo.startCursor });
    expect(before.customer!.contacts.edges.map((e) => e.node.name)).toEqual(expected.slice(0, 3));
    for (const first of [0, -1]) {
      await expect(owner.client.CustomerContacts({ id: customer.id, first })).rejects.toThrow(/first must be between 1 and 100/);
    }
  });
});

describe('the relation graph', () => {
  it('links contacts so that a relation shows from both ends, and unlinking removes the far end', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const a = await createContact(owner, customer.id, { name: 'A' });
    const b = await createContact(owner, customer.id, { name: 'B' });
    const c = await createContact(owner, customer.id, { name: 'C' });

    // The person's name defaults to the linked contact's.
    const ab = await createRelation(owner, a.id, { relatedContactId: b.id, relationship: 'FORMER_COLLEAGUE', personName: undefined });
    expect(ab).toMatchObject({ personName: 'B', contact: { id: a.id }, relatedContact: { id: b.id } });
    const cb = await createRelation(owner, c.id, { relatedContactId: b.id, relationship: 'RELATIVE' });
    const free = await createRelation(owner, a.id, { personName: '赵六', organization: '某局' });

    const sides = async (id: string) => {
      const { node } = await owner.client.ContactRelations({ id });
      if (node?.__typename !== 'Contact') throw new Error('expected a contact');
      return { total: node.relations.totalCount, edges: node.relations.edges.map((e) => [e.node.id, e.direction, e.counterpart?.id ?? null]) };
    };
    expect(await sides(a.id)).toEqual({ total: 2, edges: [[ab.id, 'OUTGOING', b.id], [free.id, 'OUTGOING', null]] });
    expect(await sides(b.id)).toEqual({ total: 2, edges: [[ab.id, 'INCOMING', a.id], [cb.id, 'INCOMING', c.id]] });
    expect(await sides(c.id)).toEqual({ total: 1, edges: [[cb.id, 'OUTGOING', b.id]] });

    // Walk the graph: A -> B -> (incoming) C.
    const { node } = await owner.client.ContactRelations({ id: a.id });
    if (node?.__typename !== 'Contact') throw new Error('expected a contact');
    const viaB = await owner.client.ContactRelations({ id: node.relations.edges[0]!.counterpart!.id });
    expect(viaB.node?.__typename === 'Contact' && viaB.node.relations.edges.map((e) => e.counterpart?.name)).toEqual(['A', 'C']);

    // Paging over both directions.
    const page = await owner.client.ContactRelations({ id: b.id, first: 1 });
    const after = page.node?.__typename === 'Contact' ? page.node.relations.pageInfo.endCursor : null;
    const next = await owner.client.ContactRelations({ id: b.id, first: 1, after });
    expect(next.node?.__typename === 'Contact' && next.node.relations.edges.map((e) => e.node.id)).toEqual([cb.id]);

    // Re-link, then unlink.
    const relinked = await owner.client.ContactRelationUpdate({ input: { id: cb.id, relatedContactId: a.id } });
    expect(relinked.contactRelationUpdate.contactRelation!.relatedContact!.id).toBe(a.id);
    expect((await sides(b.id)).edges).toEqual([[ab.id, 'INCOMING', a.id]]);
    expect((await sides(a.id)).edges).toContainEqual([cb.id, 'INCOMING', c.id]);
    const unlinked = await owner.client.ContactRelationUpdate({ input: { id: cb.id, relatedContactId: null } });
    expect(unlinked.contactRelationUpdate.contactRelation).toMatchObject({ relatedContact: null, personName: 'B' });
    expect((await sides(a.id)).edges.map((e) => e[0])).not.toContain(cb.id);
    expect(await sides(c.id)).toEqual({ total: 1, edges: [[cb.id, 'OUTGOING', null]] });
  });

  it('refuses a link to itself, to a deleted contact, and a relation without a name', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const a = await createContact(owner, customer.id);
    const gone = await createContact(owner, customer.id);
    await owner.client.ContactDelete({ input: { id: gone.id } });
    const self = await owner.client.ContactRelationCreate({ input: { contactId: a.id, relationship: 'OTHER', relatedContactId: a.id } });
    expect(self.contactRelationCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'relatedContactId'] });
    const toGone = await owner.client.ContactRelationCreate({ input: { contactId: a.id, relationship: 'OTHER', relatedContactId: gone.id } });
    expect(toGone.contactRelationCreate.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'relatedContactId'] });
    const nameless = await owner.client.ContactRelationCreate({ input: { contactId: a.id, relationship: 'OTHER' } });
    expect(nameless.contactRelationCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'personName'] });
    const blank = await owner.client.ContactRelationCreate({ input: { contactId: a.id, relationship: 'OTHER', personName: '  ' } });
    expect(blank.contactRelationCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'personName'] });
    const onGone = await owner.client.ContactRelationCreate({ input: { contactId: gone.id, relationship: 'OTHER', personName: 'x' } });
    expect(onGone.contactRelationCreate.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'contactId'] });
    const { node } = await owner.client.ContactRelations({ id: a.id });
    expect(node?.__typename === 'Contact' && node.relations.totalCount).toBe(0);

    const relation = await createRelation(owner, a.id);
    const stale = await owner.client.ContactRelationUpdate({ input: { id: relation.id, expectedVersion: relation.version + 1, notes: 'x' } });
    expect(stale.contactRelationUpdate.userErrors[0]?.code).toBe('STALE_VERSION');
    const staleDelete = await owner.client.ContactRelationDelete({ input: { id: relation.id, expectedVersion: relation.version + 1 } });
    expect(staleDelete.contactRelationDelete.userErrors[0]?.code).toBe('STALE_VERSION');
    expect(await relationAsAdmin(relation.id)).toMatchObject({ notes: null, version: relation.version });
    const cleared = await owner.client.ContactRelationUpdate({ input: { id: relation.id, relationship: null } });
    expect(cleared.contactRelationUpdate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'relationship'] });
    const ok = await owner.client.ContactRelationUpdate({ input: { id: relation.id, expectedVersion: relation.version, notes: 'x', personName: '改名' } });
    expect(ok.contactRelationUpdate.contactRelation).toMatchObject({ notes: 'x', personName: '改名', version: relation.version + 1 });
  });

  it('links across customers only to contacts the viewer can see, and shows each end only to those who see its customer', async () => {
    const u1 = await makeUser(app);
    const u2 = await makeUser(app);
    const x = await makeCustomer(app, { owner: u1 });
    const y = await makeCustomer(app, { owner: u2, sharedWith: [u1] });
    const z = await makeCustomer(app, { owner: u2 });
    const a = await createContact(u1, x.id, { name: 'A (X)' });
    const b = await createContact(u2, y.id, { name: 'B (Y)' });
    const hidden = await createContact(u2, z.id, { name: 'H (Z)' });

    // Z is invisible to u1: the link is refused exactly as for a missing contact.
    const refused = await u1.client.ContactRelationCreate({ input: { contactId: a.id, relationship: 'FRIEND', relatedContactId: hidden.id } });
    expect(refused.contactRelationCreate.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'relatedContactId'] });
    const missing = await u1.client.ContactRelationCreate({
      input: { contactId: a.id, relationship: 'FRIEND', relatedContactId: fromGlobalIdOf('Contact', '999999') },
    });
    expect(missing.contactRelationCreate.userErrors[0]).toEqual({ ...refused.contactRelationCreate.userErrors[0] });

    const ab = await createRelation(u1, a.id, { relatedContactId: b.id, relationship: 'FRIEND' });
    const edgesOf = async (client: CrmClient, id: string) => {
      const { node } = await client.ContactRelations({ id });
      return node?.__typename === 'Contact' ? node.relations.edges.map((e) => [e.node.id, e.direction, e.counterpart?.id ?? null]) : null;
    };
    expect(await edgesOf(u1.client, b.id)).toEqual([[ab.id, 'INCOMING', a.id]]);
    // u2 sees B but not X: the relation recorded on X's contact stays hidden from them.
    expect(await edgesOf(u2.client, b.id)).toEqual([]);
    const { customer } = await u2.client.CustomerContacts({ id: y.id });
    expect(customer!.contacts.edges[0]!.node.relations).toMatchObject({ totalCount: 0, edges: [] });
    expect((await u2.client.ContactRelationNode({ id: ab.id })).node).toBeNull();
    const foreignEdit = await u2.client.ContactRelationUpdate({ input: { id: ab.id, notes: 'x' } });
    expect(foreignEdit.contactRelationUpdate.userErrors[0]?.code).toBe('NOT_FOUND');

    // Once Y is no longer shared with u1, the link reads as none for u1, and can't be made again.
    await u2.client.CustomersUnshare({ input: { customerIds: [y.id], userIds: [u1.id] } });
    expect(await edgesOf(u1.client, a.id)).toEqual([[ab.id, 'OUTGOING', null]]);
    expect((await u1.client.ContactRelationNode({ id: ab.id })).node).toMatchObject({ relatedContact: null, personName: 'B (Y)' });
    const relink = await u1.client.ContactRelationUpdate({ input: { id: ab.id, relatedContactId: b.id } });
    expect(relink.contactRelationUpdate.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'relatedContactId'] });
    // An admin sees both ends.
    expect(await edgesOf(app.admin.client, b.id)).toEqual([[ab.id, 'INCOMING', a.id]]);
  });
});

describe('invisible customers never leak through nested paths', () => {
  it('hides contacts, relations and their links from an unrelated user on every path', async () => {
    const owner = await makeUser(app);
    const stranger = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const a = await createContact(owner, customer.id);
    const b = await createContact(owner, customer.id);
    const relation = await createRelation(owner, a.id, { relatedContactId: b.id });
    expect((await stranger.client.CustomerContacts({ id: customer.id })).customer).toBeNull();
    expect((await stranger.client.ContactNode({ id: a.id })).node).toBeNull();
    expect((await stranger.client.ContactRelations({ id: b.id })).node).toBeNull();
    expect((await stranger.client.ContactRelationNode({ id: relation.id })).node).toBeNull();
    expect((await stranger.client.Nodes({ ids: [a.id, relation.id] })).nodes).toEqual([null, null]);
    const { customers } = await stranger.client.CustomersWithRecords({ view: 'POOL', first: 20 });
    expect(JSON.stringify(customers)).not.toContain(a.id);
    // Refusals by id look exactly like missing ids.
    const missing = fromGlobalIdOf('Contact', '999999');
    for (const id of [a.id, missing]) {
      const { contactUpdate } = await stranger.client.ContactUpdate({ input: { id, title: 'x' } });
      expect(contactUpdate.userErrors).toEqual([{ code: 'NOT_FOUND', message: 'Contact not found', field: ['input', 'id'], ownerName: null, claimedAt: null, until: null, limit: null }]);
    }
  });
});

describe('the headline query', () => {
  it('issues the same number of SQL statements for a page of 5 customers as for 50', async () => {
    const owner = await makeUser(app);
    const customers: string[] = [];
    for (let batch = 0; batch < 5; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          const customer = await makeCustomer(app, { owner });
          customers.push(customer.id);
          const a = await createContact(owner, customer.id, { name: 'A', isPrimary: true });
          const b = await createContact(owner, customer.id, { name: 'B' });
          await createRelation(owner, a.id, { relatedContactId: b.id });
          await createRelation(owner, b.id);
          for (const hours of [5, 3]) {
            const { interactionCreate } = await owner.client.InteractionCreate({
              input: { customerId: customer.id, type: 'CALL', occurredAt: hoursAgo(hours), subject: `call ${hours}`, contactId: a.id },
            });
            expect(interactionCreate.userErrors).toEqual([]);
          }
        }),
      );
    }
    const measure = async (first: number) => {
      const before = app.sql.statements;
      // The operation's defaults: contacts(first: 10) { relations(first: 2) }, interactions(first: 5).
      const { customers: page } = await owner.client.CustomersWithRecords({ view: 'MINE', first });
      return { statements: app.sql.statements - before, page };
    };
    const small = await measure(5);
    const large = await measure(50);
    // Repeated, in both orders: the count must not depend on timing either.
    const again = [await measure(50), await measure(5), await measure(50)].map((m) => m.statements);
    expect(again).toEqual([small.statements, small.statements, small.statements]);
    expect(small.page.nodes).toHaveLength(5);
    expect(large.page.nodes).toHaveLength(50);
    for (const customer of large.page.nodes) {
      expect(customer.contacts.nodes.map((x) => x.name)).toEqual(['A', 'B']);
      expect(customer.contacts.nodes[0]!.relations.edges.map((e) => e.direction)).toEqual(['OUTGOING']);
      expect(customer.contacts.nodes[1]!.relations.edges.map((e) => [e.direction, e.counterpart?.name ?? null])).toEqual([
        ['INCOMING', 'A'],
        ['OUTGOING', null],
      ]);
      expect(customer.interactions.nodes.map((i) => i.subject)).toEqual(['call 3', 'call 5']);
      expect(customer.interactions.nodes[0]!).toMatchObject({ author: { id: owner.id }, contact: { name: 'A' } });
      expect(customer.lastInteractionAt).toBe(customer.interactions.nodes[0]!.occurredAt);
    }
    expect(large.statements).toBe(small.statements);
    expect(small.statements).toBeLessThan(20);
  });
});
