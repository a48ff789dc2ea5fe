import { graphql } from 'graphql';
import { pino } from 'pino';
import { Arg, Field, ID, ObjectType, Query, Resolver, buildSchema } from 'type-graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAttachable, registerAttachable } from '../src/attachments/attachable.js';
import { attachmentsFieldResolver } from '../src/attachments/attachment.resolver.js';
import { attachmentsOf } from '../src/attachments/attachment.service.js';
import { DateTimeScalar } from '../src/common/scalars.js';
import { fromGlobalId, toGlobalId } from '../src/common/ids.js';
import { contextFor } from '../src/context.js';
import { download, storedCounts, upload } from './helpers/attachment-http.js';
import { makeCustomer, makeUser, type TestCustomer } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// Files on a customer's sub-records go through the registry that the quotes, contracts and
// interactions modules call. Until the interactions module exists, a stand-in table plays its part,
// registered exactly as that module will register itself; once it does, its own tests take over.

const registered = !!getAttachable('Interaction');

describe.skipIf(registered)('files on a record type registered by another module', () => {
  let app: TestApp;
  let owner: TestUser;
  let sharee: TestUser;
  let stranger: TestUser;
  let customer: TestCustomer;
  let other: TestCustomer;
  const small = (name: string) => ({ name, type: 'text/plain', bytes: new TextEncoder().encode(name) });
  const interaction = (id: string) => ({ recordType: 'Interaction', recordId: toGlobalId('Interaction', id) });

  beforeAll(async () => {
    app = await startTestApp();
    await app.orm.em.fork().execute(
      `CREATE TABLE stand_in_interaction (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customer (id), deleted_at timestamptz)`,
    );
    registerAttachable(
      'Interaction',
      async (em, id) => {
        const [row] = await em.execute<{ customer_id: string }[]>(
          'SELECT customer_id::text AS customer_id FROM stand_in_interaction WHERE id = ?::bigint AND deleted_at IS NULL',
          [id],
        );
        return row ? { customerId: row.customer_id } : null;
      },
      { liveSql: (id) => `EXISTS (SELECT 1 FROM stand_in_interaction i WHERE i.id = ${id} AND i.deleted_at IS NULL)` },
    );
    owner = await makeUser(app);
    sharee = await makeUser(app);
    stranger = await makeUser(app);
    customer = await makeCustomer(app, { owner, sharedWith: [sharee] });
    other = await makeCustomer(app, { owner: stranger });
    const internal = (c: TestCustomer) => fromGlobalId('Customer', c.id)!;
    await app.orm.em
      .fork()
      .execute('INSERT INTO stand_in_interaction (id, customer_id) VALUES (1, ?::bigint), (2, ?::bigint), (3, ?::bigint)', [
        internal(customer),
        internal(customer),
        internal(other),
      ]);
  });
  afterAll(() => app?.close());

  it('refuses a second registration of the same type', () => {
    expect(() => registerAttachable('Interaction', async () => null)).toThrow(/already attachable/);
  });

  it('uploads to the record with EDIT on its customer; lists it on the customer and on the record', async () => {
    const res = await upload(app, owner.token, interaction('1'), small('visit-notes.txt'));
    expect(res.status).toBe(201);
    expect(res.body.attachment).toMatchObject({ recordType: 'INTERACTION', recordId: toGlobalId('Interaction', '1'), customerId: customer.id });
    // The GraphQL enum name works as recordType too.
    const upper = await upload(app, owner.token, { ...interaction('2'), recordType: 'INTERACTION' }, small('call.txt'));
    expect(upper.status).toBe(201);

    const { customer: read } = await sharee.client.CustomerAttachments({ id: customer.id });
    expect(read!.attachments.nodes.map((n) => [n.fileName, n.recordType])).toEqual([
      ['call.txt', 'INTERACTION'],
      ['visit-notes.txt', 'INTERACTION'],
    ]);
    expect((await download(app, sharee.token, res.body.attachment.id)).status).toBe(200);

    const ctx = await contextFor(app.deps, owner.user.id, pino({ level: 'silent' }));
    const page = await attachmentsOf(ctx, 'Interaction', '1', { first: 10 });
    expect(page.nodes.map((n) => n.fileName)).toEqual(['visit-notes.txt']);
  });

  it('gives the record type an attachments field in one line (attachmentsFieldResolver)', async () => {
    // A stand-in GraphQL type, declared after the server's schema is built so that it stays out of it.
    @ObjectType('StandInInteraction')
    class StandInInteraction {
      @Field(() => ID)
      id!: string;
    }
    @Resolver()
    class StandInQuery {
      @Query(() => StandInInteraction)
      standIn(@Arg('id', () => ID) id: string): StandInInteraction {
        return Object.assign(new StandInInteraction(), { id });
      }
    }
    const schema = await buildSchema({
      resolvers: [StandInQuery, attachmentsFieldResolver(StandInInteraction, 'Interaction')],
      scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
      validate: false,
    });
    const contextValue = await contextFor(app.deps, owner.user.id, pino({ level: 'silent' }));
    const result = await graphql({
      schema,
      source: '{ a: standIn(id: "1") { attachments(first: 5) { totalCount nodes { fileName recordType } } } b: standIn(id: "3") { attachments { totalCount } } }',
      contextValue,
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      a: { attachments: { totalCount: 1, nodes: [{ fileName: 'visit-notes.txt', recordType: 'INTERACTION' }] } },
      b: { attachments: { totalCount: 0 } },
    });
  });

  it('refuses sharees (FORBIDDEN) and strangers (NOT_FOUND, like a missing record)', async () => {
    const before = await storedCounts(app);
    const forbidden = await upload(app, sharee.token, interaction('1'), small('nope.txt'));
    expect(forbidden.status).toBe(403);
    const invisible = await upload(app, owner.token, interaction('3'), small('nope.txt'));
    const missing = await upload(app, owner.token, interaction('99'), small('nope.txt'));
    expect(invisible.status).toBe(404);
    expect(invisible.body).toEqual(missing.body);
    expect(missing.body.error).toEqual({ code: 'NOT_FOUND', message: 'Interaction not found' });
    expect(await storedCounts(app)).toEqual(before);
  });

  it('hides the files of a deleted record everywhere', async () => {
    const res = await upload(app, owner.token, interaction('2'), small('gone-with-it.txt'));
    expect(res.status).toBe(201);
    await app.orm.em.fork().execute('UPDATE stand_in_interaction SET deleted_at = now() WHERE id = 2');

    const { customer: read } = await owner.client.CustomerAttachments({ id: customer.id });
    expect(read!.attachments.nodes.map((n) => n.fileName)).toEqual(['visit-notes.txt']);
    expect((await download(app, owner.token, res.body.attachment.id)).status).toBe(404);
    expect((await owner.client.AttachmentNode({ id: res.body.attachment.id })).node).toBeNull();
    const { attachmentDelete } = await owner.client.AttachmentDelete({ input: { id: res.body.attachment.id } });
    expect(attachmentDelete.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
    expect((await upload(app, owner.token, interaction('2'), small('late.txt'))).status).toBe(404);
  });
});
