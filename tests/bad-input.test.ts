import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientError } from '../sdk/index.js';
import { upload } from './helpers/attachment-http.js';
import { databaseFingerprint } from './helpers/bad-input.js';
import { makeCustomer, makeUser, topLevelCode, unique } from './helpers/factories.js';
import { errorOf, getDoc, listQuery } from './helpers/print-http.js';
import { companyDay, makeContract } from './helpers/money.js';
import { hoursAgo } from './helpers/records-world.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// Input the database cannot store, or that says nothing, is refused where it enters, with
// VALIDATION_FAILED (400 over plain HTTP), and nothing is written; a malformed request is the
// client's error (4xx, logged once at info), never a 500.

let app: TestApp;
let owner: TestUser;
const logLines: string[] = [];

beforeAll(async () => {
  app = await startTestApp({ logLines });
  owner = await makeUser(app);
});
afterAll(() => app.close());

/** The top-level error of a refused SDK call: its code and field. */
async function refusal(call: Promise<unknown>): Promise<{ code?: unknown; field?: unknown }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ClientError) {
      const extensions = error.response.errors?.[0]?.extensions ?? {};
      return { code: extensions.code, field: extensions.field };
    }
    throw error;
  }
  return {};
}

/** Runs `call` and expects the database unchanged (every table, row by row). */
async function changesNothing<T>(call: () => Promise<T>): Promise<T> {
  const before = await databaseFingerprint(app);
  const result = await call();
  expect(await databaseFingerprint(app)).toEqual(before);
  return result;
}

