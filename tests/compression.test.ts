import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { print } from 'graphql';
import { CustomersOverviewDocument } from '../sdk/index.js';
import { makeCustomer, makeUser } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// Responses as they travel: the GraphiQL page (about 9 MB) compressed by Accept-Encoding, GraphQL
// answers compressed above COMPRESS_MIN_BYTES and identical once decoded, small ones left alone.

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The bytes on the wire. */
  body: Buffer;
  /** The bytes after Content-Encoding is undone. */
  decoded: Buffer;
}

/** One request with node:http, which (unlike fetch) shows the bytes as sent. */
function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const encoding = res.headers['content-encoding'];
        const decoded = encoding === 'br' ? zlib.brotliDecompressSync(body) : encoding === 'gzip' ? zlib.gunzipSync(body) : body;
        resolve({ status: res.statusCode!, headers: res.headers, body, decoded });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('response compression', () => {
  let app: TestApp;
  let manager: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    manager = await makeUser(app, { role: 'MANAGER' });
    for (let i = 0; i < 12; i++) await makeCustomer(app, { owner: manager });
  });
  afterAll(async () => {
    await app?.close();
  });

  const page = (acceptEncoding?: string) =>
    request(`${app.url}/graphql`, { headers: { accept: 'text/html', ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) } });

  it('serves the GraphiQL page with brotli or gzip as the browser accepts, a fraction of its size', async () => {
    const plain = await page();
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/^text\/html/);
    expect(plain.body.length).toBeGreaterThan(5_000_000);

    const br = await page('gzip, deflate, br, zstd');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.decoded.equals(plain.body)).toBe(true);
    expect(br.body.length).toBeLessThan(plain.body.length * 0.25);

    const gzip = await page('gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.decoded.equals(plain.body)).toBe(true);
    expect(gzip.body.length).toBeLessThan(plain.body.length * 0.3);

    // Compressed once: the second request gets the same bytes.
    expect((await page('br')).body.equals(br.body)).toBe(true);
    console.info(`GraphiQL page: ${plain.body.length} bytes, brotli ${br.body.length}, gzip ${gzip.body.length}`);
  });

  const graphql = (query: string, variables: Record<string, unknown>, acceptEncoding?: string) =>
    request(app.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${manager.token}`,
        ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });

  it('compresses large GraphQL answers, which decode to the very same JSON; small ones go as they are', async () => {
    const headline = print(CustomersOverviewDocument);
    const plain = await graphql(headline, { view: 'MINE', first: 12 });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(app.deps.config.compressMinBytes);
    const answer = JSON.parse(plain.body.toString()) as { data: { customers: { totalCount: number } }; errors?: unknown };
    expect(answer.errors).toBeUndefined();
    expect(answer.data.customers.totalCount).toBe(12);

    const sizes: string[] = [`${plain.body.length} bytes`];
    for (const [accepted, encoding] of [['gzip, deflate, br', 'br'], ['gzip', 'gzip']] as const) {
      const compressed = await graphql(headline, { view: 'MINE', first: 12 }, accepted);
      sizes.push(`${encoding} ${compressed.body.length}`);
      expect(compressed.status).toBe(200);
      expect(compressed.headers['content-encoding']).toBe(encoding);
      expect(compressed.body.length).toBeLessThan(plain.body.length / 3);
      // The same answer (extensions.cost reports the bucket at that moment, so compare the data).
      expect((JSON.parse(compressed.decoded.toString()) as typeof answer).data).toEqual(answer.data);
    }

    // What compressing it costs the server, for the README's note (not asserted: a shared machine).
    const started = performance.now();
    for (let i = 0; i < 20; i++) zlib.brotliCompressSync(plain.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } });
    const brMs = (performance.now() - started) / 20;
    const gzipStarted = performance.now();
    for (let i = 0; i < 20; i++) zlib.gzipSync(plain.body);
    const gzipMs = (performance.now() - gzipStarted) / 20;
    console.info(`headline page of 12 customers: ${sizes.join(', ')}; brotli ${brMs.toFixed(2)} ms, gzip ${gzipMs.toFixed(2)} ms`);

    const small = await graphql('{ viewer { name } }', {}, 'gzip, br');
    expect(small.headers['content-encoding']).toBeUndefined();
    expect((JSON.parse(small.body.toString()) as { data: unknown }).data).toEqual({ viewer: { name: manager.name } });
  });

  it('leaves GraphQL answers alone with COMPRESS_MIN_BYTES=0', async () => {
    const off = await startTestApp({ env: { COMPRESS_MIN_BYTES: '0' }, sameDatabaseAs: app });
    try {
      const response = await request(off.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${manager.token}`, 'accept-encoding': 'gzip, br' },
        body: JSON.stringify({ query: print(CustomersOverviewDocument), variables: { view: 'MINE', first: 12 } }),
      });
      expect(response.headers['content-encoding']).toBeUndefined();
      expect(response.body.length).toBeGreaterThan(8192);
    } finally {
      await off.close();
    }
  });
});
