import type { Kysely } from 'kysely';
import type { HubDatabase } from '../store/tables.ts';

/** The `settings` table: one row per key, the value as JSON text. */
export class SettingsRepository {
  private readonly db: Kysely<HubDatabase>;

  constructor(db: Kysely<HubDatabase>) {
    this.db = db;
  }

  listAll(): Promise<{ key: string; value: string }[]> {
    return this.db.selectFrom('settings').select(['key', 'value']).execute();
  }

  /** Writes every entry in one transaction, so a change of several settings lands whole or not at all. */
  async put(entries: { key: string; value: string }[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const entry of entries) {
        await trx
          .insertInto('settings')
          .values(entry)
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: entry.value }))
          .execute();
      }
    });
  }
}
