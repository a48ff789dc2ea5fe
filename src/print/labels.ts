import { CustomerViewName } from '../auth/policy.js';
import { Gender } from '../contacts/contact.entity.js';
import { RelationshipType } from '../contacts/contact-relation.entity.js';
import { ContractStatus } from '../contracts/contract.entity.js';
import { CustomerStatus } from '../customers/customer.entity.js';
import { InteractionType } from '../interactions/interaction.entity.js';
import { ReceiptMethod } from '../payments/receipt.entity.js';
import { ReceivableStatus } from '../payments/receivable.entity.js';
import { QuoteStatus } from '../quotes/quote.entity.js';

// The words a printed page or an exported sheet uses for the API's enum values, as the product
// manual names them.

export const CUSTOMER_STATUS: Record<CustomerStatus, string> = {
  IN_POOL: '未领用',
  OWNED: '已领用',
  ARCHIVED: '已删除',
};

export const VIEW: Record<CustomerViewName, string> = {
  POOL: '客户池',
  MINE: '我的客户',
  SHARED_WITH_ME: '共享客户',
  SUBORDINATES: '下级客户',
  ALL: '全部客户',
  ARCHIVED: '已删除客户',
};

export const GENDER: Record<Gender, string> = { MALE: '男', FEMALE: '女' };

export const RELATIONSHIP: Record<RelationshipType, string> = {
  SPOUSE: '配偶',
  RELATIVE: '亲属',
  FRIEND: '朋友',
  CLASSMATE: '同学',
  FORMER_COLLEAGUE: '前同事',
  COLLEAGUE: '同事',
  OTHER: '其他',
};

export const INTERACTION_TYPE: Record<InteractionType, string> = {
  VISIT: '拜访',
  CALL: '电话',
  EMAIL: '邮件',
  MEETING: '会议',
  MESSAGE: '消息',
  OTHER: '其他',
};

export const QUOTE_STATUS: Record<QuoteStatus, string> = {
  DRAFT: '草稿',
  SENT: '已发送',
  ACCEPTED: '已接受',
  REJECTED: '已拒绝',
  EXPIRED: '已过期',
};

export const CONTRACT_STATUS: Record<ContractStatus, string> = {
  DRAFT: '草稿',
  ACTIVE: '执行中',
  COMPLETED: '已完成',
  TERMINATED: '已终止',
};

export const RECEIVABLE_STATUS: Record<ReceivableStatus, string> = {
  OUTSTANDING: '未收',
  PARTLY_RECEIVED: '部分已收',
  RECEIVED: '已收',
  OVERDUE: '逾期',
};

export const RECEIPT_METHOD: Record<ReceiptMethod, string> = {
  BANK_TRANSFER: '银行转账',
  CASH: '现金',
  CHEQUE: '支票',
  ALIPAY: '支付宝',
  WECHAT_PAY: '微信支付',
  OTHER: '其他',
};

/** What an attachment is on, by its record type (the node type name). */
export const ATTACHMENT_RECORD: Record<string, string> = {
  Customer: '客户',
  Quote: '报价',
  Contract: '合同',
  Interaction: '交往记录',
};
