/** Staff accounts, sign-in and display tokens, and the audit log of every change. */
import type { Kysely } from 'kysely';
import type { HubDatabase } from '../store/tables.ts';

export class AuthRepository {
  private readonly db: Kysely<HubDatabase>;

  constructor(db: Kysely<HubDatabase>) {
    this.db = db;
  }

  async countUsers(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  listUsers() {
    return this.db.selectFrom('users').select(['id', 'name', 'role', 'created_at', 'disabled_at']).orderBy('name').execute();
  }

  findUserByName(name: string) {
    return this.db.selectFrom('users').selectAll().where('name', '=', name).where('disabled_at', 'is', null).executeTakeFirst();
  }

  async insertUser(row: { id: string; name: string; role: string; secret_hash: string; created_at: number }): Promise<void> {
    await this.db.insertInto('users').values({ ...row, disabled_at: null }).execute();
  }

  async updateUser(id: string, changes: { role?: string; secret_hash?: string; disabled_at?: number | null }): Promise<number> {
    const result = await this.db.updateTable('users').set(changes).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async insertToken(row: { token_hash: string; kind: string; user_id: string | null; role: string; label: string | null; created_at: number; expires_at: number | null }): Promise<void> {
    await this.db.insertInto('auth_tokens').values({ ...row, revoked_at: null }).execute();
  }

  findToken(tokenHash: string) {
    return this.db
      .selectFrom('auth_tokens')
      .leftJoin('users', 'users.id', 'auth_tokens.user_id')
      .select(['auth_tokens.token_hash', 'auth_tokens.kind', 'auth_tokens.role', 'auth_tokens.user_id', 'auth_tokens.label', 'auth_tokens.expires_at', 'auth_tokens.revoked_at', 'users.name as user_name', 'users.disabled_at'])
      .where('auth_tokens.token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  listDisplayTokens() {
    return this.db.selectFrom('auth_tokens').select(['token_hash', 'label', 'created_at', 'revoked_at']).where('kind', '=', 'display').orderBy('created_at').execute();
  }

  async revokeToken(tokenHash: string, at: number): Promise<number> {
    const result = await this.db.updateTable('auth_tokens').set({ revoked_at: at }).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async revokeUserTokens(userId: string, at: number): Promise<void> {
    await this.db.updateTable('auth_tokens').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
  }

  async audit(entry: { t: number; actor: string; action: string; target: string | null; detail: unknown }): Promise<void> {
    await this.db.insertInto('audit_log').values({ ...entry, detail: JSON.stringify(entry.detail ?? {}) }).execute();
  }

  listAudit(limit: number, before?: number) {
    let q = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit);
    if (before !== undefined) q = q.where('id', '<', before);
    return q.execute();
  }
}