describe('text PostgreSQL cannot store', () => {
  it('a NUL in a mutation input is VALIDATION_FAILED naming the field, and nothing is written', async () => {
    for (const name of ['a\u0000b', '\u0000']) {
      const result = await changesNothing(() => refusal(owner.client.CustomerCreate({ input: { name, claim: true } })));
      expect(result).toEqual({ code: 'VALIDATION_FAILED', field: ['input', 'name'] });
    }
    const customer = await makeCustomer(app, { owner });
    const result = await changesNothing(() => refusal(owner.client.CustomersReturn({ input: { customerIds: [customer.id], reason: '退回\u0000' } })));
    expect(result).toEqual({ code: 'VALIDATION_FAILED', field: ['input', 'reason'] });
  });

  it('a NUL in a search, a filter or a sign-in is VALIDATION_FAILED', async () => {
    expect(await refusal(owner.client.Customers({ view: 'MINE', search: '华\u0000' }))).toEqual({ code: 'VALIDATION_FAILED', field: ['search'] });
    expect(await refusal(owner.client.CustomerList({ view: 'MINE', filter: { name: { contains: '\u0000' } } }))).toEqual({
      code: 'VALIDATION_FAILED',
      field: ['filter', 'name', 'contains'],
    });
    const signIn = await changesNothing(() => refusal(app.anonymous.Login({ input: { email: `x\u0000@test.local`, password: 'password-123' } })));
    expect(signIn.code).toBe('VALIDATION_FAILED');
  });

  it('an unpaired surrogate is refused rather than stored as U+FFFD', async () => {
    const customer = await makeCustomer(app, { owner });
    for (const notes of ['\ud83d', 'x\ude00', '\ude00\ud83d']) {
      const result = await changesNothing(() => refusal(owner.client.CustomerUpdate({ input: { id: customer.id, notes } })));
      expect(result).toEqual({ code: 'VALIDATION_FAILED', field: ['input', 'notes'] });
    }
    // A pair is a character like any other.
    const { customerUpdate } = await owner.client.CustomerUpdate({ input: { id: customer.id, notes: '好 😀' } });
    expect(customerUpdate.customer!.notes).toBe('好 😀');
  });

  it('a NUL written as a literal in the document is refused the same way', async () => {
    const document = `mutation { customerCreate(input: { name: "a\\u0000b" }) { customer { id } userErrors { code } } }`;
    const result = await changesNothing(() => refusal(owner.client.graphql.request(document)));
    expect(result).toEqual({ code: 'VALIDATION_FAILED', field: ['input', 'name'] });
  });

  it('print and export parameters with a NUL, raw or escaped in JSON, are 400 VALIDATION_FAILED', async () => {
    const customer = await makeCustomer(app, { owner });
    const paths = [
      `/print/customers/${customer.id}%00`,
      `/print/customers${listQuery({ view: 'MINE', search: '华\u0000' })}`,
      `/print/customers${listQuery({ view: 'MINE', filter: { name: { eq: 'a\u0000' } } })}`,
      `/export/customers.csv${listQuery({ view: 'MINE', filter: { name: { startsWith: '\u0000' } } })}`,
      `/export/customers.csv${listQuery({ view: 'MINE', orderBy: [{ field: 'NAME', direction: 'ASC' }] })}&search=%00`,
    ];
    for (const path of paths) {
      const doc = await changesNothing(() => getDoc(app, path, owner.token));
      expect({ path, status: doc.status }).toEqual({ path, status: 400 });
      expect(errorOf(doc).code).toBe('VALIDATION_FAILED');
    }
  });

  it('an upload whose file name or fields hold a NUL is 400 VALIDATION_FAILED, and nothing is stored', async () => {
    const customer = await makeCustomer(app, { owner });
    const bytes = new Uint8Array([1, 2, 3]);
    const byName = await changesNothing(() => upload(app, owner.token, { customerId: customer.id }, { name: 'scan\u0000.pdf', bytes }));
    expect(byName.status).toBe(400);
    expect(byName.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    const byField = await changesNothing(() => upload(app, owner.token, { customerId: `${customer.id}\u0000` }, { name: 'scan.pdf', bytes }));
    expect(byField.status).toBe(400);
    expect(byField.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('dates and times the database cannot store', () => {
  const unstorable = ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00+01:00', '9999-12-31T23:30:00-01:00'];

  it.each(unstorable)('DateTime %s is refused in a filter, not a 500', async (at) => {
    const result = await refusal(owner.client.CustomerList({ view: 'MINE', filter: { createdAt: { gt: at } } }));
    expect(result.code).toBe('BAD_USER_INPUT');
  });

  it.each(unstorable)('DateTime %s is refused in a record, and nothing is written', async (at) => {
    const customer = await makeCustomer(app, { owner });
    const result = await changesNothing(() =>
      refusal(owner.client.InteractionCreate({ input: { customerId: customer.id, type: 'CALL', occurredAt: at, subject: '电话' } })),
    );
    expect(result.code).toBe('BAD_USER_INPUT');
  });

  it('the first and last instants the database takes are accepted', async () => {
    const customer = await makeCustomer(app, { owner });
    const [first, last] = ['0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z'];
    const { interactionCreate } = await owner.client.InteractionCreate({
      input: { customerId: customer.id, type: 'CALL', occurredAt: first, nextFollowUpAt: last, subject: '电话' },
    });
    expect(interactionCreate.userErrors).toEqual([]);
    expect(interactionCreate.interaction).toMatchObject({ occurredAt: first, nextFollowUpAt: last });
  });

  it('a cursor carrying the year 0000 is VALIDATION_FAILED', async () => {
    await makeCustomer(app, { owner });
    await makeCustomer(app, { owner });
    const { customers } = await owner.client.Customers({ view: 'MINE', first: 1, orderBy: [{ field: 'CREATED_AT', direction: 'DESC' }] });
    const cursor = customers.pageInfo.endCursor!;
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as string[];
    const forged = values.map((v, i) => (i > 0 && /^\d{4}-/.test(v) ? `0000${v.slice(4)}` : v));
    expect(forged).not.toEqual(values);
    const after = Buffer.from(JSON.stringify(forged)).toString('base64url');
    expect(
      await topLevelCode(owner.client.Customers({ view: 'MINE', first: 1, after, orderBy: [{ field: 'CREATED_AT', direction: 'DESC' }] })),
    ).toBe('VALIDATION_FAILED');
  });
});

describe('malformed multipart uploads', () => {
  const boundary = 'b0undary';
  const body = (customerId: string) =>
    [
      `--${boundary}`,
      'Content-Disposition: form-data; name="customerId"',
      '',
      customerId,
      `--${boundary}`,
      'Content-Disposition: form-data; name="file"; filename="scan.pdf"',
      'Content-Type: application/pdf',
      '',
      'x'.repeat(4000),
      `--${boundary}--`,
      '',
    ].join('\r\n');

  async function post(contentType: string, payload: string) {
    const res = await fetch(`${app.url}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': contentType },
      body: payload,
    });
    return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
  }

  it('without a boundary, with one too long, or cut off mid-file: 400, nothing stored', async () => {
    const customer = await makeCustomer(app, { owner });
    const whole = body(customer.id);
    const cases: [string, string][] = [
      ['multipart/form-data', whole],
      [`multipart/form-data; boundary=${'b'.repeat(300)}`, whole],
      [`multipart/form-data; boundary=${boundary}`, whole.slice(0, whole.length - 1000)],
    ];
    for (const [contentType, payload] of cases) {
      const res = await changesNothing(() => post(contentType, payload));
      expect({ contentType: contentType.slice(0, 40), status: res.status, code: res.body.error?.code }).toEqual({
        contentType: contentType.slice(0, 40),
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    // The same form, whole, is stored.
    expect((await post(`multipart/form-data; boundary=${boundary}`, whole)).status).toBe(201);
  });
});

describe('logging a bad request', () => {
  it('a directive repeated a hundred times is logged once, at info, and no error is logged', async () => {
    const from = logLines.length;
    const query = `{ viewer ${'@include(if: true) '.repeat(100)}{ id } }`;
    const res = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({ query }),
    });
    expect(res.status).toBe(400);
    const lines = logLines.slice(from).map((line) => JSON.parse(line) as { level: number; msg: string; errorCount?: number });
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
    const refused = lines.filter((l) => l.msg === 'request refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ level: 30, errorCount: 99 });
  });

  it('a real fault is still logged at error level', async () => {
    const from = logLines.length;
    // A statement that fails in the database: the notifications table moved away under the server.
    const em = app.orm.em.fork();
    await em.execute('ALTER TABLE notification RENAME TO notification_away');
    try {
      expect(await topLevelCode(owner.client.Notifications({ first: 5 }))).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await em.execute('ALTER TABLE notification_away RENAME TO notification');
    }
    const errors = logLines.slice(from).filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    expect(errors.length).toBeGreaterThanOrEqual(1);
  });
});

describe('required text must show something', () => {
  const invisible = ['\u200b\u200b', '\ufeff', ' \u2060\u00ad ', '\u3164', '\u200d\u200c', '\u202e\u202d'];

  it.each(invisible.map((v) => [JSON.stringify(v), v]))('a customer named %s is VALIDATION_FAILED, on create and update', async (_shown, name) => {
    const created = await changesNothing(() => owner.client.CustomerCreate({ input: { name, claim: true } }));
    expect(created.customerCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'name'] });
    const customer = await makeCustomer(app, { owner });
    const updated = await changesNothing(() => owner.client.CustomerUpdate({ input: { id: customer.id, name } }));
    expect(updated.customerUpdate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'name'] });
  });

  it('users, contacts, relations, interactions, contracts and quote lines need visible text too', async () => {
    const name = '\u200b\u200b';
    const customer = await makeCustomer(app, { owner });
    const { contactCreate } = await owner.client.ContactCreate({ input: { customerId: customer.id, name: '张伟' } });
    const contactId = contactCreate.contact!.id;
    await changesNothing(async () => {
      const user = await app.admin.client.UserCreate({ input: { name, email: `${unique('u')}@test.local`, password: 'password-123', role: 'SALES' } });
      expect(user.userCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'name'] });
      const userUpdate = await app.admin.client.UserUpdate({ input: { id: owner.id, name } });
      expect(userUpdate.userUpdate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'name'] });
      const contact = await owner.client.ContactCreate({ input: { customerId: customer.id, name } });
      expect(contact.contactCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'name'] });
      const relation = await owner.client.ContactRelationCreate({ input: { contactId, relationship: 'OTHER', personName: name } });
      expect(relation.contactRelationCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'personName'] });
      const interaction = await owner.client.InteractionCreate({ input: { customerId: customer.id, type: 'CALL', occurredAt: hoursAgo(1), subject: name } });
      expect(interaction.interactionCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'subject'] });
      const contract = await owner.client.ContractCreate({ input: { customerId: customer.id, title: name, amount: '100.00' } });
      expect(contract.contractCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'title'] });
      const quote = await owner.client.QuoteCreate({ input: { customerId: customer.id, items: [{ product: name, quantity: '1', unitPrice: '1.00' }] } });
      expect(quote.quoteCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'items', '0', 'product'] });
    });
  });

  it('invisible characters around a name are trimmed; inside it and in emoji they stay', async () => {
    const { customerCreate } = await owner.client.CustomerCreate({ input: { name: `\u200b\ufeff${unique('华光')}\u200b `, claim: true } });
    expect(customerCreate.customer!.name).toMatch(/^华光\d+x\d+$/);
    const { contactCreate } = await owner.client.ContactCreate({
      input: { customerId: customerCreate.customer!.id, name: '李\u200d娜 👍🏽', notes: '\u200b' },
    });
    expect(contactCreate.contact).toMatchObject({ name: '李\u200d娜 👍🏽', notes: null });
  });
});

describe('malformed ids', () => {
  it('an empty id for an optional reference is refused, not taken for none', async () => {
    const customer = await makeCustomer(app, { owner });
    const contract = await makeContract(owner.client, customer.id);
    const receipt = await changesNothing(() =>
      owner.client.ReceiptCreate({ input: { contractId: contract.id, receivableId: '', amount: '1.00', receivedOn: companyDay(-1), method: 'BANK_TRANSFER' } }),
    );
    expect(receipt.receiptCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'receivableId'] });
    const name = unique('user');
    const user = await changesNothing(() =>
      app.admin.client.UserCreate({ input: { name, email: `${name}@test.local`, password: 'password-123', role: 'SALES', managerId: '' } }),
    );
    expect(user.userCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'managerId'] });
  });
});
