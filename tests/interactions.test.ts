import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactFieldsFragment, CrmClient, InteractionFieldsFragment } from '../sdk/index.js';
import { fromGlobalId } from '../src/common/ids.js';
import { makeAccessWorld, makeCustomer, makeUser, unique, type AccessWorld } from './helpers/factories.js';
import {
  ACCESS_CASES,
  expectWrite,
  hoursAgo,
  hoursAhead,
  readAs,
  type AccessCase,
} from './helpers/records-world.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

type CreateInput = Parameters<CrmClient['InteractionCreate']>[0]['input'];

async function createInteraction(user: TestUser, customerId: string, fields: Partial<CreateInput> = {}): Promise<InteractionFieldsFragment> {
  const { interactionCreate } = await user.client.InteractionCreate({
    input: { customerId, type: 'VISIT', occurredAt: hoursAgo(2), subject: unique('拜访'), ...fields },
  });
  expect(interactionCreate.userErrors).toEqual([]);
  return interactionCreate.interaction!;
}

async function createContact(user: TestUser, customerId: string, name = unique('联系人')): Promise<ContactFieldsFragment> {
  const { contactCreate } = await user.client.ContactCreate({ input: { customerId, name, mobile: '13912345678' } });
  expect(contactCreate.userErrors).toEqual([]);
  return contactCreate.contact!;
}

/** The customer's live interactions and follow-up times, as an admin sees them. */
async function interactionsOf(customerId: string) {
  const { customer } = await app.admin.client.CustomerInteractions({ id: customerId, first: 100 });
  return customer!;
}

async function interactionAsAdmin(id: string) {
  const { node } = await app.admin.client.InteractionNode({ id });
  return node?.__typename === 'Interaction' ? node : null;
}

