import { expect } from 'vitest';
import { companyToday } from '../../src/common/company-calendar.js';
import { uploadOk } from './attachment-http.js';
import { unique } from './factories.js';
import { hoursAgo, hoursAhead } from './records-world.js';
import type { TestApp, TestUser } from './test-app.js';

// A customer with every kind of record, and user data that tries to become markup.

export const INJECTED_NAME_PREFIX = `华光<script>window.__pwned=1</script>"科技"'有限' & Co`;
export const INJECTED_NOTES = '备注 <img src=x onerror="window.__pwned=2">\n第二行';

export const RICH = {
  phone: '13812345678',
  email: 'contact@huaguang.example.com',
  address: '上海市浦东新区世纪大道100号',
  contactA: { name: '张伟<b>粗</b>', mobile: '13912345678', email: 'zhangwei@example.com' },
  contactB: { name: '李娜', mobile: '13698765432' },
  spouse: { personName: '王芳', phone: '13700001111' },
  interactionSubject: '电话沟通 <i>报价</i>',
  quoteTotal: 'CNY 2,223,021.50',
  quoteSubtotal: 'CNY 2,469,935.00',
  unitPrice: 'CNY 1,234,567.50',
  contractAmount: 'CNY 100,000.00',
  received: 'CNY 10,000.00',
  outstanding: 'CNY 90,000.00',
  attachmentName: '合同扫描件.pdf',
};

export interface RichCustomer {
  id: string;
  name: string;
  quoteNumber: string;
  contractNumber: string;
}

function inDays(days: number): string {
  return companyToday(new Date(Date.now() + days * 86_400_000));
}

/** A customer owned by `owner` (shared with `sharees`) with contacts, relations, an interaction, a quote, a contract with a receivable and a receipt, and a file. */
export async function makeRichCustomer(app: TestApp, owner: TestUser, sharees: TestUser[] = []): Promise<RichCustomer> {
  const c = owner.client;
  const name = `${INJECTED_NAME_PREFIX} ${unique('')}`;
  const { customerCreate } = await c.CustomerCreate({
    input: {
      name,
      claim: true,
      phone: RICH.phone,
      email: RICH.email,
      address: RICH.address,
      industry: '制造业',
      level: 'A',
      source: '展会',
      region: '华东',
      notes: INJECTED_NOTES,
    },
  });
  expect(customerCreate.userErrors).toEqual([]);
  const id = customerCreate.customer!.id;
  if (sharees.length) {
    const { customersShare } = await c.CustomersShare({ input: { customerIds: [id], userIds: sharees.map((u) => u.id) } });
    expect(customersShare.results[0]!.userErrors).toEqual([]);
  }

  const { contactCreate: a } = await c.ContactCreate({
    input: {
      customerId: id,
      ...RICH.contactA,
      title: '总经理',
      department: '采购部',
      phone: '010-87654321',
      imHandle: 'zw_wechat',
      address: '北京市朝阳区建国路88号',
      gender: 'MALE',
      birthday: '1980-05-06',
      isPrimary: true,
    },
  });
  expect(a.userErrors).toEqual([]);
  const { contactCreate: b } = await c.ContactCreate({ input: { customerId: id, ...RICH.contactB } });
  expect(b.userErrors).toEqual([]);
  for (const input of [
    { contactId: a.contact!.id, relationship: 'SPOUSE' as const, ...RICH.spouse, organization: '北京大学' },
    { contactId: a.contact!.id, relationship: 'COLLEAGUE' as const, relatedContactId: b.contact!.id },
  ]) {
    const { contactRelationCreate } = await c.ContactRelationCreate({ input });
    expect(contactRelationCreate.userErrors).toEqual([]);
  }

  const { interactionCreate } = await c.InteractionCreate({
    input: {
      customerId: id,
      type: 'CALL',
      occurredAt: hoursAgo(2),
      contactId: a.contact!.id,
      subject: RICH.interactionSubject,
      content: '第一行\n第二行',
      nextFollowUpAt: hoursAhead(48),
    },
  });
  expect(interactionCreate.userErrors).toEqual([]);

  const { quoteCreate } = await c.QuoteCreate({
    input: {
      customerId: id,
      title: '年度采购',
      currency: 'CNY',
      items: [
        { product: '服务器', specification: '2U 机架式', quantity: '2', unit: '台', unitPrice: '1234567.50', discount: '0.1' },
        { product: '安装服务', quantity: '1', unit: '次', unitPrice: '800' },
      ],
    },
  });
  expect(quoteCreate.userErrors).toEqual([]);
  expect(quoteCreate.quote!.total).toBe('2223021.50');

  const { contractCreate } = await c.ContractCreate({
    input: { customerId: id, title: '服务器采购合同', amount: '100000.00', signedDate: companyToday(), currency: 'CNY' },
  });
  expect(contractCreate.userErrors).toEqual([]);
  const contractId = contractCreate.contract!.id;
  const { receivableCreate } = await c.ReceivableCreate({ input: { contractId, amount: '60000.00', dueDate: inDays(30) } });
  expect(receivableCreate.userErrors).toEqual([]);
  const { receiptCreate } = await c.ReceiptCreate({
    input: {
      contractId,
      receivableId: receivableCreate.receivable!.id,
      amount: '10000.00',
      receivedOn: companyToday(),
      method: 'BANK_TRANSFER',
      reference: 'TX-001',
    },
  });
  expect(receiptCreate.userErrors).toEqual([]);

  await uploadOk(app, owner.token, id, { name: RICH.attachmentName, type: 'application/pdf', bytes: new TextEncoder().encode('%PDF-1.4 test') });
  return { id, name, quoteNumber: quoteCreate.quote!.number, contractNumber: contractCreate.contract!.number };
}
