/** Hubs, their enrolment codes and credentials, and what central holds of their streams. */
import type { Kysely } from 'kysely';
import type { CentralDatabase } from '../db/tables.ts';

export class HubRepository {
  private readonly db: Kysely<CentralDatabase>;

  constructor(db: Kysely<CentralDatabase>) {
    this.db = db;
  }

  insert(clubId: string, name: string) {
    return this.db.insertInto('hubs').values({ club_id: clubId, name, credential_hash: null }).returningAll().executeTakeFirstOrThrow();
  }

  find(id: string) {
    return this.db.selectFrom('hubs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  list(clubId?: string) {
    let query = this.db.selectFrom('hubs').selectAll().orderBy('created_at');
    if (clubId) query = query.where('club_id', '=', clubId);
    return query.execute();
  }

  async insertCode(hubId: string, codeHash: string, expiresAt: Date): Promise<void> {
    await this.db.insertInto('hub_enrolment_codes').values({ code_hash: codeHash, hub_id: hubId, expires_at: expiresAt }).execute();
  }

  findCode(codeHash: string) {
    return this.db.selectFrom('hub_enrolment_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
  }

  /**
   * Spends a code and installs the hub's new credential in one transaction. The conditional update
   * is what makes a code single-use even when two hubs present it at the same moment.
   */
  async enrol(codeHash: string, now: Date, name: string, credentialHash: string): Promise<{ id: string; club_id: string } | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const spent = await trx
        .updateTable('hub_enrolment_codes')
        .set({ used_at: now })
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning('hub_id')
        .executeTakeFirst();
      if (!spent) return undefined;
      return trx
        .updateTable('hubs')
        .set({ name, credential_hash: credentialHash, enrolled_at: now })
        .where('id', '=', spent.hub_id)
        .where('revoked_at', 'is', null)
        .returning(['id', 'club_id'])
        .executeTakeFirst();
    });
  }

  async revoke(id: string, now: Date): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('hubs').set({ revoked_at: now }).where('id', '=', id).execute();
      // Unused codes die with the hub, so a leaked one cannot bring it back.
      await trx.updateTable('hub_enrolment_codes').set({ used_at: now }).where('hub_id', '=', id).where('used_at', 'is', null).execute();
    });
  }

  streams(hubId: string) {
    return this.db.selectFrom('uplink_streams').selectAll().where('hub_id', '=', hubId).orderBy('stream').execute();
  }
}
