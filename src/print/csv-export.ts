import { Readable, pipeline } from 'node:stream';
import { IsolationLevel } from '@mikro-orm/core';
import { stringify } from 'csv-stringify';
import type { ListQuery } from '../common/pagination.js';
import type { Context } from '../context.js';
import { completeAccess } from './access-log.js';
import { LIST_HEADERS, listRows } from './customer-list.js';
import type { DocumentAccess } from './document-access.entity.js';

// 导出: a customer list as CSV that Excel opens with its Chinese intact (UTF-8 with a BOM, CRLF),
// streamed page by page through csv-stringify, so a list of any length never sits in memory.

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): a leading
// apostrophe makes it plain text, as OWASP recommends.
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralise(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/**
 * The rows of the list, read in one REPEATABLE READ snapshot so that pages never skip or repeat a
 * customer that changes during the download. Closing (at the end, or when the client goes away)
 * rolls the read-only transaction back and completes the access log row with the rows sent.
 */
async function* records(ctx: Context, query: ListQuery, timeZone: string, access: DocumentAccess): AsyncGenerator<string[]> {
  const em = ctx.em.fork();
  await em.begin({ isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true });
  let count = 0;
  let completed = false;
  try {
    for await (const page of listRows(ctx, em, query, timeZone)) {
      for (const cells of page) {
        count++;
        yield cells.map(neutralise);
      }
    }
    completed = true;
  } finally {
    await em.rollback().catch((err: unknown) => ctx.log.warn({ err }, 'export: rollback failed'));
    await completeAccess(ctx, access, count, completed).catch((err: unknown) =>
      ctx.log.error({ err }, 'export: could not complete the access log row'),
    );
  }
}

/** The CSV bytes of a list (validated and built by the caller), as a stream to send. */
export function csvExport(ctx: Context, query: ListQuery, timeZone: string, access: DocumentAccess): Readable {
  const csv = stringify({ bom: true, header: true, columns: [...LIST_HEADERS], record_delimiter: 'windows' });
  return pipeline(Readable.from(records(ctx, query, timeZone, access)), csv, (err) => {
    if (err && err.name !== 'AbortError' && (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
      ctx.log.error({ err }, 'export failed while streaming');
    }
  });
}
