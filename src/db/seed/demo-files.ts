import { storeContent } from '../../attachments/attachment-content.js';
import { createAttachment, resolveUploadTarget } from '../../attachments/attachment.service.js';
import { sanitizeContentType, sanitizeFileName } from '../../attachments/file-meta.js';
import type { Context } from '../../context.js';
import type { DemoCalendar } from './demo-calendar.js';
import { FINDINGS, NEXT_STEPS } from './demo-texts.js';
import type { DemoContact, DemoCustomer } from './demo-world.js';
import type { Random } from './random.js';

// 附件 on some owned customers, uploaded by the owner through the attachment service (the same
// path as POST /attachments after the bytes arrived): small text notes and a tiny scanned image.

/** A valid 1×1 PNG: enough for a browser to show the "scan". */
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

interface DemoFile {
  name: string;
  type: string;
  data: Buffer;
}

function requirements(rnd: Random, customer: DemoCustomer): DemoFile {
  const lines = [
    `${customer.customer.name} 需求说明`,
    '',
    `一、背景：${rnd.pick(FINDINGS)}`,
    `二、目标：提升${customer.spec.industry}业务的信息化水平，统一客户与订单数据。`,
    `三、范围：总部及${rnd.int(2, 9)}家分支机构，约${rnd.int(3, 40) * 10}名用户。`,
    `四、${rnd.pick(NEXT_STEPS)}`,
  ];
  return { name: '需求说明.txt', type: 'text/plain; charset=utf-8', data: Buffer.from(lines.join('\n') + '\n', 'utf8') };
}

function visitNotes(rnd: Random, calendar: DemoCalendar, contacts: readonly DemoContact[]): DemoFile {
  const date = calendar.day(-rnd.int(3, 60));
  const who = contacts.map((c) => `${c.name}（${c.title}）`).join('、') || '客户代表';
  const lines = [`拜访纪要 ${date}`, `参加人员：${who}`, `纪要：${rnd.pick(FINDINGS)}`, rnd.pick(NEXT_STEPS)];
  return { name: `拜访纪要-${date}.txt`, type: 'text/plain', data: Buffer.from(lines.join('\n') + '\n', 'utf8') };
}

/** Files on about one owned customer in fifteen. */
export async function seedFiles(
  ctx: Context,
  rnd: Random,
  calendar: DemoCalendar,
  customer: DemoCustomer,
  contacts: readonly DemoContact[],
): Promise<number> {
  if (!rnd.chance(1 / 15)) return 0;
  const files = [requirements(rnd, customer)];
  if (rnd.chance(0.5)) files.push({ name: '营业执照扫描件.png', type: 'image/png', data: TINY_PNG });
  if (contacts.length && rnd.chance(0.5)) files.push(visitNotes(rnd, calendar, contacts));
  const target = await resolveUploadTarget(ctx, { customerId: customer.customer.nodeId });
  for (const file of files) {
    await createAttachment(ctx, target, {
      fileName: sanitizeFileName(file.name),
      contentType: sanitizeContentType(file.type),
      content: await storeContent(ctx.em, [file.data]),
    });
  }
  return files.length;
}
