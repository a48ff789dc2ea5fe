import { IsolationLevel } from '@mikro-orm/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { contentDisposition } from '../attachments/file-meta.js';
import { notFound, validationFailed } from '../common/errors.js';
import { paginate } from '../common/pagination.js';
import { Reads } from '../common/reads.js';
import { requireViewer } from '../auth/viewer.js';
import { createUserContext, type AppDeps, type Context } from '../context.js';
import { getCustomer } from '../customers/customer.service.js';
import { customerListQuery } from '../customers/customer-list.js';
import { HttpError, bearerContext, sendError } from '../http/routes.js';
import { loadPoolSettings } from '../pool-rules/pool-settings.js';
import { recordAccess } from './access-log.js';
import { openCsvExport } from './csv-export.js';
import { listRows } from './customer-list.js';
import { renderCustomerPage } from './customer-page.js';
import { loadCustomerRecord } from './customer-record.js';
import { DocumentAccessKind, DocumentAccessVia } from './document-access.entity.js';
import { formatTime } from './format.js';
import { PRINT_LIST_MAX_ROWS, listTitle, renderListPage } from './list-page.js';
import { LIST_PARAM_NAMES, parseListParams, type ListParams, type RawListParams } from './list-params.js';
import { LINK_PARAM, PrintKind, verifyLink, type PrintTarget } from './print-link.js';
import { M } from '../common/messages.js';

// 打印 and 导出 over plain HTTP, with the API's visibility and masking:
//   GET /print/customers/:id                              one customer's whole record (HTML)
//   GET /print/customers?view=&filter=&search=&orderBy=   a list as it shows (HTML, at most 1,000 rows)
//   GET /export/customers.csv?view=&filter=&search=&orderBy=   the whole list (CSV, streamed)
// Authenticated by `Authorization: Bearer <token>` or by `?link=` from printLinkCreate (a browser
// tab). Every document served is recorded in document_access_log. Errors are JSON
// `{ error: { code, message } }`: 401 without valid credentials (an expired, tampered or
// deactivated user's link, or a link made for another customer or other list parameters), 404
// for a customer that is missing or not visible, 400 for invalid parameters.

type Query = Record<string, string | string[] | undefined>;

const HTML_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'private, no-store',
};

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw validationFailed([name], M.givenMoreThanOnce({ field: name }));
  return value;
}

function rawParams(query: Query): RawListParams {
  const raw: RawListParams = {};
  for (const name of LIST_PARAM_NAMES) {
    const value = single(query, name);
    if (value !== undefined) raw[name] = value;
  }
  return raw;
}

interface Authorized {
  ctx: Context;
  via: DocumentAccessVia;
}

/** The bearer token's context, or the link's (valid for exactly `target`); 401 otherwise. */
async function authorize(app: AppDeps, request: FastifyRequest, target: PrintTarget): Promise<Authorized> {
  const link = single(request.query as Query, LINK_PARAM);
  if (link === undefined) return { ctx: await bearerContext(app, request), via: DocumentAccessVia.TOKEN };
  if (request.headers.authorization) {
    throw new HttpError(400, 'VALIDATION_FAILED', M.headerOrLink());
  }
  const userId = await verifyLink(app.tokens, link, target);
  const ctx = await createUserContext(app, userId, { requestId: request.id, log: request.log, acceptLanguage: request.headers['accept-language'] });
  return { ctx, via: DocumentAccessVia.LINK };
}

async function companyTimeZone(ctx: Context): Promise<string> {
  return (await loadPoolSettings(ctx.em)).timeZone;
}

function byline(ctx: Context, timeZone: string): string {
  return `打印人：${requireViewer(ctx).user.name}　打印时间：${formatTime(new Date(), timeZone)}（${timeZone}）`;
}

function sendHtml(reply: FastifyReply, body: string): FastifyReply {
  return reply.headers(HTML_HEADERS).type('text/html; charset=utf-8').send(body);
}

function listEntry(list: ListParams) {
  return { view: list.args.view, filter: list.given.filter, search: list.args.search ?? null, orderBy: list.given.orderBy };
}

