import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../src/common/ids.js';
import { download, sha256, upload, uploadOk } from './helpers/attachment-http.js';
import { makeCustomer, makeUser, type TestCustomer } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// Uploads stream into PostgreSQL in chunks of 1 MiB while they arrive, so an upload holds about one
// chunk in memory, not the file (twice); at most MAX_ACTIVE_UPLOADS run at once per instance, the
// next is refused at once with 503 and Retry-After. Downloads stream the chunks back. What a
// refused or cut-off upload wrote is removed again.

const MIB = 1024 * 1024;
let app: TestApp;
let owner: TestUser;
let customer: TestCustomer;

beforeAll(async () => {
  app = await startTestApp({ env: { MAX_ACTIVE_UPLOADS: '2', UPLOAD_RETRY_AFTER_SECONDS: '7', MAX_UPLOAD_BYTES: String(8 * MIB) } });
  owner = await makeUser(app);
  customer = await makeCustomer(app, { owner });
});
afterAll(() => app.close());

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  return app.orm.em.fork().execute<T[]>(text, params);
}

/** Chunks written for uploads that have no attachment row (yet, or any more). */
async function pendingChunks(): Promise<{ uploads: number; chunks: number }> {
  const [row] = await sql<{ uploads: number; chunks: number }>(
    `SELECT count(DISTINCT k.attachment_id)::int AS uploads, count(*)::int AS chunks FROM attachment_chunk k
     WHERE NOT EXISTS (SELECT 1 FROM attachment a WHERE a.id = k.attachment_id)`,
  );
  return row!;
}

