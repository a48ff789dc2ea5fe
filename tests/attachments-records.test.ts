import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download, upload } from './helpers/attachment-http.js';
import { makeAccessWorld, type TestCustomer } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// Files on a customer's quotes, contracts and interactions: uploaded by whoever may edit the
// customer, listed on the record and on the customer, gone with the record.

let app: TestApp;
let owner: TestUser;
let sharee: TestUser;
let stranger: TestUser;
let customer: TestCustomer;
const records: Record<'Quote' | 'Contract' | 'Interaction', string> = { Quote: '', Contract: '', Interaction: '' };
const file = (name: string) => ({ name, type: 'text/plain', bytes: new TextEncoder().encode(`content of ${name}`) });

beforeAll(async () => {
  app = await startTestApp();
  ({ owner, sharee, stranger, owned: customer } = await makeAccessWorld(app));
  const quote = await owner.client.QuoteCreate({
    input: { customerId: customer.id, items: [{ product: '软件许可', quantity: '2', unitPrice: '1000.00' }] },
  });
  records.Quote = quote.quoteCreate.quote!.id;
  const contract = await owner.client.ContractCreate({ input: { customerId: customer.id, title: '年度服务合同', amount: '2000.00' } });
  records.Contract = contract.contractCreate.contract!.id;
  const interaction = await owner.client.InteractionCreate({
    input: { customerId: customer.id, type: 'VISIT', occurredAt: new Date(Date.now() - 3600_000).toISOString(), subject: '上门拜访' },
  });
  records.Interaction = interaction.interactionCreate.interaction!.id;
});
afterAll(() => app.close());

describe.each(['Quote', 'Contract', 'Interaction'] as const)('files on a %s', (type) => {
  it('the owner uploads; the record and the customer list it; sharees read but may not upload; strangers see nothing', async () => {
    const name = `${type}-附件.txt`;
    const res = await upload(app, owner.token, { recordType: type, recordId: records[type] }, file(name));
    expect(res.status).toBe(201);
    const id = (res.body as { attachment: { id: string } }).attachment.id;

    const { node } = await sharee.client.RecordAttachments({ id: records[type] });
    expect((node as { attachments: { nodes: { fileName: string }[] } }).attachments.nodes.map((n) => n.fileName)).toEqual([name]);
    const { customer: seen } = await sharee.client.CustomerAttachments({ id: customer.id });
    expect(seen!.attachments.nodes.find((n) => n.id === id)).toMatchObject({ recordType: type.toUpperCase() });
    expect((await download(app, sharee.token, id)).status).toBe(200);

    expect((await upload(app, sharee.token, { recordType: type, recordId: records[type] }, file('no.txt'))).status).toBe(403);
    expect((await upload(app, stranger.token, { recordType: type, recordId: records[type] }, file('no.txt'))).status).toBe(404);
    expect((await download(app, stranger.token, id)).status).toBe(404);
    expect((await stranger.client.RecordAttachments({ id: records[type] })).node).toBeNull();
  });
});

describe('when the record goes, its files go', () => {
  it('deleting the quote hides its files from every path', async () => {
    const quote = await owner.client.QuoteCreate({ input: { customerId: customer.id, items: [{ product: '服务', quantity: '1', unitPrice: '10.00' }] } });
    const quoteId = quote.quoteCreate.quote!.id;
    const res = await upload(app, owner.token, { recordType: 'Quote', recordId: quoteId }, file('待删除.txt'));
    const id = (res.body as { attachment: { id: string } }).attachment.id;
    const { quoteDelete } = await owner.client.QuoteDelete({ input: { id: quoteId } });
    expect(quoteDelete.userErrors).toEqual([]);
    expect((await download(app, owner.token, id)).status).toBe(404);
    const { customer: after } = await owner.client.CustomerAttachments({ id: customer.id });
    expect(after!.attachments.nodes.map((n) => n.id)).not.toContain(id);
    expect((await upload(app, owner.token, { recordType: 'Quote', recordId: quoteId }, file('x.txt'))).status).toBe(404);
  });
});
