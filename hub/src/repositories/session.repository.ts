/** Sessions, their drills and markers, and the session RPE entered afterwards. */
import type { Insertable, Kysely, Updateable } from 'kysely';
import type { DrillsTable, HubDatabase, MarkersTable, SessionRpeTable, SessionsTable } from '../store/tables.ts';

export interface SessionRows {
  session: SessionsTable;
  drills: DrillsTable[];
  markers: MarkersTable[];
  rpe: SessionRpeTable[];
}

export class SessionRepository {
  private readonly db: Kysely<HubDatabase>;

  constructor(db: Kysely<HubDatabase>) {
    this.db = db;
  }

  findRunningId() {
    return this.db.selectFrom('sessions').select('id').where('ended_at', 'is', null).orderBy('started_at', 'desc').executeTakeFirst();
  }

  /** The latest end of any stopped session, so a back-dated start cannot overlap it. */
  async latestEnd(): Promise<number | null> {
    const row = await this.db.selectFrom('sessions').select((eb) => eb.fn.max('ended_at').as('ended_at')).executeTakeFirst();
    return row?.ended_at ?? null;
  }

  /** Newest first; `before` (a start time, Unix ms) pages back through older sessions. */
  async list(limit: number, before?: number): Promise<SessionRows[]> {
    let query = this.db.selectFrom('sessions').selectAll().orderBy('started_at', 'desc').limit(limit);
    if (before !== undefined) query = query.where('started_at', '<', before);
    return this.withChildren(await query.execute());
  }

  async find(id: string): Promise<SessionRows | undefined> {
    const session = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return session ? (await this.withChildren([session]))[0] : undefined;
  }

  private async withChildren(sessions: SessionsTable[]): Promise<SessionRows[]> {
    if (sessions.length === 0) return [];
    const ids = sessions.map((s) => s.id);
    const [drills, markers, rpe] = await Promise.all([
      this.db.selectFrom('drills').selectAll().where('session_id', 'in', ids).orderBy('started_at').execute(),
      this.db.selectFrom('markers').selectAll().where('session_id', 'in', ids).orderBy('t').execute(),
      this.db.selectFrom('session_rpe').selectAll().where('session_id', 'in', ids).orderBy('entered_at').execute(),
    ]);
    return sessions.map((session) => ({
      session,
      drills: drills.filter((d) => d.session_id === session.id),
      markers: markers.filter((m) => m.session_id === session.id),
      rpe: rpe.filter((r) => r.session_id === session.id),
    }));
  }

  async insert(row: Insertable<SessionsTable>): Promise<void> {
    await this.db.insertInto('sessions').values(row).execute();
  }

  async update(id: string, changes: Updateable<SessionsTable>): Promise<void> {
    await this.db.updateTable('sessions').set(changes).where('id', '=', id).execute();
  }

  /** Ends the open drill (if any) and the session at the same moment, in one transaction. */
  async stop(id: string, at: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('drills').set({ ended_at: at }).where('session_id', '=', id).where('ended_at', 'is', null).execute();
      await trx.updateTable('sessions').set({ ended_at: at }).where('id', '=', id).execute();
    });
  }

  /** Starts a drill, ending the open one at the same moment, in one transaction. */
  async startDrill(row: Insertable<DrillsTable>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('drills').set({ ended_at: row.started_at }).where('session_id', '=', row.session_id).where('ended_at', 'is', null).execute();
      await trx.insertInto('drills').values(row).execute();
    });
  }

  async endDrill(id: string, at: number): Promise<void> {
    await this.db.updateTable('drills').set({ ended_at: at }).where('id', '=', id).execute();
  }

  async insertMarker(row: Insertable<MarkersTable>): Promise<void> {
    await this.db.insertInto('markers').values(row).execute();
  }

  /** One entry per athlete and session; entering again replaces it. */
  async upsertRpe(row: SessionRpeTable): Promise<void> {
    await this.db
      .insertInto('session_rpe')
      .values(row)
      .onConflict((c) => c.columns(['session_id', 'athlete_id']).doUpdateSet({ rpe: row.rpe, duration_min: row.duration_min, entered_at: row.entered_at }))
      .execute();
  }
}
