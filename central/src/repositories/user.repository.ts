/** Portal users, their role grants, and the audit log every change is written to. */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { CentralDatabase } from '../db/tables.ts';

export class UserRepository {
  private readonly db: Kysely<CentralDatabase>;

  constructor(db: Kysely<CentralDatabase>) {
    this.db = db;
  }

  findByEmail(email: string) {
    return this.db.selectFrom('users').selectAll().where(sql<string>`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
  }

  async rolesOf(userId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('user_roles').select('role').distinct().where('user_id', '=', userId).orderBy('role').execute();
    return rows.map((r) => r.role);
  }

  async adminExists(): Promise<boolean> {
    const row = await this.db
      .selectFrom('user_roles')
      .innerJoin('users', 'users.id', 'user_roles.user_id')
      .select('users.id')
      .where('user_roles.role', '=', 'admin')
      .where('users.disabled_at', 'is', null)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** A user with one unscoped role grant, in one transaction. */
  insertWithRole(user: { email: string; name: string; passwordHash: string }, role: string) {
    return this.db.transaction().execute(async (trx) => {
      const created = await trx
        .insertInto('users')
        .values({ email: user.email, name: user.name, password_hash: user.passwordHash })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx.insertInto('user_roles').values({ user_id: created.id, role, organisation_id: null, club_id: null, team_id: null, athlete_id: null }).execute();
      return created;
    });
  }

  async audit(actor: string, action: string, target: string | null, detail: Record<string, unknown>): Promise<void> {
    await this.db.insertInto('audit_log').values({ actor, action, target, detail: JSON.stringify(detail) }).execute();
  }

  listAudit(limit: number) {
    return this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit).execute();
  }
}
