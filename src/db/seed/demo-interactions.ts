import type { Context } from '../../context.js';
import { InteractionType } from '../../interactions/interaction.entity.js';
import { createInteraction } from '../../interactions/interaction.service.js';
import type { DemoCalendar } from './demo-calendar.js';
import { FINDINGS, NEXT_STEPS, SUBJECTS } from './demo-texts.js';
import type { DemoContact, DemoCustomer } from './demo-world.js';
import type { Random } from './random.js';

// 交往记录 of an owned customer over the past ~120 days (since its owner has it), written by its owner. The last one
// plans a follow-up in the future, one that is overdue, or none, so customers' lastInteractionAt
// and nextFollowUpAt vary (the service derives both).

const { VISIT, CALL, EMAIL, MEETING, MESSAGE, OTHER } = InteractionType;
/** Calls and visits above all. */
const TYPES = [[VISIT, 5], [CALL, 6], [EMAIL, 4], [MEETING, 3], [MESSAGE, 2], [OTHER, 1]] as const;

const HOURS: Record<InteractionType, readonly [number, number]> = {
  VISIT: [9, 16],
  CALL: [9, 18],
  EMAIL: [8, 21],
  MEETING: [9, 16],
  MESSAGE: [8, 22],
  OTHER: [10, 19],
};

const VERBS: Record<InteractionType, string> = {
  VISIT: '面谈',
  CALL: '通话',
  EMAIL: '邮件往来',
  MEETING: '开会讨论',
  MESSAGE: '微信沟通',
  OTHER: '交流',
};

/** Distinct days in the past (offsets from today, -120..-1, after `since`), oldest first. */
function pastDays(rnd: Random, count: number, since: number): number[] {
  const span = Math.min(120, -since - 1);
  const days = new Set<number>();
  while (days.size < Math.min(count, span)) days.add(-rnd.int(1, span));
  return [...days].sort((a, b) => a - b);
}

interface Plan {
  day: number;
  occurredAt: Date;
}

/**
 * The follow-up an interaction plans. Before another interaction: that one, now and then (it was
 * planned and it happened). The last one: a time ahead, a time that passed with nothing since
 * (overdue), or none.
 */
function followUp(rnd: Random, calendar: DemoCalendar, plan: Plan, next: Plan | undefined): Date | null {
  if (next) return rnd.chance(0.55) ? next.occurredAt : null;
  const roll = rnd.next();
  if (roll < 0.45) return calendar.at(rnd.int(1, 21), 10);
  if (roll < 0.7 && plan.day <= -2) return calendar.at(plan.day + rnd.int(1, -plan.day - 1), 10);
  return null;
}

export async function seedInteractions(
  ctx: Context,
  rnd: Random,
  calendar: DemoCalendar,
  customer: DemoCustomer,
  contacts: readonly DemoContact[],
): Promise<number> {
  if (rnd.chance(0.4)) return 0;
  // Only since the owner has it: the protection period counts from the later of claim and last interaction.
  const days = pastDays(rnd, rnd.pick([1, 1, 2, 2, 3, 3, 4, 5]), customer.since ?? -121);
  const plans = days.map((day) => {
    const type = rnd.weighted(TYPES);
    const [from, to] = HOURS[type];
    return { type, day, occurredAt: calendar.at(day, rnd.int(from, to), rnd.int(0, 11) * 5) };
  });
  for (const [i, plan] of plans.entries()) {
    const contact = contacts.length && rnd.chance(0.85) ? rnd.pick(contacts) : undefined;
    const who = contact ? `${contact.title}${contact.name}` : '客户';
    await createInteraction(ctx, {
      customerId: customer.customer.nodeId,
      type: plan.type,
      occurredAt: plan.occurredAt,
      contactId: contact?.id ?? null,
      subject: rnd.pick(SUBJECTS[plan.type]),
      content: `与${who}${VERBS[plan.type]}。${rnd.pick(FINDINGS)}${rnd.pick(NEXT_STEPS)}`,
      nextFollowUpAt: followUp(rnd, calendar, plan, plans[i + 1]),
    });
  }
  return plans.length;
}
