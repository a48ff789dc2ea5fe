import type { CustomerViewName } from '../auth/policy.js';
import { LIST_HEADERS } from './customer-list.js';
import { html, page, table, type PageMeta } from './html.js';
import { VIEW } from './labels.js';

// 打印列表: a customer list on A4, with the columns of the CSV export.

/** The most rows a printed list holds; the CSV export has no limit. */
export const PRINT_LIST_MAX_ROWS = 1000;

export interface ListPage {
  view: CustomerViewName;
  search: string | null;
  /** The combined filter as given (JSON), shown so the paper says what it lists. */
  filterJson: string | null;
  rows: string[][];
  /** All rows of the list, when more than the printed ones. */
  totalCount: number | null;
}

export function listTitle(view: CustomerViewName): string {
  return `客户列表 · ${VIEW[view]}`;
}

export function renderListPage(list: ListPage, meta: Omit<PageMeta, 'title'>): string {
  const conditions = [
    list.search ? html`搜索：${list.search}` : '',
    list.filterJson ? html`组合查询：<code>${list.filterJson}</code>` : '',
  ].filter((c) => c !== '');
  return page(
    { ...meta, title: listTitle(list.view), landscape: true },
    html`<section class="major" id="list">
${conditions.length ? html`<p class="meta">${conditions.map((c, i) => html`${i ? '；' : ''}${c}`)}</p>` : ''}
${
  list.totalCount !== null
    ? html`<p class="notice">共 ${list.totalCount} 条，仅打印前 ${list.rows.length} 条；全部记录请导出 CSV。</p>`
    : html`<p class="meta">共 ${list.rows.length} 条</p>`
}
${table([...LIST_HEADERS], list.rows, { empty: '没有符合条件的客户', nowrap: [1, 3, 5, 8, 9, 10, 11] })}
</section>`,
  );
}
