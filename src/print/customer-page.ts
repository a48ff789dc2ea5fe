import { RelationDirection } from '../contacts/contact-relation.entity.js';
import type { ContractStatus } from '../contracts/contract.entity.js';
import type { CustomerStatus } from '../customers/customer.entity.js';
import type { QuoteStatus } from '../quotes/quote.entity.js';
import { formatAmount, formatBytes, formatDiscount, formatQuantity, formatTime, formatUnitPrice } from './format.js';
import { SafeHtml, fieldList, html, multiline, page, table, type PageMeta } from './html.js';
import {
  CONTRACT_STATUS,
  CUSTOMER_STATUS,
  GENDER,
  INTERACTION_TYPE,
  QUOTE_STATUS,
  RECEIPT_METHOD,
  RECEIVABLE_STATUS,
  RELATIONSHIP,
} from './labels.js';
import type { ContactView, ContractView, CustomerRecord, QuoteView, Section } from './customer-record.js';

// 打印客户信息: one customer's whole record on A4, each major part on its own page.

// Dates (YYYY-MM-DD) print as they are stored; times in the company's time zone.

const lines = (...values: (string | null | undefined)[]) =>
  new SafeHtml(values.filter((v): v is string => !!v).map((v) => html`${v}`.value).join('<br>'));

function cut(section: Section<unknown>, what: string): SafeHtml | '' {
  return section.cutFrom === null ? '' : html`<p class="notice">仅打印前 ${section.items.length} 条${what}（共 ${section.cutFrom} 条）。</p>`;
}

function customerSection(r: CustomerRecord, tz: string): SafeHtml {
  const c = r.customer;
  return html`<section class="major" id="customer">
<h2>客户信息</h2>
${r.masked ? html`<p class="notice">客户池中的客户：联系方式已隐藏，领用后可见。</p>` : ''}
${fieldList([
  ['名称', c.name],
  ['状态', CUSTOMER_STATUS[c.status as CustomerStatus]],
  ['负责人', r.ownerName ?? '（无）'],
  ['领用时间', formatTime(c.claimedAt, tz)],
  ['电话', r.phone],
  ['邮箱', r.email],
  ['地址', r.address],
  ['网址', c.website],
  ['行业', c.industry],
  ['级别', c.level],
  ['来源', c.source],
  ['地区', c.region],
  ['共享给', r.sharedWith.join('、')],
  ['最后跟进', formatTime(c.lastInteractionAt, tz)],
  ['下次跟进', formatTime(c.nextFollowUpAt, tz)],
  ['创建人', r.createdByName],
  ['创建时间', formatTime(c.createdAt, tz)],
  ['更新时间', formatTime(c.updatedAt, tz)],
])}
${c.notes ? html`<h3>备注</h3><p>${multiline(c.notes)}</p>` : ''}
</section>`;
}

function relationsTable(contacts: ContactView[]): SafeHtml {
  // A relation recorded on another contact and linked to this one (INCOMING) is seen from this
  // contact: the other side is the contact who recorded it; the details describe this contact.
  const rows = contacts.flatMap((view) =>
    view.relations.items.map(({ relation: rel, direction, phone, counterpart }) => {
      const outgoing = direction === RelationDirection.OUTGOING;
      return [
        view.contact.name,
        RELATIONSHIP[rel.relationship],
        outgoing ? rel.personName : counterpart,
        outgoing ? rel.organization : '',
        outgoing ? rel.position : '',
        outgoing ? phone : '',
        outgoing ? (counterpart ? `联系人：${counterpart}` : '') : `由 ${counterpart ?? ''} 登记`,
        multiline(rel.notes),
      ];
    }),
  );
  const cuts = contacts.map((view) => cut(view.relations, `${view.contact.name}的社会关系`));
  return html`<h3>社会关系</h3>${cuts}${table(['联系人', '关系', '对方', '单位', '职务', '电话', '关联', '备注'], rows, { nowrap: [5] })}`;
}

function contactsSection(r: CustomerRecord): SafeHtml {
  const rows = r.contacts.items.map(({ contact: ct, details: d }) => [
    html`${ct.name}${ct.isPrimary ? html`<br>（主联系人）` : ''}`,
    lines(ct.title, ct.department),
    d.mobile,
    d.phone,
    lines(d.email, d.imHandle),
    d.address,
    lines(ct.gender ? GENDER[ct.gender] : null, ct.birthday),
    multiline(ct.notes),
  ]);
  return html`<section class="major" id="contacts">
<h2>联系人</h2>
${cut(r.contacts, '联系人')}
${table(['姓名', '职务 / 部门', '手机', '电话', '邮箱 / 即时通讯', '地址', '性别 / 生日', '备注'], rows, { empty: '没有联系人', nowrap: [2, 3] })}
${r.contacts.items.length ? relationsTable(r.contacts.items) : ''}
</section>`;
}

function interactionsSection(r: CustomerRecord, tz: string): SafeHtml {
  const rows = r.interactions.items.map(({ interaction: i, contactName, authorName }) => [
    formatTime(i.occurredAt, tz),
    INTERACTION_TYPE[i.type],
    contactName,
    i.subject,
    multiline(i.content),
    formatTime(i.nextFollowUpAt, tz),
    authorName,
  ]);
  return html`<section class="major" id="interactions">
<h2>交往记录</h2>
${cut(r.interactions, '交往记录')}
${table(['时间', '类型', '联系人', '主题', '内容', '下次跟进', '记录人'], rows, { empty: '没有交往记录' })}
</section>`;
}