describe.each(ACCESS_CASES)('interactions: $who', (c: AccessCase) => {
  let w: AccessWorld;
  let customerId: string;
  let contact: ContactFieldsFragment;
  let interaction: InteractionFieldsFragment;
  let actor: TestUser;

  beforeAll(async () => {
    w = await makeAccessWorld(app);
    customerId = w[c.customer].id;
    actor = c.actor(w);
    contact = await createContact(app.admin, customerId, '王经理');
    interaction = await createInteraction(app.admin, customerId, {
      subject: '首次拜访',
      contactId: contact.id,
      occurredAt: hoursAgo(30),
      nextFollowUpAt: hoursAhead(48),
    });
  });

  it('reads interactions nested under the customer, with the contact masked where contact details are', async () => {
    const result = await readAs(actor.client, (client) => client.CustomerInteractions({ id: customerId }));
    if (c.read === 'unauthenticated') return expect(result).toBe('UNAUTHENTICATED');
    if (result === 'UNAUTHENTICATED') throw new Error('unexpected');
    if (c.read === 'none') return expect(result.customer).toBeNull();
    const found = result.customer!.interactions.nodes.find((n) => n.id === interaction.id)!;
    expect(found).toMatchObject({ subject: '首次拜访', contact: { id: contact.id, name: '王经理' }, author: { id: app.admin.id } });
    expect(result.customer!.lastInteractionAt).toBe(interaction.occurredAt);
    const viaContact = await actor.client.ContactNode({ id: contact.id });
    expect(viaContact.node?.__typename === 'Contact' && viaContact.node.mobile).toBe(c.read === 'masked' ? '139********' : '13912345678');
  });

  it('reads an interaction by node id, and through its contact', async () => {
    const result = await readAs(actor.client, (client) => client.InteractionNode({ id: interaction.id }));
    if (c.read === 'unauthenticated') return expect(result).toBe('UNAUTHENTICATED');
    if (result === 'UNAUTHENTICATED') throw new Error('unexpected');
    const viaContact = await actor.client.ContactInteractions({ id: contact.id });
    if (c.read === 'none') {
      expect(result.node).toBeNull();
      expect(viaContact.node).toBeNull();
      expect((await actor.client.Nodes({ ids: [interaction.id] })).nodes).toEqual([null]);
      return;
    }
    expect(result.node).toMatchObject({ id: interaction.id, customer: { id: customerId } });
    expect(viaContact.node?.__typename === 'Contact' && viaContact.node.interactions.nodes.map((i) => i.id)).toEqual([interaction.id]);
  });

  it('creates an interaction only when it may edit the customer, with the viewer as author', async () => {
    const subject = unique('电话');
    const before = await interactionsOf(customerId);
    const payload = await expectWrite(c.write, async () =>
      (await actor.client.InteractionCreate({ input: { customerId, type: 'CALL', occurredAt: hoursAgo(1), subject } })).interactionCreate,
    );
    const after = await interactionsOf(customerId);
    if (c.write === 'ok') {
      expect(payload!.interaction).toMatchObject({ subject, type: 'CALL', author: { id: actor.id } });
      expect(after.interactions.nodes[0]!.subject).toBe(subject);
      expect(after.lastInteractionAt).toBe(payload!.interaction!.occurredAt);
    } else {
      expect(after).toEqual(before);
    }
  });

  it('updates an interaction only when it may edit the customer', async () => {
    const before = await interactionAsAdmin(interaction.id);
    const customerBefore = await interactionsOf(customerId);
    await expectWrite(c.write, async () =>
      (await actor.client.InteractionUpdate({ input: { id: interaction.id, content: unique('内容'), nextFollowUpAt: null } })).interactionUpdate,
    );
    const after = await interactionAsAdmin(interaction.id);
    if (c.write === 'ok') {
      expect(after!.content).not.toBe(before!.content);
      expect(after!.nextFollowUpAt).toBeNull();
      expect(after!.version).toBe(before!.version + 1);
    } else {
      expect(after).toEqual(before);
      expect(await interactionsOf(customerId)).toEqual(customerBefore);
    }
  });

  it('deletes an interaction only when it may edit the customer', async () => {
    const victim = await createInteraction(app.admin, customerId, { occurredAt: hoursAgo(0.5), nextFollowUpAt: hoursAhead(1) });
    const before = await interactionsOf(customerId);
    expect(before.lastInteractionAt).toBe(victim.occurredAt);
    const payload = await expectWrite(c.write, async () => (await actor.client.InteractionDelete({ input: { id: victim.id } })).interactionDelete);
    const after = await interactionsOf(customerId);
    if (c.write === 'ok') {
      expect(payload!.deletedInteractionId).toBe(victim.id);
      expect(await interactionAsAdmin(victim.id)).toBeNull();
      expect(after.lastInteractionAt).not.toBe(victim.occurredAt);
      expect(payload!.customer!.lastInteractionAt).toBe(after.lastInteractionAt);
    } else {
      expect(after).toEqual(before);
      // Tidy up so the next case of this world starts from the same state.
      await app.admin.client.InteractionDelete({ input: { id: victim.id } });
    }
  });
});

