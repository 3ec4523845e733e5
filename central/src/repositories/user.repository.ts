/** Portal users, their role grants, and the audit log every change is written to. */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { CentralDatabase } from '../db/tables.ts';

/** A grant's scope columns (the user id is added where it is stored). */
export interface GrantValues {
  role: string;
  organisation_id: string | null;
  club_id: string | null;
  team_id: string | null;
  athlete_id: string | null;
}

/** Thrown inside `keepingAnAdmin` to roll the change back. */
export class NoAdminLeft extends Error {
  constructor() {
    super('no enabled admin would be left');
  }
}

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

  findById(id: string) {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listUsers() {
    return this.db.selectFrom('users').selectAll().orderBy(sql`lower(email)`).execute();
  }

  /** Grants of these users, oldest first. */
  async grantsOfUsers(userIds: readonly string[]) {
    if (userIds.length === 0) return [];
    return this.db.selectFrom('user_roles').selectAll().where('user_id', 'in', [...userIds]).orderBy('created_at').orderBy('id').execute();
  }

  /** A user and their grants, in one transaction. */
  insertUser(user: { email: string; name: string; passwordHash: string | null }, grants: readonly GrantValues[]) {
    return this.db.transaction().execute(async (trx) => {
      const created = await trx.insertInto('users').values({ email: user.email, name: user.name, password_hash: user.passwordHash }).returningAll().executeTakeFirstOrThrow();
      if (grants.length) await trx.insertInto('user_roles').values(grants.map((g) => ({ ...g, user_id: created.id }))).execute();
      return created;
    });
  }

  insertGrant(userId: string, grant: GrantValues) {
    return this.db.insertInto('user_roles').values({ ...grant, user_id: userId }).returningAll().executeTakeFirstOrThrow();
  }

  /**
   * Runs `change` and keeps it only if an enabled admin remains afterwards. The advisory lock makes
   * two admins removing each other at the same moment take turns instead of both succeeding.
   */
  keepingAnAdmin<T>(change: (trx: Kysely<CentralDatabase>) => Promise<T>): Promise<{ result: T; adminsLeft: number }> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('touchline user admin'))`.execute(trx);
      const result = await change(trx);
      const row = await trx
        .selectFrom('user_roles')
        .innerJoin('users', 'users.id', 'user_roles.user_id')
        .select((eb) => eb.fn.count<number>('users.id').distinct().as('n'))
        .where('user_roles.role', '=', 'admin')
        .where('users.disabled_at', 'is', null)
        .executeTakeFirstOrThrow();
      if (Number(row.n) === 0) throw new NoAdminLeft();
      return { result, adminsLeft: Number(row.n) };
    });
  }

  static deleteGrant(trx: Kysely<CentralDatabase>, userId: string, grantId: string) {
    return trx.deleteFrom('user_roles').where('id', '=', grantId).where('user_id', '=', userId).returningAll().executeTakeFirst();
  }

  static disable(trx: Kysely<CentralDatabase>, userId: string, at: Date) {
    return trx.updateTable('users').set({ disabled_at: at }).where('id', '=', userId).where('disabled_at', 'is', null).returningAll().executeTakeFirst();
  }

  /** The portal user an OpenID Connect account (issuer + subject) was linked to. */
  findByIdentity(issuer: string, subject: string) {
    return this.db
      .selectFrom('user_identities')
      .innerJoin('users', 'users.id', 'user_identities.user_id')
      .selectAll('users')
      .where('user_identities.issuer', '=', issuer)
      .where('user_identities.subject', '=', subject)
      .executeTakeFirst();
  }

  /** Links (or re-links) an OpenID Connect account to a user and notes its use. */
  async linkIdentity(userId: string, issuer: string, subject: string, email: string | null, at: Date): Promise<void> {
    await this.db
      .insertInto('user_identities')
      .values({ user_id: userId, issuer, subject, email, last_used_at: at })
      .onConflict((oc) => oc.columns(['issuer', 'subject']).doUpdateSet({ email, last_used_at: at }))
      .execute();
  }

  identitiesOf(userIds: readonly string[]) {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('user_identities').selectAll().where('user_id', 'in', [...userIds]).orderBy('created_at').execute();
  }

  async audit(actor: string, action: string, target: string | null, detail: Record<string, unknown>): Promise<void> {
    await this.db.insertInto('audit_log').values({ actor, action, target, detail: JSON.stringify(detail) }).execute();
  }

  listAudit(limit: number) {
    return this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit).execute();
  }
}
