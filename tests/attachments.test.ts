import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId, toGlobalId } from '../src/common/ids.js';
import { asciiFileName, sanitizeContentType, sanitizeFileName, servedContentType } from '../src/attachments/file-meta.js';
import {
  binaryContent,
  download,
  jsonOf,
  sha256,
  storedCounts,
  upload,
  uploadOk,
  type AttachmentJson,
} from './helpers/attachment-http.js';
import { makeAccessWorld, makeCustomer, makeUser, topLevelCode, type AccessWorld, type TestCustomer } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const CHINESE_NAME = '报价单（最终版）.pdf';
const small = (name = 'note.txt', type = 'text/plain') => ({ name, type, bytes: new TextEncoder().encode(`hello ${name}`) });

describe('upload and download', () => {
  it('round-trips binary content byte for byte, with a Chinese file name, size and SHA-256', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const bytes = binaryContent();
    expect(new Set(bytes).size).toBe(256);

    const res = await upload(app, owner.token, { customerId: customer.id }, { name: CHINESE_NAME, bytes, type: 'application/pdf' });
    expect(res.status).toBe(201);
    const a = res.body.attachment;
    expect(a).toMatchObject({
      fileName: CHINESE_NAME,
      contentType: 'application/pdf',
      size: bytes.length,
      sha256: sha256(bytes),
      recordType: 'CUSTOMER',
      recordId: customer.id,
      customerId: customer.id,
      uploadedBy: { id: owner.id, name: owner.name },
      version: 1,
      downloadUrl: `/attachments/${a.id}`,
    });
    expect(res.headers.get('location')).toBe(a.downloadUrl);

    const got = await download(app, owner.token, a.id);
    expect(got.status).toBe(200);
    expect(Buffer.from(got.body).equals(Buffer.from(bytes))).toBe(true);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-length')).toBe(String(bytes.length));
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('etag')).toBe(`"${sha256(bytes)}"`);
    const disposition = got.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; /);
    expect(disposition).toContain('filename="attachment.pdf"');
    const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)![1]!;
    expect(decodeURIComponent(encoded)).toBe(CHINESE_NAME);
    expect(encoded).not.toMatch(/[()]/); // RFC 5987: parentheses are not attr-chars

    const head = await fetch(`${app.url}/attachments/${a.id}`, { method: 'HEAD', headers: { authorization: `Bearer ${owner.token}` } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
    expect((await head.arrayBuffer()).byteLength).toBe(0);

    // A cached copy is revalidated by its ETag.
    const again = await download(app, owner.token, a.id, { 'if-none-match': got.headers.get('etag')! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);

    // The same metadata in GraphQL.
    const { customer: read } = await owner.client.CustomerAttachments({ id: customer.id });
    expect(read!.attachments.totalCount).toBe(1);
    expect(read!.attachments.nodes[0]).toMatchObject({
      id: a.id,
      fileName: CHINESE_NAME,
      contentType: 'application/pdf',
      size: bytes.length,
      sha256: sha256(bytes),
      recordType: 'CUSTOMER',
      downloadUrl: `/attachments/${a.id}`,
      uploadedBy: { id: owner.id },
      record: { __typename: 'Customer', id: customer.id },
    });
  });

  it('streams files larger than the GraphQL body limit and several download chunks', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    expect(app.deps.config.limits.bodyBytes).toBeLessThan(2.5 * 1024 * 1024);
    const bytes = binaryContent(2.5 * 1024 * 1024 + 3);
    const a = await uploadOk(app, owner.token, customer.id, { name: 'big.bin', bytes, type: 'application/octet-stream' });
    expect(a.size).toBe(bytes.length);
    const got = await download(app, owner.token, a.id);
    expect(got.body.length).toBe(bytes.length);
    expect(sha256(got.body)).toBe(sha256(bytes));
  });

  it('accepts the fields after the file as well', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const res = await upload(app, owner.token, { customerId: customer.id }, small('late.txt'), { fileFirst: true });
    expect(res.status).toBe(201);
    expect(res.body.attachment.fileName).toBe('late.txt');
    // recordType before the file, recordId after it.
    const form = new FormData();
    form.append('recordType', 'Customer');
    form.append('file', new Blob([new Uint8Array([1, 2, 3])]), 'split.bin');
    form.append('recordId', customer.id);
    const split = await fetch(`${app.url}/attachments`, { method: 'POST', body: form, headers: { authorization: `Bearer ${owner.token}` } });
    expect(split.status).toBe(201);
  });

  it('serves risky content types as application/octet-stream but records what was declared', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const cases: [string, string][] = [
      ['text/html', 'application/octet-stream'],
      ['image/svg+xml', 'application/octet-stream'],
      ['application/xhtml+xml', 'application/octet-stream'],
      ['text/javascript', 'application/octet-stream'],
      ['application/xml', 'application/octet-stream'],
      ['image/png', 'image/png'],
      ['text/plain', 'text/plain'],
      ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ];
    for (const [declared, served] of cases) {
      const a = await uploadOk(app, owner.token, customer.id, { name: 'x.bin', bytes: new Uint8Array([60, 115, 62]), type: declared });
      expect(a.contentType).toBe(declared);
      const got = await download(app, owner.token, a.id);
      expect(got.headers.get('content-type')?.split(';')[0]).toBe(served);
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.headers.get('content-disposition')).toMatch(/^attachment; filename="x.bin"/);
    }
  });

  it('sanitises file names and content types', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const a = await uploadOk(app, owner.token, customer.id, { name: '..\\..\\evil\u202Egpj.exe', bytes: new Uint8Array([1]), type: 'application/x-msdownload' });
    expect(a.fileName).toBe('evilgpj.exe');
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('a"b<c>.txt')).toBe('a_b_c_.txt');
    expect(sanitizeFileName('...')).toBe('file');
    expect(sanitizeFileName(`${'长'.repeat(300)}.pdf`)).toBe(`${'长'.repeat(196)}.pdf`);
    expect(sanitizeContentType('Text/Plain; charset=UTF-8')).toBe('text/plain');
    expect(sanitizeContentType('not a type')).toBe('application/octet-stream');
    expect(servedContentType('made/up')).toBe('application/octet-stream');
    expect(asciiFileName('résumé "final".pdf')).toBe('resume _final_.pdf');
  });

  it('refuses malformed uploads with 400 VALIDATION_FAILED and stores nothing', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const before = await storedCounts(app);
    const cases: [Record<string, string>, ReturnType<typeof small> | undefined, { extraFiles?: ReturnType<typeof small>[] }?][] = [
      [{ customerId: customer.id }, undefined], // no file
      [{}, small()], // no target
      [{ recordType: 'Invoice', recordId: customer.id }, small()], // not an attachable type
      [{ recordType: 'User', recordId: owner.id }, small()], // a node type, but not attachable
      [{ recordType: 'Customer' }, small()], // recordId missing
      [{ customerId: customer.id, recordType: 'Customer', recordId: customer.id }, small()], // both ways
      [{ customerId: customer.id, colour: 'red' }, small()], // unknown field
      [{ customerId: customer.id }, { name: 'empty.txt', type: 'text/plain', bytes: new Uint8Array() }],
      [{ customerId: customer.id }, small('one.txt'), { extraFiles: [small('two.txt')] }],
      [{ customerId: 'x'.repeat(2000) }, small()], // field too long
    ];
    for (const [fields, file, options] of cases) {
      const res = await upload(app, owner.token, fields, file, options);
      expect({ fields, status: res.status, code: res.body.error?.code }).toEqual({ fields, status: 400, code: 'VALIDATION_FAILED' });
    }
    const json = await fetch(`${app.url}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: customer.id }),
    });
    expect(json.status).toBe(415);
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    expect(await storedCounts(app)).toEqual(before);
  });

  it('answers NOT_FOUND for ids that name nothing', async () => {
    const owner = await makeUser(app);
    for (const customerId of ['garbage', owner.id, toGlobalId('Customer', '987654321')]) {
      const res = await upload(app, owner.token, { customerId }, small());
      expect(res.status).toBe(404);
      expect(res.body.error).toEqual({ code: 'NOT_FOUND', message: 'Customer not found' });
    }
    for (const id of ['garbage', owner.id, toGlobalId('Attachment', '987654321')]) {
      const got = await download(app, owner.token, id);
      expect(got.status).toBe(404);
      expect(jsonOf(got).error).toEqual({ code: 'NOT_FOUND', message: 'Attachment not found' });
    }
  });
});

describe('upload size limit', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await startTestApp({ env: { MAX_UPLOAD_BYTES: '1024' } });
  });
  afterAll(() => limited.close());

  it('accepts exactly the limit and refuses one byte more with 413, storing nothing', async () => {
    const owner = await makeUser(limited);
    const customer = await makeCustomer(limited, { owner });
    const exact = binaryContent(1024);
    const ok = await upload(limited, owner.token, { customerId: customer.id }, { name: 'exact.bin', bytes: exact });
    expect(ok.status).toBe(201);
    expect(ok.body.attachment).toMatchObject({ size: 1024, sha256: sha256(exact) });
    const before = await storedCounts(limited);
    for (const size of [1025, 3 * 1024 * 1024]) {
      const res = await upload(limited, owner.token, { customerId: customer.id }, { name: 'over.bin', bytes: binaryContent(size) });
      expect(res.status).toBe(413);
      expect(res.body.error?.code).toBe('PAYLOAD_TOO_LARGE');
    }
    expect(await storedCounts(limited)).toEqual(before);
    const { customer: read } = await owner.client.CustomerAttachments({ id: customer.id });
    expect(read!.attachments.nodes.map((n) => n.fileName)).toEqual(['exact.bin']);
  });

  it('leaves the GraphQL body limit alone', async () => {
    const owner = await makeUser(limited);
    expect(limited.deps.config.limits.bodyBytes).toBe(1024 * 1024);
    // A 4 KB GraphQL request (four times the upload limit) still works.
    const query = `query Padded { viewer { id } }${' '.repeat(4096)}`;
    const res = await fetch(limited.graphqlUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { viewer: { id: string } } }).data.viewer.id).toBe(owner.id);
    // And one over the GraphQL limit is still refused.
    const tooBig = await fetch(limited.graphqlUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: `query { viewer { id } }${' '.repeat(1024 * 1024)}` }),
    });
    expect(tooBig.status).toBe(413);
  });
});

/** The owner reports to a manager who reports to a top manager; one sharee; outsiders (factories.ts). */
type World = AccessWorld;
type Who = keyof Omit<World, 'owned' | 'pool' | 'admin'> | 'admin' | 'anonymous';
const EVERYONE: Who[] = ['owner', 'admin', 'sharee', 'manager', 'topManager', 'stranger', 'poolManager', 'deactivated', 'anonymous'];

function tokenOf(w: World, who: Who): string | undefined {
  if (who === 'anonymous') return undefined;
  if (who === 'admin') return app.admin.token;
  return w[who].token;
}

describe('who may do what', () => {
  let w: World;
  let file: AttachmentJson;
  let poolFile: AttachmentJson;
  const bytes = binaryContent(300);

  beforeAll(async () => {
    w = await makeAccessWorld(app);
    file = await uploadOk(app, w.owner.token, w.owned.id, { name: CHINESE_NAME, bytes, type: 'application/pdf' });
    poolFile = await uploadOk(app, app.admin.token, w.pool.id, { name: 'pool.pdf', bytes, type: 'application/pdf' });
  });

  it('uploads: owner and admin; sharee and managers above FORBIDDEN; strangers NOT_FOUND; no valid token 401', async () => {
    const expected: Record<Who, number> = {
      owner: 201,
      admin: 201,
      sharee: 403,
      manager: 403,
      topManager: 403,
      stranger: 404,
      poolManager: 404,
      deactivated: 401,
      anonymous: 401,
    };
    const missing = await upload(app, w.owner.token, { customerId: toGlobalId('Customer', '987654321') }, small());
    for (const who of EVERYONE) {
      const before = await storedCounts(app);
      const res = await upload(app, tokenOf(w, who), { customerId: w.owned.id }, small(`${who}.txt`));
      expect({ who, status: res.status }).toEqual({ who, status: expected[who] });
      if (res.status === 201) {
        expect(res.body.attachment.uploadedBy.id).toBe(who === 'admin' ? app.admin.id : w[who as 'owner'].id);
        continue;
      }
      const code = { 403: 'FORBIDDEN', 404: 'NOT_FOUND', 401: 'UNAUTHENTICATED' }[res.status];
      expect(res.body.error?.code).toBe(code);
      // An invisible customer looks exactly like a missing one.
      if (res.status === 404) expect(res.body).toEqual(missing.body);
      expect(await storedCounts(app)).toEqual(before);
    }
    const forged = await upload(app, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', { customerId: w.owned.id }, small());
    expect(forged.status).toBe(401);
  });

  it('uploads to a pool customer: managers and admins may; SALES get FORBIDDEN', async () => {
    const expected: Record<Who, number> = {
      owner: 403, // SALES
      sharee: 403,
      stranger: 403,
      manager: 201,
      topManager: 201,
      poolManager: 201,
      admin: 201,
      deactivated: 401,
      anonymous: 401,
    };
    for (const who of EVERYONE) {
      const res = await upload(app, tokenOf(w, who), { customerId: w.pool.id }, small(`${who}.txt`));
      expect({ who, status: res.status }).toEqual({ who, status: expected[who] });
    }
  });

  it('downloads: everyone who can see the customer; strangers 404 exactly like a missing file', async () => {
    const missing = await download(app, w.owner.token, toGlobalId('Attachment', '987654321'));
    const expected: Record<Who, number> = {
      owner: 200,
      admin: 200,
      sharee: 200,
      manager: 200,
      topManager: 200,
      stranger: 404,
      poolManager: 404,
      deactivated: 401,
      anonymous: 401,
    };
    for (const who of EVERYONE) {
      const got = await download(app, tokenOf(w, who), file.id);
      expect({ who, status: got.status }).toEqual({ who, status: expected[who] });
      if (got.status === 200) expect(sha256(got.body)).toBe(sha256(bytes));
      if (got.status === 404) expect(jsonOf(got)).toEqual(jsonOf(missing));
      if (got.status === 401) expect(jsonOf(got).error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('downloads of pool customers: every active user, as pool customers are readable by everyone', async () => {
    for (const who of EVERYONE) {
      const got = await download(app, tokenOf(w, who), poolFile.id);
      expect({ who, status: got.status }).toEqual({ who, status: who === 'deactivated' || who === 'anonymous' ? 401 : 200 });
    }
  });

  it('lists in GraphQL and answers node(id) for readers; null for strangers', async () => {
    const readers: Who[] = ['owner', 'admin', 'sharee', 'manager', 'topManager'];
    for (const who of EVERYONE) {
      const client = app.client(tokenOf(w, who));
      if (who === 'deactivated' || who === 'anonymous') {
        expect(await topLevelCode(client.CustomerAttachments({ id: w.owned.id }))).toBe('UNAUTHENTICATED');
        expect(await topLevelCode(client.AttachmentNode({ id: file.id }))).toBe('UNAUTHENTICATED');
        continue;
      }
      const { customer } = await client.CustomerAttachments({ id: w.owned.id, first: 100 });
      const { node } = await client.AttachmentNode({ id: file.id });
      const { nodes } = await client.Nodes({ ids: [file.id, poolFile.id] });
      if (readers.includes(who)) {
        expect(customer!.attachments.nodes.map((n) => n.id)).toContain(file.id);
        expect(node).toMatchObject({ __typename: 'Attachment', id: file.id, fileName: CHINESE_NAME, sha256: sha256(bytes) });
        expect(nodes.map((n) => n?.id ?? null)).toEqual([file.id, poolFile.id]);
      } else {
        expect({ who, customer, node }).toEqual({ who, customer: null, node: null });
        expect(nodes.map((n) => n?.id ?? null)).toEqual([null, poolFile.id]);
      }
    }
    // SALES see pool customers' files too.
    const { customer: pool } = await w.stranger.client.CustomerAttachments({ id: w.pool.id, first: 100 });
    expect(pool!.attachments.nodes.map((n) => n.id)).toContain(poolFile.id);
  });

  it('deletes: sharee and managers above FORBIDDEN, strangers NOT_FOUND, nothing changes', async () => {
    const missing = await w.owner.client.AttachmentDelete({ input: { id: toGlobalId('Attachment', '987654321') } });
    const refusals: [Who, string][] = [
      ['sharee', 'FORBIDDEN'],
      ['manager', 'FORBIDDEN'],
      ['topManager', 'FORBIDDEN'],
      ['stranger', 'NOT_FOUND'],
      ['poolManager', 'NOT_FOUND'],
    ];
    for (const [who, code] of refusals) {
      const { attachmentDelete } = await app.client(tokenOf(w, who)).AttachmentDelete({ input: { id: file.id } });
      expect({ who, errors: attachmentDelete.userErrors.map((e) => e.code) }).toEqual({ who, errors: [code] });
      expect(attachmentDelete.deletedAttachmentId).toBeNull();
      if (code === 'NOT_FOUND') expect(attachmentDelete.userErrors).toEqual(missing.attachmentDelete.userErrors);
    }
    for (const who of ['deactivated', 'anonymous'] as Who[]) {
      expect(await topLevelCode(app.client(tokenOf(w, who)).AttachmentDelete({ input: { id: file.id } }))).toBe('UNAUTHENTICATED');
    }
    // SALES may not delete files of pool customers.
    const { attachmentDelete } = await w.stranger.client.AttachmentDelete({ input: { id: poolFile.id } });
    expect(attachmentDelete.userErrors.map((e) => e.code)).toEqual(['FORBIDDEN']);

    const { node } = await w.owner.client.AttachmentNode({ id: file.id });
    expect(node).toMatchObject({ id: file.id, version: 1 });
    expect((await download(app, w.owner.token, file.id)).status).toBe(200);
    expect((await download(app, w.owner.token, poolFile.id)).status).toBe(200);
    const { customer } = await w.owner.client.AttachmentCustomerHistory({ id: w.owned.id });
    expect(customer!.history.nodes.filter((e) => e.action === 'RECORD_DELETED')).toEqual([]);
  });

  it('deletes: the owner, the admin and a manager of a pool customer may', async () => {
    const mine = await uploadOk(app, w.owner.token, w.owned.id, small('mine.txt'));
    const forAdmin = await uploadOk(app, w.owner.token, w.owned.id, small('admin.txt'));
    const inPool = await uploadOk(app, app.admin.token, w.pool.id, small('pool.txt'));
    const cases: [TestUser | typeof app.admin, AttachmentJson][] = [
      [w.owner, mine],
      [app.admin, forAdmin],
      [w.poolManager, inPool],
    ];
    for (const [actor, target] of cases) {
      const { attachmentDelete } = await actor.client.AttachmentDelete({ input: { id: target.id } });
      expect(attachmentDelete).toEqual({ deletedAttachmentId: target.id, userErrors: [] });
      expect((await download(app, actor.token, target.id)).status).toBe(404);
    }
  });
});

describe('soft delete', () => {
  it('keeps the row, hides it everywhere, and writes the history', async () => {
    const owner = await makeUser(app);
    const sharee = await makeUser(app);
    const customer = await makeCustomer(app, { owner, sharedWith: [sharee] });
    const keep = await uploadOk(app, owner.token, customer.id, small('keep.txt'));
    const doomed = await uploadOk(app, owner.token, customer.id, { name: CHINESE_NAME, bytes: binaryContent(), type: 'application/pdf' });

    const stale = await owner.client.AttachmentDelete({ input: { id: doomed.id, expectedVersion: 7 } });
    expect(stale.attachmentDelete.userErrors[0]).toMatchObject({ code: 'STALE_VERSION', field: ['input', 'expectedVersion'] });
    expect((await download(app, owner.token, doomed.id)).status).toBe(200);

    const { attachmentDelete } = await owner.client.AttachmentDelete({ input: { id: doomed.id, expectedVersion: 1 } });
    expect(attachmentDelete).toEqual({ deletedAttachmentId: doomed.id, userErrors: [] });

    for (const reader of [owner, sharee, app.admin]) {
      expect((await download(app, reader.token, doomed.id)).status).toBe(404);
      expect((await reader.client.AttachmentNode({ id: doomed.id })).node).toBeNull();
      const { customer: read } = await reader.client.CustomerAttachments({ id: customer.id });
      expect(read!.attachments.nodes.map((n) => n.id)).toEqual([keep.id]);
      expect(read!.attachments.totalCount).toBe(1);
    }
    const again = await owner.client.AttachmentDelete({ input: { id: doomed.id } });
    expect(again.attachmentDelete.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);

    const { customer: history } = await sharee.client.AttachmentCustomerHistory({ id: customer.id });
    const deletions = history!.history.nodes.filter((e) => e.action === 'RECORD_DELETED');
    expect(deletions).toHaveLength(1);
    expect(deletions[0]).toMatchObject({ recordType: 'Attachment', recordSummary: CHINESE_NAME, actor: { id: owner.id } });

    // Still in the database, with who deleted it; the bytes too.
    const [row] = await app.orm.em.fork().execute<{ deleted_by: string; deleted: boolean; size: number; bytes: number }[]>(
      `SELECT a.deleted_by_id::text AS deleted_by, a.deleted_at IS NOT NULL AS deleted, a.size::int AS size,
              octet_length(c.data) AS bytes
       FROM attachment a JOIN attachment_content c ON c.attachment_id = a.id WHERE a.id = ?::bigint`,
      [fromGlobalId('Attachment', doomed.id)],
    );
    expect(row).toEqual({ deleted_by: owner.user.id, deleted: true, size: doomed.size, bytes: doomed.size });
  });

  it('lets exactly one of two simultaneous deletes win', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const a = await uploadOk(app, owner.token, customer.id, small('race.txt'));
    const results = await Promise.all([
      owner.client.AttachmentDelete({ input: { id: a.id } }),
      app.admin.client.AttachmentDelete({ input: { id: a.id } }),
      owner.client.AttachmentDelete({ input: { id: a.id } }),
    ]);
    const outcomes = results.map((r) => r.attachmentDelete.userErrors[0]?.code ?? 'OK').sort();
    expect(outcomes).toEqual(['NOT_FOUND', 'NOT_FOUND', 'OK']);
    const { customer: history } = await owner.client.AttachmentCustomerHistory({ id: customer.id });
    expect(history!.history.nodes.filter((e) => e.action === 'RECORD_DELETED')).toHaveLength(1);
  });
});

describe('archived customers', () => {
  it('are readable by admins only, and take no new files', async () => {
    const manager = await makeUser(app, { role: 'MANAGER' });
    const sales = await makeUser(app);
    const customer = await makeCustomer(app);
    const a = await uploadOk(app, manager.token, customer.id, small('old.txt'));
    const { customersArchive } = await app.admin.client.CustomersArchive({ input: { customerIds: [customer.id] } });
    expect(customersArchive.results[0]!.userErrors).toEqual([]);

    expect((await download(app, app.admin.token, a.id)).status).toBe(200);
    for (const user of [manager, sales]) {
      expect((await download(app, user.token, a.id)).status).toBe(404);
      expect((await user.client.AttachmentNode({ id: a.id })).node).toBeNull();
      expect((await upload(app, user.token, { customerId: customer.id }, small())).status).toBe(404);
    }
    const res = await upload(app, app.admin.token, { customerId: customer.id }, small());
    expect(res.status).toBe(409);
    expect(res.body.error?.code).toBe('INVALID_TRANSITION');
  });
});

describe('listing', () => {
  it('pages newest first, forwards and backwards', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const ids: string[] = [];
    for (const name of ['1.txt', '2.txt', '3.txt']) ids.push((await uploadOk(app, owner.token, customer.id, small(name))).id);
    const newestFirst = [...ids].reverse();
    const first = await owner.client.CustomerAttachments({ id: customer.id, first: 2 });
    const page1 = first.customer!.attachments;
    expect(page1.nodes.map((n) => n.id)).toEqual(newestFirst.slice(0, 2));
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect(page1.totalCount).toBe(3);
    const next = await owner.client.CustomerAttachments({ id: customer.id, first: 2, after: page1.pageInfo.endCursor });
    expect(next.customer!.attachments.nodes.map((n) => n.id)).toEqual(newestFirst.slice(2));
    expect(next.customer!.attachments.pageInfo.hasNextPage).toBe(false);
    const last = await owner.client.CustomerAttachments({ id: customer.id, last: 1 });
    expect(last.customer!.attachments.nodes.map((n) => n.id)).toEqual([ids[0]]);
    expect(await topLevelCode(owner.client.CustomerAttachments({ id: customer.id, first: 101 }))).toBe('VALIDATION_FAILED');
  });

  it('loads the files of a page of customers in a fixed number of statements', async () => {
    const statementsFor = async (customers: number) => {
      const owner = await makeUser(app);
      for (let i = 0; i < customers; i++) {
        const customer = await makeCustomer(app, { owner });
        for (let j = 0; j < 2; j++) await uploadOk(app, owner.token, customer.id, small(`${i}-${j}.txt`));
      }
      const before = app.sql.statements;
      const { customers: page } = await owner.client.CustomersWithAttachments({ view: 'MINE', first: 50, attachmentsFirst: 5 });
      const used = app.sql.statements - before;
      expect(page.nodes).toHaveLength(customers);
      for (const c of page.nodes) {
        expect(c.attachments.nodes).toHaveLength(2);
        expect(c.attachments.totalCount).toBe(2);
        expect(c.attachments.nodes[0]!.uploadedBy.id).toBe(owner.id);
      }
      return used;
    };
    expect(await statementsFor(6)).toBe(await statementsFor(2));
  });
});
