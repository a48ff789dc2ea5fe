import { assertRole } from '../auth/policy.js';
import { AppError, ErrorCode, validationFailed } from '../common/errors.js';
import { requireViewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import { Role } from '../users/user.entity.js';
import {
  RULE_KEYS,
  isValidTimeZone,
  loadPoolSettings,
  lockPoolSettings,
  savePoolSettings,
  type PoolSettingsInput,
  type PoolSettingsValues,
} from './pool-settings.js';
import { M } from '../common/messages.js';

export async function getPoolSettings(ctx: Context): Promise<PoolSettingsValues> {
  assertRole(requireViewer(ctx), [Role.ADMIN], M.adminsOnly({ action: 'SEE_SETTINGS' }));
  return loadPoolSettings(ctx.em);
}

/** The settings an input would produce (validated), without saving them. */
export function applySettingsInput(current: PoolSettingsValues, input: PoolSettingsInput): PoolSettingsValues {
  const next: PoolSettingsValues = { ...current };
  for (const key of RULE_KEYS) {
    if (input[key] !== undefined) next[key] = input[key] ?? null;
  }
  if (input.timeZone !== undefined && input.timeZone !== null) {
    if (!isValidTimeZone(input.timeZone)) throw validationFailed(['input', 'timeZone'], M.unknownTimeZone({ value: input.timeZone }));
    next.timeZone = input.timeZone;
  }
  if (next.reminderDays !== null && next.noInteractionDays === null && next.noContractDays === null) {
    throw validationFailed(['input', 'reminderDays'], M.remindersNeedProtection());
  }
  return next;
}

export async function updatePoolSettings(ctx: Context, input: PoolSettingsInput): Promise<PoolSettingsValues> {
  assertRole(requireViewer(ctx), [Role.ADMIN], M.adminsOnly({ action: 'CHANGE_SETTINGS' }));
  return ctx.em.transactional(async (em) => {
    const current = await lockPoolSettings(em);
    if (input.expectedVersion != null && input.expectedVersion !== current.version) {
      throw new AppError(ErrorCode.STALE_VERSION, M.staleVersionShort({ what: 'settings', expected: input.expectedVersion, actual: current.version }), [
        'input',
        'expectedVersion',
      ]);
    }
    const next = applySettingsInput(current, input);
    const saved = { ...next, version: current.version + 1, updatedAt: new Date().toISOString() };
    await savePoolSettings(em, saved);
    return saved;
  });
}
