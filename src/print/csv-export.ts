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

function quietly(ctx: Context, what: string) {
  return (err: unknown) => ctx.log.error({ err }, what);
}

/**
 * Starts the export of a list (validated and built by the caller) and returns its bytes as a
 * stream. The rows are read in one REPEATABLE READ snapshot, so pages never skip or repeat a
 * customer that changes during the download. The first page is read before anything is sent, so
 * a failure still answers as an error; then `record` writes the access log row, which the end of
 * the stream (complete, or cut off when the client goes away) completes with the rows sent.
 */
export async function openCsvExport(
  ctx: Context,
  query: ListQuery,
  timeZone: string,
  record: () => Promise<DocumentAccess>,
): Promise<Readable> {
  const em = ctx.em.fork();
  await em.begin({ isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true });
  let access: DocumentAccess | undefined;
  let count = 0;
  let closed = false;
  const close = async (completed: boolean) => {
    if (closed) return;
    closed = true;
    await em.rollback().catch(quietly(ctx, 'export: rollback failed'));
    if (access) await completeAccess(ctx, access, count, completed).catch(quietly(ctx, 'export: could not complete its log row'));
  };

  const pages = listRows(ctx, em, query, timeZone);
  let first: IteratorResult<string[][]>;
  try {
    first = await pages.next();
    access = await record();
  } catch (error) {
    await close(false);
    throw error;
  }

  async function* records(): AsyncGenerator<string[]> {
    let completed = false;
    try {
      for (let page = first; !page.done; page = await pages.next()) {
        for (const cells of page.value) {
          count++;
          yield cells.map(neutralise);
        }
      }
      completed = true;
    } finally {
      // Before the stream ends: the log row is complete when the client has the last byte.
      await close(completed);
    }
  }

  const source = Readable.from(records());
  // A stream destroyed before it read anything never runs the generator's `finally`.
  source.once('close', () => void close(false));
  const csv = stringify({ bom: true, header: true, columns: [...LIST_HEADERS], record_delimiter: 'windows' });
  return pipeline(source, csv, (err) => {
    if (err && err.name !== 'AbortError' && (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
      ctx.log.error({ err }, 'export failed while streaming');
    }
  });
}
