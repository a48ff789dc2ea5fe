import { registerEnumType } from 'type-graphql';
import { CustomerStatus } from './customer.entity.js';
import { OwnershipEventAction } from './ownership-event.entity.js';

/** What a viewer may do to a customer (`Customer.allowedActions`). */
export enum CustomerAction {
  CLAIM = 'CLAIM',
  RETURN = 'RETURN',
  ASSIGN = 'ASSIGN',
  RECLAIM = 'RECLAIM',
  SHARE = 'SHARE',
  EDIT = 'EDIT',
  ARCHIVE = 'ARCHIVE',
  RESTORE = 'RESTORE',
}

registerEnumType(CustomerAction, {
  name: 'CustomerAction',
  description: 'What a viewer may do to a customer (Customer.allowedActions): the buttons to show.',
  valuesConfig: {
    CLAIM: { description: '领用: take a pool customer.' },
    RETURN: { description: '归还: give an own customer back to the pool.' },
    ASSIGN: { description: '指派: make someone the owner.' },
    RECLAIM: { description: '收回: a manager takes a subordinate’s customer back to the pool.' },
    SHARE: { description: '共享 / 取消共享: give or take read-only access.' },
    EDIT: { description: '修改: change the customer and its records.' },
    ARCHIVE: { description: '删除: move a pool customer to the archive.' },
    RESTORE: { description: 'Bring an archived customer back to the pool.' },
  },
});

/**
 * Changes the system makes on its own, never asked for by a viewer (so they are no CustomerAction
 * and no button): a leaver's customers handed over to a colleague or to the pool, and the
 * protection period's automatic return.
 */
export enum SystemTransition {
  HANDOVER = 'HANDOVER',
  HANDOVER_TO_POOL = 'HANDOVER_TO_POOL',
  AUTO_RETURN = 'AUTO_RETURN',
}

/** Everything that can happen to a customer's state: what viewers do and what the system does. */
export type PoolTransition = CustomerAction | SystemTransition;

interface Transition {
  from: readonly CustomerStatus[];
  /** `undefined`: the state stays as it is. */
  to?: CustomerStatus;
  /** The history event of a move (transitions that keep the state write their own events). */
  event?: OwnershipEventAction;
  /** Whether the customer's shares end with the move (an assign may keep them). */
  endsShares?: boolean;
}

const { IN_POOL, OWNED, ARCHIVED } = CustomerStatus;
const E = OwnershipEventAction;

/**
 * The pool state machine: from which states each action starts, where it leads, which history
 * event it writes and whether the shares end. The only place that knows; `transferOwnership`
 * (ownership.ts) applies it.
 */
export const TRANSITIONS: Readonly<Record<PoolTransition, Transition>> = {
  CLAIM: { from: [IN_POOL], to: OWNED, event: E.CLAIM },
  RETURN: { from: [OWNED], to: IN_POOL, event: E.RETURN, endsShares: true },
  ASSIGN: { from: [IN_POOL, OWNED], to: OWNED, event: E.ASSIGN, endsShares: true },
  RECLAIM: { from: [OWNED], to: IN_POOL, event: E.RECLAIM, endsShares: true },
  SHARE: { from: [OWNED] },
  EDIT: { from: [IN_POOL, OWNED] },
  ARCHIVE: { from: [IN_POOL], to: ARCHIVED, event: E.ARCHIVE, endsShares: true },
  RESTORE: { from: [ARCHIVED], to: IN_POOL, event: E.RESTORE },
  HANDOVER: { from: [OWNED], to: OWNED, event: E.HANDOVER, endsShares: true },
  HANDOVER_TO_POOL: { from: [OWNED], to: IN_POOL, event: E.HANDOVER, endsShares: true },
  AUTO_RETURN: { from: [OWNED], to: IN_POOL, event: E.AUTO_RETURN, endsShares: true },
};

/** The state after `action` from `status`, or undefined when the action is not possible there. */
export function nextStatus(action: PoolTransition, status: CustomerStatus): CustomerStatus | undefined {
  const transition = TRANSITIONS[action];
  if (!transition.from.includes(status)) return undefined;
  return transition.to ?? status;
}
