import { Migration } from '@mikro-orm/migrations';

/**
 * A session per sign-in: a bearer token works only while the session it names is live. The
 * database ends every session of a user whose password or role changes or who is deactivated, so
 * that no code path (user administration, handover, a script) can forget it; a reactivated user
 * signs in again.
 */
export class Migration20261202100001Sessions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table user_session (
        id uuid primary key,
        user_id bigint not null references app_user (id),
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        ended_at timestamptz,
        end_reason text check (end_reason in ('LOGOUT', 'ENDED_ELSEWHERE', 'PASSWORD_CHANGED', 'ROLE_CHANGED', 'DEACTIVATED')),
        check ((ended_at is null) = (end_reason is null))
      )`);
    this.addSql(`create index user_session_user_idx on user_session (user_id, expires_at)`);
    this.addSql(`
      create function app_user_end_sessions() returns trigger language plpgsql as $$
      begin
        update user_session
        set ended_at = now(),
            end_reason = case
              when not new.active then 'DEACTIVATED'
              when new.password_hash is distinct from old.password_hash then 'PASSWORD_CHANGED'
              else 'ROLE_CHANGED'
            end
        where user_id = new.id and ended_at is null;
        return null;
      end $$`);
    this.addSql(`
      create trigger app_user_end_sessions after update of password_hash, role, active on app_user
      for each row when (
        old.password_hash is distinct from new.password_hash
        or old.role is distinct from new.role
        or (old.active and not new.active)
      ) execute function app_user_end_sessions()`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger app_user_end_sessions on app_user`);
    this.addSql(`drop function app_user_end_sessions()`);
    this.addSql(`drop table user_session`);
  }
}
