import { registerEnumType } from 'type-graphql';
import { CustomerStatus } from './customer.entity.js';

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

interface Transition {
  from: readonly CustomerStatus[];
  /** `undefined`: the state stays as it is. */
  to?: CustomerStatus;
}

const { IN_POOL, OWNED, ARCHIVED } = CustomerStatus;

/** The pool state machine: from which states each action starts and where it leads. */
export const TRANSITIONS: Readonly<Record<CustomerAction, Transition>> = {
  CLAIM: { from: [IN_POOL], to: OWNED },
  RETURN: { from: [OWNED], to: IN_POOL },
  ASSIGN: { from: [IN_POOL, OWNED], to: OWNED },
  RECLAIM: { from: [OWNED], to: IN_POOL },
  SHARE: { from: [OWNED] },
  EDIT: { from: [IN_POOL, OWNED] },
  ARCHIVE: { from: [IN_POOL], to: ARCHIVED },
  RESTORE: { from: [ARCHIVED], to: IN_POOL },
};

/** The state after `action` from `status`, or undefined when the action is not possible there. */
export function nextStatus(action: CustomerAction, status: CustomerStatus): CustomerStatus | undefined {
  const transition = TRANSITIONS[action];
  if (!transition.from.includes(status)) return undefined;
  return transition.to ?? status;
}
