// The one-statement baseline of `npm run bench`: the headline page (view ALL, as an admin) as ONE
// hand-written SQL statement (raw-page.sql) that builds the whole JSON text; this process only
// writes it out. POST a GraphQL-style body; only `variables` are read.
import fs from 'node:fs';
import http from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.PG_POOL_MAX ?? 10), options: '-c TimeZone=UTC' });
const sql = fs.readFileSync(new URL('./raw-page.sql', import.meta.url), 'utf8');

function body(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const server = http.createServer(async (req, res) => {
  try {
    const text = req.method === 'POST' ? await body(req) : '';
    const v = (text ? JSON.parse(text).variables : null) ?? {};
    const n = (x, d) => Math.min(x ?? d, 100);
    const values = [n(v.first, 20), n(v.contactsFirst, 5), n(v.relationsFirst, 3), n(v.interactionsFirst, 3), n(v.quotesFirst, 3),
      n(v.contractsFirst, 3), n(v.paymentsFirst, 5), n(v.attachmentsFirst, 5)];
    const { rows } = await pool.query({ name: 'page', text: sql, values });
    res.setHeader('content-type', 'application/json');
    res.end(`{"data":${rows[0].data}}`);
  } catch (error) {
    res.statusCode = 500;
    res.end(JSON.stringify({ errors: [{ message: String(error.message) }] }));
  }
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