async function until(what: string, test: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface SlowUpload {
  /** Sends the rest of the file and the end of the form. */
  finish(): void;
  /** Stops sending: the connection is cut off mid-file. */
  abort(): void;
  response: Promise<Response>;
}

/**
 * A multipart upload whose first `sentFirst` bytes of the file go at once and the rest only on
 * finish(), as from a slow client.
 */
function slowUpload(token: string, customerId: string, content: Buffer, sentFirst: number): SlowUpload {
  const boundary = `----crm${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="customerId"\r\n\r\n${customerId}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const controller = new AbortController();
  const body = new ReadableStream<Uint8Array>({
    async start(stream) {
      stream.enqueue(head);
      for (let offset = 0; offset < sentFirst; offset += 64 * 1024) stream.enqueue(content.subarray(offset, Math.min(sentFirst, offset + 64 * 1024)));
      await released;
      if (controller.signal.aborted) return;
      stream.enqueue(content.subarray(sentFirst));
      stream.enqueue(tail);
      stream.close();
    },
  });
  const response = fetch(`${app.url}/attachments`, {
    method: 'POST',
    body,
    headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    signal: controller.signal,
    duplex: 'half',
  } as RequestInit);
  return {
    finish: release,
    abort: () => {
      controller.abort();
      release();
    },
    response,
  };
}

describe('uploads in flight', () => {
  it('are bounded: beyond MAX_ACTIVE_UPLOADS the next is refused at once with 503 and Retry-After; the bytes arrive in the database while they stream', async () => {
    const files = [randomBytes(5 * MIB + 123), randomBytes(3 * MIB + 7)];
    const slow = files.map((f) => slowUpload(owner.token, customer.id, f, 2 * MIB + 5));
    // Both are in flight, and what they sent so far is in PostgreSQL already, in chunks.
    await until('both uploads to write their first chunks', async () => {
      const pending = await pendingChunks();
      return pending.uploads === 2 && pending.chunks >= 4;
    });
    const [chunk] = await sql<{ largest: number }>('SELECT max(octet_length(data))::int AS largest FROM attachment_chunk');
    expect(chunk!.largest).toBe(MIB);

    const extra = await upload(app, owner.token, { customerId: customer.id }, { name: 'extra.txt', bytes: new TextEncoder().encode('one more') });
    expect(extra.status).toBe(503);
    expect(extra.headers.get('retry-after')).toBe('7');
    expect(extra.body.error!.code).toBe('SERVER_BUSY');

    for (const s of slow) s.finish();
    const stored = await Promise.all(slow.map(async (s) => ({ status: (await s.response).status, body: await (await s.response).json() })));
    for (const [i, result] of stored.entries()) {
      expect(result.status).toBe(201);
      expect(result.body.attachment).toMatchObject({ size: files[i]!.length, sha256: sha256(files[i]!) });
      const got = await download(app, owner.token, result.body.attachment.id);
      expect(got.status).toBe(200);
      expect(sha256(got.body)).toBe(sha256(files[i]!));
      const chunks = await sql<{ seq: number; bytes: number }>(
        'SELECT seq, octet_length(data) AS bytes FROM attachment_chunk WHERE attachment_id = ?::bigint ORDER BY seq',
        [fromGlobalId('Attachment', result.body.attachment.id)],
      );
      expect(chunks.map((c) => c.bytes)).toEqual([
        ...Array.from({ length: Math.floor(files[i]!.length / MIB) }, () => MIB),
        files[i]!.length % MIB,
      ]);
    }
    // The slots are free again.
    await uploadOk(app, owner.token, customer.id, { name: 'after.txt', bytes: new TextEncoder().encode('after') });
    expect(await pendingChunks()).toEqual({ uploads: 0, chunks: 0 });
  });

  it('leave nothing behind when cut off mid-file or refused as too large, and free their slot', async () => {
    const cut = slowUpload(owner.token, customer.id, randomBytes(4 * MIB), 2 * MIB + 1);
    await until('the upload to write its first chunks', async () => (await pendingChunks()).chunks >= 2);
    cut.abort();
    await cut.response.catch(() => undefined);
    await until('the cut-off upload to be removed', async () => (await pendingChunks()).chunks === 0);

    const tooLarge = await upload(app, owner.token, { customerId: customer.id }, { name: 'big.bin', bytes: new Uint8Array(randomBytes(9 * MIB)) });
    expect(tooLarge.status).toBe(413);
    await until('the refused upload to be removed', async () => (await pendingChunks()).chunks === 0);

    // Refused after the bytes arrived (the fields came after the file, for a record the uploader may not edit).
    const stranger = await makeUser(app);
    const refused = await upload(app, stranger.token, { customerId: customer.id }, { name: 'x.bin', bytes: new Uint8Array(randomBytes(MIB + 1)) }, { fileFirst: true });
    expect(refused.status).toBe(404);
    expect(await pendingChunks()).toEqual({ uploads: 0, chunks: 0 });

    // Two at once still go through: no slot was lost.
    const ok = await Promise.all([1, 2].map((i) => upload(app, owner.token, { customerId: customer.id }, { name: `ok${i}.txt`, bytes: new TextEncoder().encode(`ok ${i}`) })));
    expect(ok.map((r) => r.status)).toEqual([201, 201]);
  });

  it('keeps the content of a stored attachment as it was written: the database refuses to change or remove it', async () => {
    const stored = await uploadOk(app, owner.token, customer.id, { name: 'kept.txt', bytes: new TextEncoder().encode('kept') });
    const id = fromGlobalId('Attachment', stored.id);
    await expect(sql(`UPDATE attachment_chunk SET data = '\\x00' WHERE attachment_id = ?::bigint`, [id])).rejects.toThrow(/immutable/);
    await expect(sql('DELETE FROM attachment_chunk WHERE attachment_id = ?::bigint', [id])).rejects.toThrow(/immutable/);
    const [whole] = await sql<{ data: Buffer }>('SELECT data FROM attachment_content WHERE attachment_id = ?::bigint', [id]);
    expect(whole!.data.toString()).toBe('kept');
  });
});

describe('the migration to chunks', () => {
  it('moves the content stored whole before into chunks of 1 MiB, byte for byte, and back', async () => {
    const migrator = app.orm.getMigrator();
    const big = randomBytes(2 * MIB + 17);
    const stored = await uploadOk(app, owner.token, customer.id, { name: 'before.bin', bytes: new Uint8Array(big) });
    await migrator.down({ to: 'Migration20261202300001RateLimit' });
    // The old shape: one row of content per attachment.
    const [old] = await sql<{ bytes: number }>('SELECT octet_length(data) AS bytes FROM attachment_content WHERE attachment_id = ?::bigint', [
      fromGlobalId('Attachment', stored.id),
    ]);
    expect(old!.bytes).toBe(big.length);
    await migrator.up();
    const chunks = await sql<{ bytes: number }>('SELECT octet_length(data) AS bytes FROM attachment_chunk WHERE attachment_id = ?::bigint ORDER BY seq', [
      fromGlobalId('Attachment', stored.id),
    ]);
    expect(chunks.map((c) => c.bytes)).toEqual([MIB, MIB, 17]);
    const got = await download(app, owner.token, stored.id);
    expect(sha256(got.body)).toBe(sha256(big));
  });
});
