/** Athletes and their profiles. */
import type { Insertable, Kysely, Updateable } from 'kysely';
import type { AthletesTable, HubDatabase } from '../store/tables.ts';

export class AthleteRepository {
  private readonly db: Kysely<HubDatabase>;

  constructor(db: Kysely<HubDatabase>) {
    this.db = db;
  }

  listActive() {
    return this.db.selectFrom('athletes').selectAll().where('archived_at', 'is', null).orderBy('number').orderBy('name').execute();
  }

  async insert(row: Insertable<AthletesTable>): Promise<void> {
    await this.db.insertInto('athletes').values(row).execute();
  }

  async update(id: string, changes: Updateable<AthletesTable>): Promise<void> {
    await this.db.updateTable('athletes').set(changes).where('id', '=', id).execute();
  }
}
