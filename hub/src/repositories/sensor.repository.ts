/** Sensors seen by the hub, their pairing history, and device credentials. */
import type { Kysely } from 'kysely';
import type { HubDatabase } from '../store/tables.ts';

export class SensorRepository {
  private readonly db: Kysely<HubDatabase>;

  constructor(db: Kysely<HubDatabase>) {
    this.db = db;
  }

  listSensors() {
    return this.db.selectFrom('sensors').selectAll().orderBy('first_seen').execute();
  }

  async upsertSeen(id: string, streams: string[], firstSeen: number, lastSeen: number, batteryPct: number | null): Promise<void> {
    await this.db
      .insertInto('sensors')
      .values({ id, streams: JSON.stringify(streams), first_seen: firstSeen, last_seen: lastSeen, battery_pct: batteryPct, label: null })
      .onConflict((c) => c.column('id').doUpdateSet({ streams: JSON.stringify(streams), last_seen: lastSeen, battery_pct: batteryPct }))
      .execute();
  }

  async setLabel(id: string, label: string | null): Promise<void> {
    await this.db.updateTable('sensors').set({ label }).where('id', '=', id).execute();
  }

  activePairings() {
    return this.db.selectFrom('pairings').selectAll().where('unpaired_at', 'is', null).execute();
  }

  pairingHistory(sensorId: string) {
    return this.db.selectFrom('pairings').selectAll().where('sensor_id', '=', sensorId).orderBy('paired_at').execute();
  }

  /** Ends the sensor's current pairing (if any) and starts a new one in one transaction. */
  async pair(sensorId: string, athleteId: string, at: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('pairings').set({ unpaired_at: at }).where('sensor_id', '=', sensorId).where('unpaired_at', 'is', null).execute();
      await trx.insertInto('pairings').values({ sensor_id: sensorId, athlete_id: athleteId, paired_at: at, unpaired_at: null }).execute();
    });
  }

  async unpair(sensorId: string, at: number): Promise<number> {
    const result = await this.db.updateTable('pairings').set({ unpaired_at: at }).where('sensor_id', '=', sensorId).where('unpaired_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  listCredentials() {
    return this.db.selectFrom('device_credentials').select(['id', 'username', 'sensor_ids', 'label', 'created_at', 'revoked_at']).orderBy('created_at').execute();
  }

  findCredential(username: string) {
    return this.db.selectFrom('device_credentials').selectAll().where('username', '=', username).where('revoked_at', 'is', null).executeTakeFirst();
  }

  async insertCredential(row: { id: string; username: string; secret_hash: string; sensor_ids: string; label: string | null; created_at: number }): Promise<void> {
    await this.db.insertInto('device_credentials').values({ ...row, revoked_at: null }).execute();
  }

  async revokeCredential(id: string, at: number): Promise<number> {
    const result = await this.db.updateTable('device_credentials').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