function quoteBlock({ quote: q, items, authorName }: QuoteView): SafeHtml {
  const rows = items.map((item) => [
    item.position,
    item.product,
    item.specification,
    formatQuantity(item.quantity),
    item.unit,
    formatUnitPrice(item.unitPrice, q.currency),
    formatDiscount(item.discount),
    formatAmount(item.lineTotal, q.currency),
  ]);
  return html`<div class="record quote">
<h3>报价 ${q.number}${q.title ? html` · ${q.title}` : ''}</h3>
${fieldList([
  ['状态', QUOTE_STATUS[q.status as QuoteStatus]],
  ['报价日期', q.quoteDate],
  ['有效期至', q.validUntil],
  ['币种', q.currency],
  ['创建人', authorName],
  ['备注', multiline(q.notes)],
])}
${table(['序号', '产品', '规格', '数量', '单位', '单价', '折扣', '金额'], rows, { empty: '没有报价明细', numeric: [0, 3, 5, 6, 7] })}
<p class="totals"><span>小计：${formatAmount(q.subtotal, q.currency)}</span><span>合计：<strong>${formatAmount(q.total, q.currency)}</strong></span></p>
</div>`;
}

function quotesSection(r: CustomerRecord): SafeHtml {
  return html`<section class="major" id="quotes">
<h2>报价</h2>
${cut(r.quotes, '报价')}
${r.quotes.items.length ? r.quotes.items.map(quoteBlock) : html`<p class="empty">没有报价</p>`}
</section>`;
}

function contractBlock({ contract: c, totals: t, sourceQuoteNumber, receivables, receipts }: ContractView): SafeHtml {
  const dueDates = new Map(receivables.items.map((r) => [r.receivable.id, r.receivable.dueDate]));
  const receivableRows = receivables.items.map((r) => [
    r.receivable.dueDate,
    formatAmount(r.receivable.amount, c.currency),
    formatAmount(r.received, c.currency),
    formatAmount(r.outstanding, c.currency),
    RECEIVABLE_STATUS[r.status],
    multiline(r.receivable.notes),
  ]);
  const receiptRows = receipts.items.map((p) => [
    p.receivedOn,
    formatAmount(p.amount, c.currency),
    RECEIPT_METHOD[p.method],
    p.reference,
    p.receivable ? `应收 ${dueDates.get(p.receivable.id) ?? ''}` : '',
    multiline(p.notes),
  ]);
  return html`<div class="record contract">
<h3>合同 ${c.number} · ${c.title}</h3>
${fieldList([
  ['状态', CONTRACT_STATUS[c.status as ContractStatus]],
  ['合同金额', formatAmount(c.amount, c.currency)],
  ['签订日期', c.signedDate],
  ['来源报价', sourceQuoteNumber],
  ['开始日期', c.startDate],
  ['结束日期', c.endDate],
  ['备注', multiline(c.notes)],
])}
<p class="totals"><span>已收：${formatAmount(t.received, t.currency)}</span><span>未收：${formatAmount(t.outstanding, t.currency)}</span><span>逾期：${formatAmount(t.overdue, t.currency)}</span></p>
<h4>应收</h4>
${cut(receivables, '应收')}
${table(['到期日', '金额', '已收', '未收', '状态', '备注'], receivableRows, { empty: '没有应收', numeric: [1, 2, 3] })}
<h4>已收</h4>
${cut(receipts, '已收')}
${table(['收款日期', '金额', '方式', '凭证号', '对应应收', '备注'], receiptRows, { empty: '没有已收', numeric: [1] })}
</div>`;
}

function contractsSection(r: CustomerRecord): SafeHtml {
  const totals = r.moneyTotals.map((m) => [
    m.currency,
    m.contractCount,
    formatAmount(m.contracted, m.currency),
    formatAmount(m.received, m.currency),
    formatAmount(m.outstanding, m.currency),
    formatAmount(m.overdue, m.currency),
  ]);
  return html`<section class="major" id="contracts">
<h2>合同、应收与已收</h2>
${totals.length ? table(['币种', '合同数', '合同金额', '已收', '未收', '逾期'], totals, { numeric: [1, 2, 3, 4, 5] }) : ''}
${cut(r.contracts, '合同')}
${r.contracts.items.length ? r.contracts.items.map(contractBlock) : html`<p class="empty">没有合同</p>`}
</section>`;
}

function attachmentsSection(r: CustomerRecord, tz: string): SafeHtml {
  const rows = r.attachments.items.map(({ attachment: a, uploaderName, recordLabel }) => [
    a.fileName,
    recordLabel,
    a.contentType,
    formatBytes(a.size),
    uploaderName,
    formatTime(a.createdAt, tz),
  ]);
  return html`<section class="major" id="attachments">
<h2>附件</h2>
${cut(r.attachments, '附件')}
${table(['文件名', '所属', '类型', '大小', '上传人', '上传时间'], rows, { empty: '没有附件', numeric: [3] })}
</section>`;
}

export function renderCustomerPage(record: CustomerRecord, meta: Omit<PageMeta, 'title'>, timeZone: string): string {
  return page(
    { ...meta, title: record.customer.name },
    html`${customerSection(record, timeZone)}
${contactsSection(record)}
${interactionsSection(record, timeZone)}
${quotesSection(record)}
${contractsSection(record)}
${attachmentsSection(record, timeZone)}`,
  );
}
