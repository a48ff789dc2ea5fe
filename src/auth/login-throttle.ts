import type { EntityManager } from '@mikro-orm/postgresql';
import { RequestError } from '../common/errors.js';

// Password guessing is throttled per email and per client address: after too many failed
// sign-ins within the window, further attempts are refused (HTTP 429) until old failures age out.
// Kept in the database, so the limit holds across every server instance.

const WINDOW = "interval '15 minutes'";

export async function assertMayTrySignIn(
  em: EntityManager,
  email: string,
  ip: string | undefined,
  limits: { perEmail: number; perIp: number },
): Promise<void> {
  const [row] = await em.execute<{ by_email: number; by_ip: number }[]>(
    `SELECT count(*) FILTER (WHERE email = ?)::int AS by_email, count(*) FILTER (WHERE ip = ?)::int AS by_ip
     FROM login_failure WHERE created_at > now() - ${WINDOW} AND (email = ? OR ip = ?)`,
    [email, ip ?? null, email, ip ?? null],
  );
  if ((row?.by_email ?? 0) >= limits.perEmail || (row?.by_ip ?? 0) >= limits.perIp) {
    throw new RequestError('TOO_MANY_REQUESTS', 'Too many failed sign-ins; try again in 15 minutes', 429);
  }
}

export async function recordSignInFailure(em: EntityManager, email: string, ip: string | undefined): Promise<void> {
  await em.execute(`DELETE FROM login_failure WHERE created_at < now() - interval '1 day'`);
  await em.execute('INSERT INTO login_failure (email, ip) VALUES (?, ?)', [email, ip ?? null]);
}

export async function clearSignInFailures(em: EntityManager, email: string): Promise<void> {
  await em.execute('DELETE FROM login_failure WHERE email = ?', [email]);
}
