import type { Transitions } from '../common/status-machine.js';
import { ContractStatus } from './contract.entity.js';

const { ACTIVE, COMPLETED, TERMINATED } = ContractStatus;

/** draft → active → completed; a draft or active contract can be terminated; the ends are final. */
export const CONTRACT_TRANSITIONS: Transitions<ContractStatus> = {
  DRAFT: [ACTIVE, TERMINATED],
  ACTIVE: [COMPLETED, TERMINATED],
  COMPLETED: [],
  TERMINATED: [],
};