describe('lastInteractionAt and nextFollowUpAt', () => {
  const at = (hoursFromNow: number) => new Date(Date.now() + hoursFromNow * 3_600_000);
  const iso = (date: Date) => date.toISOString();

  it('follow the live interactions through create, update and delete', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const state = async () => {
      const c = await interactionsOf(customer.id);
      return { last: c.lastInteractionAt, next: c.nextFollowUpAt, version: c.version };
    };
    expect(await state()).toEqual({ last: null, next: null, version: customer.version });

    const t = {
      i1: at(-72),
      i1Next: at(24),
      i2: at(-48),
      i3: at(-24),
      i3Next: at(48),
      i1Covered: at(-36),
      i3Moved: at(-96),
    };
    // I1 three days ago plans a follow-up tomorrow.
    const i1 = await createInteraction(owner, customer.id, { occurredAt: iso(t.i1), nextFollowUpAt: iso(t.i1Next) });
    expect(i1.customer).toMatchObject({ lastInteractionAt: iso(t.i1), nextFollowUpAt: iso(t.i1Next) });
    expect(await state()).toMatchObject({ last: iso(t.i1), next: iso(t.i1Next) });

    // I2 two days ago plans nothing: tomorrow's follow-up is still pending (later than I2).
    const i2 = await createInteraction(owner, customer.id, { occurredAt: iso(t.i2) });
    expect(await state()).toMatchObject({ last: iso(t.i2), next: iso(t.i1Next) });

    // I3 yesterday plans one in two days: the earliest pending one is still tomorrow's.
    const i3 = await createInteraction(owner, customer.id, { occurredAt: iso(t.i3), nextFollowUpAt: iso(t.i3Next) });
    expect(await state()).toMatchObject({ last: iso(t.i3), next: iso(t.i1Next) });

    // I1's plan moved to a time before I3 happened: I3 covered it, so I3's plan is next.
    const u1 = await owner.client.InteractionUpdate({ input: { id: i1.id, nextFollowUpAt: iso(t.i1Covered) } });
    expect(u1.interactionUpdate.interaction!.customer).toMatchObject({ lastInteractionAt: iso(t.i3), nextFollowUpAt: iso(t.i3Next) });
    expect(await state()).toMatchObject({ last: iso(t.i3), next: iso(t.i3Next) });

    // I3 actually took place four days ago: I2 is the latest, and I1's plan (after I2) is pending, overdue.
    await owner.client.InteractionUpdate({ input: { id: i3.id, occurredAt: iso(t.i3Moved) } });
    expect(await state()).toMatchObject({ last: iso(t.i2), next: iso(t.i1Covered) });

    // Deleting I2 leaves I1 as the latest; its plan is still the earliest pending one.
    const d2 = await owner.client.InteractionDelete({ input: { id: i2.id } });
    expect(d2.interactionDelete.customer).toMatchObject({ lastInteractionAt: iso(t.i1), nextFollowUpAt: iso(t.i1Covered) });
    expect(await state()).toMatchObject({ last: iso(t.i1), next: iso(t.i1Covered) });

    // Clearing I1's plan leaves I3's (later than I1).
    await owner.client.InteractionUpdate({ input: { id: i1.id, nextFollowUpAt: null } });
    expect(await state()).toMatchObject({ last: iso(t.i1), next: iso(t.i3Next) });

    await owner.client.InteractionDelete({ input: { id: i1.id } });
    expect(await state()).toMatchObject({ last: iso(t.i3Moved), next: iso(t.i3Next) });
    await owner.client.InteractionDelete({ input: { id: i3.id } });
    // Derived values don't count as edits of the customer: its version never moved.
    expect(await state()).toEqual({ last: null, next: null, version: customer.version });
    const { customer: after } = await owner.client.Customer({ id: customer.id });
    expect(after!.updatedAt).toBe(customer.updatedAt);
  });

  it('stay correct under concurrent writes to one customer', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const times = Array.from({ length: 8 }, (_, i) => at(-(i + 1) * 5));
    const plans = times.map((_, i) => at(i + 1));
    await Promise.all(times.map((time, i) => createInteraction(owner, customer.id, { occurredAt: iso(time), nextFollowUpAt: iso(plans[i]!) })));
    expect(await interactionsOf(customer.id)).toMatchObject({ lastInteractionAt: iso(times[0]!), nextFollowUpAt: iso(plans[0]!) });
  });

  it('sort and filter customers through indexes on the new columns', async () => {
    const rows = await app.orm.em.fork().execute<{ indexname: string }[]>(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'customer' AND (indexdef LIKE '%last_interaction_at%' OR indexdef LIKE '%next_follow_up_at%') ORDER BY 1`,
    );
    expect(rows.map((r) => r.indexname)).toEqual([
      'customer_order_last_interaction_at_asc_idx',
      'customer_order_last_interaction_at_desc_idx',
      'customer_order_next_follow_up_at_asc_idx',
      'customer_order_next_follow_up_at_desc_idx',
      'customer_owner_last_interaction_idx',
      'customer_owner_next_follow_up_idx',
      'customer_status_last_interaction_idx',
      'customer_status_next_follow_up_idx',
    ]);
  });
});

describe('interaction validation and versions', () => {
  let owner: TestUser;
  let customerId: string;
  let interaction: InteractionFieldsFragment;

  beforeAll(async () => {
    owner = await makeUser(app);
    customerId = (await makeCustomer(app, { owner })).id;
    interaction = await createInteraction(owner, customerId, { occurredAt: hoursAgo(10), nextFollowUpAt: hoursAhead(10), subject: '电话沟通' });
  });

  it('refuses invalid input with the field at fault, and changes nothing', async () => {
    const before = await interactionsOf(customerId);
    const cases: [Partial<CreateInput>, string][] = [
      [{ subject: '   ' }, 'subject'],
      [{ subject: 'x'.repeat(201) }, 'subject'],
      [{ occurredAt: hoursAhead(2) }, 'occurredAt'],
      [{ occurredAt: hoursAgo(1), nextFollowUpAt: hoursAgo(2) }, 'nextFollowUpAt'],
      [{ content: 'x'.repeat(20001) }, 'content'],
    ];
    for (const [fields, field] of cases) {
      const { interactionCreate } = await owner.client.InteractionCreate({
        input: { customerId, type: 'CALL', occurredAt: hoursAgo(1), subject: 'ok', ...fields },
      });
      expect(interactionCreate.interaction).toBeNull();
      expect(interactionCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', field] });
      const { interactionUpdate } = await owner.client.InteractionUpdate({ input: { id: interaction.id, ...fields } });
      expect(interactionUpdate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', field] });
    }
    // Moving only one end: the follow-up must still come after the interaction.
    const late = await owner.client.InteractionUpdate({ input: { id: interaction.id, nextFollowUpAt: hoursAgo(11) } });
    expect(late.interactionUpdate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'nextFollowUpAt'] });
    const moved = await owner.client.InteractionUpdate({ input: { id: interaction.id, occurredAt: new Date(Date.now() + 60_000).toISOString() } });
    expect(moved.interactionUpdate.userErrors).toEqual([]);
    const back = await owner.client.InteractionUpdate({ input: { id: interaction.id, occurredAt: interaction.occurredAt } });
    expect(back.interactionUpdate.userErrors).toEqual([]);
    for (const input of [{ id: interaction.id, occurredAt: null }, { id: interaction.id, subject: null }, { id: interaction.id, type: null }]) {
      const { interactionUpdate } = await owner.client.InteractionUpdate({ input });
      expect(interactionUpdate.userErrors[0]?.code).toBe('VALIDATION_FAILED');
    }
    const after = await interactionsOf(customerId);
    expect(after.interactions.nodes.map(({ version: _v, updatedAt: _u, ...rest }) => rest)).toEqual(
      before.interactions.nodes.map(({ version: _v, updatedAt: _u, ...rest }) => rest),
    );
    expect(after.lastInteractionAt).toBe(before.lastInteractionAt);
    expect(after.nextFollowUpAt).toBe(before.nextFollowUpAt);
  });

  it('takes the contact involved only from the same customer', async () => {
    const own = await createContact(owner, customerId, '本客户联系人');
    const otherCustomer = await makeCustomer(app, { owner });
    const foreign = await createContact(owner, otherCustomer.id);
    const hiddenCustomer = await makeCustomer(app, { owner: await makeUser(app) });
    const hidden = await createContact(app.admin, hiddenCustomer.id);
    const gone = await createContact(owner, customerId);
    await owner.client.ContactDelete({ input: { id: gone.id } });
    const attempt = async (contactId: string) =>
      (await owner.client.InteractionCreate({ input: { customerId, type: 'MEETING', occurredAt: hoursAgo(1), subject: 'x', contactId } }))
        .interactionCreate;
    expect((await attempt(foreign.id)).userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'contactId'] });
    expect((await attempt(hidden.id)).userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'contactId'] });
    expect((await attempt(gone.id)).userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'contactId'] });
    expect((await attempt(customerId)).userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'contactId'] });
    const ok = await attempt(own.id);
    expect(ok.interaction!.contact!.id).toBe(own.id);
    const unset = await owner.client.InteractionUpdate({ input: { id: ok.interaction!.id, contactId: null } });
    expect(unset.interactionUpdate.interaction!.contact).toBeNull();
    const foreignUpdate = await owner.client.InteractionUpdate({ input: { id: ok.interaction!.id, contactId: foreign.id } });
    expect(foreignUpdate.interactionUpdate.userErrors[0]?.code).toBe('VALIDATION_FAILED');
    // Deleting the contact later leaves the interaction, without a contact.
    await owner.client.InteractionUpdate({ input: { id: ok.interaction!.id, contactId: own.id } });
    await owner.client.ContactDelete({ input: { id: own.id } });
    expect((await interactionAsAdmin(ok.interaction!.id))!.contact).toBeNull();
  });

  it('refuses a stale expectedVersion with STALE_VERSION and changes nothing', async () => {
    const current = (await interactionAsAdmin(interaction.id))!;
    const ok = await owner.client.InteractionUpdate({ input: { id: interaction.id, expectedVersion: current.version, type: 'EMAIL' } });
    expect(ok.interactionUpdate.interaction).toMatchObject({ type: 'EMAIL', version: current.version + 1 });
    const stale = await owner.client.InteractionUpdate({ input: { id: interaction.id, expectedVersion: current.version, type: 'MESSAGE' } });
    expect(stale.interactionUpdate.userErrors[0]).toMatchObject({ code: 'STALE_VERSION', field: ['input', 'expectedVersion'] });
    const staleDelete = await owner.client.InteractionDelete({ input: { id: interaction.id, expectedVersion: current.version } });
    expect(staleDelete.interactionDelete.userErrors[0]?.code).toBe('STALE_VERSION');
    expect(await interactionAsAdmin(interaction.id)).toMatchObject({ type: 'EMAIL', version: current.version + 1 });
  });

  it('answers NOT_FOUND for unknown ids, ids of another type, and invisible customers alike', async () => {
    const stranger = await makeUser(app);
    const missing = Buffer.from('Interaction:999999').toString('base64url');
    const outcomes = [];
    for (const [client, id] of [
      [owner.client, missing],
      [owner.client, customerId],
      [stranger.client, interaction.id],
    ] as const) {
      const { interactionUpdate } = await client.InteractionUpdate({ input: { id, subject: 'x' } });
      const { interactionDelete } = await client.InteractionDelete({ input: { id } });
      outcomes.push(interactionUpdate.userErrors, interactionDelete.userErrors);
    }
    for (const errors of outcomes) {
      expect(errors).toEqual([expect.objectContaining({ code: 'NOT_FOUND', message: 'Interaction not found', field: ['input', 'id'] })]);
    }
    const created = await stranger.client.InteractionCreate({ input: { customerId, type: 'CALL', occurredAt: hoursAgo(1), subject: 'x' } });
    const unknown = await stranger.client.InteractionCreate({
      input: { customerId: Buffer.from('Customer:999999').toString('base64url'), type: 'CALL', occurredAt: hoursAgo(1), subject: 'x' },
    });
    expect(created.interactionCreate.userErrors).toEqual(unknown.interactionCreate.userErrors);
    expect(created.interactionCreate.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'customerId'] });
  });
});

describe('interaction lists and soft delete', () => {
  it('lists newest first with paging, also per contact', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const contact = await createContact(owner, customer.id);
    const subjects = ['a', 'b', 'c', 'd', 'e'];
    for (const [i, subject] of subjects.entries()) {
      await createInteraction(owner, customer.id, { subject, occurredAt: hoursAgo(10 - i), contactId: i % 2 === 0 ? contact.id : undefined });
    }
    const newest = [...subjects].reverse();
    const page1 = (await owner.client.CustomerInteractions({ id: customer.id, first: 2 })).customer!.interactions;
    expect(page1.nodes.map((i) => i.subject)).toEqual(newest.slice(0, 2));
    expect(page1.totalCount).toBe(5);
    const page2 = (await owner.client.CustomerInteractions({ id: customer.id, first: 2, after: page1.pageInfo.endCursor })).customer!.interactions;
    expect(page2.nodes.map((i) => i.subject)).toEqual(newest.slice(2, 4));
    const last = (await owner.client.CustomerInteractions({ id: customer.id, last: 2 })).customer!.interactions;
    expect(last.nodes.map((i) => i.subject)).toEqual(newest.slice(3));
    const { node } = await owner.client.ContactInteractions({ id: contact.id });
    expect(node?.__typename === 'Contact' && node.interactions.nodes.map((i) => i.subject)).toEqual(['e', 'c', 'a']);
  });

  it('keeps a deleted interaction in the database, out of the API, and in the history', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const keep = await createInteraction(owner, customer.id, { subject: '保留', occurredAt: hoursAgo(5) });
    const victim = await createInteraction(owner, customer.id, { subject: '要删除的拜访', occurredAt: hoursAgo(1), nextFollowUpAt: hoursAhead(5) });
    const { interactionDelete } = await owner.client.InteractionDelete({ input: { id: victim.id, expectedVersion: victim.version } });
    expect(interactionDelete).toMatchObject({
      deletedInteractionId: victim.id,
      customer: { lastInteractionAt: keep.occurredAt, nextFollowUpAt: null },
      userErrors: [],
    });
    expect((await interactionsOf(customer.id)).interactions.nodes.map((i) => i.id)).toEqual([keep.id]);
    expect((await owner.client.InteractionNode({ id: victim.id })).node).toBeNull();
    const again = await owner.client.InteractionUpdate({ input: { id: victim.id, subject: 'x' } });
    expect(again.interactionUpdate.userErrors[0]?.code).toBe('NOT_FOUND');

    const [row] = await app.orm.em.fork().execute<{ subject: string; deleted_by_id: string; deleted: boolean }[]>(
      `SELECT subject, deleted_by_id::text, deleted_at IS NOT NULL AS deleted FROM interaction WHERE id = ?::bigint`,
      [fromGlobalId('Interaction', victim.id)],
    );
    expect(row).toEqual({ subject: '要删除的拜访', deleted_by_id: owner.user.id, deleted: true });

    const { customer: withHistory } = await owner.client.CustomerSubRecordHistory({ id: customer.id });
    const deletions = withHistory!.history.nodes.filter((e) => e.action === 'RECORD_DELETED');
    expect(deletions.map((e) => [e.recordType, e.recordSummary, e.actor?.id])).toEqual([['Interaction', '要删除的拜访', owner.id]]);
  });

  it('lets an admin record interactions on any customer, as their author', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const byAdmin = await createInteraction(app.admin, customer.id);
    const byOwner = await createInteraction(owner, customer.id, { occurredAt: hoursAgo(1) });
    expect(byAdmin.author.id).toBe(app.admin.id);
    expect(byOwner.author.id).toBe(owner.id);
    // Editing someone else's interaction keeps its author.
    const { interactionUpdate } = await owner.client.InteractionUpdate({ input: { id: byAdmin.id, content: 'notes' } });
    expect(interactionUpdate.interaction!.author.id).toBe(app.admin.id);
  });
});