async function printCustomer(app: AppDeps, request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
  const target: PrintTarget = { kind: PrintKind.CUSTOMER, customerId: request.params.id, params: {} };
  const { ctx, via } = await authorize(app, request, target);
  const customer = await getCustomer(ctx, request.params.id);
  if (!customer) throw notFound('Customer');
  const timeZone = await companyTimeZone(ctx);
  const record = await loadCustomerRecord(ctx, customer);
  const body = renderCustomerPage(record, { byline: byline(ctx, timeZone) }, timeZone);
  await recordAccess(ctx, { kind: DocumentAccessKind.PRINT_CUSTOMER, via, customerId: customer.id, rowCount: 1 });
  return sendHtml(reply, body);
}

/** The list's rows up to the print limit, and the list's size when it has more. */
async function printableRows(ctx: Context, list: ListParams, timeZone: string): Promise<{ rows: string[][]; totalCount: number | null }> {
  const query = await customerListQuery(ctx, list.args);
  return ctx.em.fork().transactional(
    async (em) => {
      const rows: string[][] = [];
      for await (const page of listRows(ctx, em, query, timeZone)) {
        rows.push(...page);
        if (rows.length > PRINT_LIST_MAX_ROWS) break;
      }
      if (rows.length <= PRINT_LIST_MAX_ROWS) return { rows, totalCount: null };
      const total = (await paginate(Reads.over(em), query, { first: 1 }, () => null)).totalCount;
      return { rows: rows.slice(0, PRINT_LIST_MAX_ROWS), totalCount: typeof total === 'function' ? await total() : total };
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
  );
}

async function printList(app: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  const raw = rawParams(request.query as Query);
  const { ctx, via } = await authorize(app, request, { kind: PrintKind.LIST, params: raw });
  const list = await parseListParams(raw);
  const timeZone = await companyTimeZone(ctx);
  const { rows, totalCount } = await printableRows(ctx, list, timeZone);
  const body = renderListPage(
    { view: list.args.view, search: list.args.search ?? null, filterJson: raw.filter ?? null, rows, totalCount },
    { byline: byline(ctx, timeZone) },
  );
  await recordAccess(ctx, { kind: DocumentAccessKind.PRINT_LIST, via, list: listEntry(list), rowCount: rows.length });
  return sendHtml(reply, body);
}

function csvFileName(title: string, timeZone: string): string {
  const stamp = formatTime(new Date(), timeZone).replace(/[-:]/g, '').replace(' ', '-');
  return `${title.replace(' · ', '-')}-${stamp}.csv`;
}

/** A client that stops reading holds the export's database snapshot: let it go after this long without progress. */
const STALLED_EXPORT_MS = 60_000;

async function exportCsv(app: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  const raw = rawParams(request.query as Query);
  const { ctx, via } = await authorize(app, request, { kind: PrintKind.CSV, params: raw });
  const list = await parseListParams(raw);
  // Everything that can be refused is refused here, before the first byte goes out.
  const query = await customerListQuery(ctx, list.args);
  const timeZone = await companyTimeZone(ctx);
  const body = await openCsvExport(ctx, query, timeZone, () =>
    recordAccess(ctx, { kind: DocumentAccessKind.EXPORT_CSV, via, list: listEntry(list), rowCount: null }),
  );
  reply.raw.setTimeout(STALLED_EXPORT_MS, () => reply.raw.destroy());
  return reply
    .headers({
      'content-disposition': contentDisposition(csvFileName(listTitle(list.args.view), timeZone)),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    })
    .type('text/csv; charset=utf-8')
    .send(body);
}

export function registerPrintRoutes(fastify: FastifyInstance, app: AppDeps): void {
  void fastify.register(async (scope) => {
    scope.setErrorHandler((error, request, reply) => sendError(request, reply, error, 'print request failed'));
    // No HEAD: a HEAD would render (and record) the document only to drop it.
    const options = { exposeHeadRoute: false };
    scope.get<{ Params: { id: string } }>('/print/customers/:id', options, (request, reply) => printCustomer(app, request, reply));
    scope.get('/print/customers', options, (request, reply) => printList(app, request, reply));
    scope.get('/export/customers.csv', options, (request, reply) => exportCsv(app, request, reply));
  });
}
