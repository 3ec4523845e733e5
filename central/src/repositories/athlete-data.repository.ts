/**
 * Everything central holds about one athlete: read out as one document, or deleted in one
 * transaction. raw_samples has no foreign key to athletes (it is partitioned by month and written
 * by bulk COPY), so its rows are deleted explicitly, and the uplink ledger's per-stream counts
 * are lowered by what was removed so they keep matching what is stored. An athlete who came from a
 * hub is remembered as erased (hub, local id), since the hub still holds them and would otherwise
 * bring them back with its next batch.
 */
import { sql, type Kysely } from 'kysely';
import type { CentralDatabase } from '../db/tables.ts';
import { athleteWithin, type Reach } from './reach.repository.ts';

export class AthleteDataRepository {
  private readonly db: Kysely<CentralDatabase>;

  constructor(db: Kysely<CentralDatabase>) {
    this.db = db;
  }

  async isWithin(athleteId: string, reach: Reach): Promise<boolean> {
    const row = await this.db.selectFrom('athletes').select('id').where('id', '=', athleteId).where((eb) => athleteWithin(eb, reach)).executeTakeFirst();
    return row !== undefined;
  }

  async read(athleteId: string) {
    const db = this.db;
    const athlete = await db.selectFrom('athletes').selectAll().where('id', '=', athleteId).executeTakeFirst();
    if (!athlete) return undefined;
    const [accounts, sessions, sessionLoads, drillLoads, dailyLoads, workouts, samples, accessLog] = await Promise.all([
      db
        .selectFrom('user_roles')
        .innerJoin('users', 'users.id', 'user_roles.user_id')
        .select(['users.id as userId', 'users.email', 'users.name', 'user_roles.id as grantId'])
        .where('user_roles.athlete_id', '=', athleteId)
        .execute(),
      db
        .selectFrom('session_rpe')
        .innerJoin('sessions', 'sessions.id', 'session_rpe.session_id')
        .select(['sessions.id', 'sessions.name', 'sessions.kind', 'sessions.started_at', 'sessions.ended_at', 'session_rpe.rpe', 'session_rpe.duration_min', 'session_rpe.entered_at'])
        .where('session_rpe.athlete_id', '=', athleteId)
        .orderBy('sessions.started_at')
        .execute(),
      db.selectFrom('session_athlete_loads').selectAll().where('athlete_id', '=', athleteId).orderBy('session_id').execute(),
      db.selectFrom('drill_athlete_loads').selectAll().where('athlete_id', '=', athleteId).orderBy('session_id').orderBy('drill_local_id').execute(),
      db.selectFrom('athlete_daily_loads').selectAll().where('athlete_id', '=', athleteId).orderBy('day').execute(),
      db.selectFrom('workouts').selectAll().where('athlete_id', '=', athleteId).orderBy('started_at').execute(),
      db.selectFrom('raw_samples').selectAll().where('athlete_id', '=', athleteId).orderBy('t').orderBy('hub_id').orderBy('stream').orderBy('seq').execute(),
      // Reads of several athletes at once (a team's view) are one row listing them (data-scope.service.ts).
      db
        .selectFrom('audit_log')
        .select(['at', 'actor', 'action', 'detail'])
        .where((eb) => eb.or([eb('target', '=', athleteId), sql<boolean>`detail->'athletes' ? ${athleteId}`]))
        .orderBy('id')
        .execute(),
    ]);
    return { athlete, accounts, sessions, sessionLoads, drillLoads, dailyLoads, workouts, samples, accessLog };
  }

  /**
   * Deletes the athlete and every row about them; returns rows removed per table, or undefined when
   * there is no such athlete. The athlete's hub row is locked first: uplink batches lock it too, so
   * a batch of that hub waits instead of adding readings for an athlete being deleted.
   */
  async deleteAll(athleteId: string): Promise<{ deleted: Record<string, number>; grantUsers: string[] } | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const place = await trx.selectFrom('athletes').select(['hub_id', 'local_id']).where('id', '=', athleteId).executeTakeFirst();
      if (!place) return undefined;
      if (place.hub_id) await trx.selectFrom('hubs').select('id').where('id', '=', place.hub_id).forNoKeyUpdate().execute();
      await trx.selectFrom('athletes').select('id').where('id', '=', athleteId).forUpdate().execute();

      // One statement over every month partition (the parent fans the delete out); the ledger is
      // lowered per hub stream by the rows that went.
      const samples = await sql<{ n: number }>`
        with gone as (delete from raw_samples where athlete_id = ${athleteId} returning hub_id, stream),
        counted as (select hub_id, stream, count(*) as n from gone group by hub_id, stream),
        lowered as (
          update uplink_streams u set rows_stored = greatest(0, u.rows_stored - c.n)
          from counted c where u.hub_id = c.hub_id and u.stream = c.stream
          returning u.hub_id
        )
        select coalesce(sum(n), 0)::int8 as n from counted`.execute(trx);

      const count = (result: { numDeletedRows: bigint }[]) => Number(result.reduce((n, r) => n + r.numDeletedRows, 0n));
      const grants = await trx.deleteFrom('user_roles').where('athlete_id', '=', athleteId).returning('user_id').execute();
      const deleted: Record<string, number> = {
        raw_samples: Number(samples.rows[0]?.n ?? 0),
        session_rpe: count(await trx.deleteFrom('session_rpe').where('athlete_id', '=', athleteId).execute()),
        session_athlete_loads: count(await trx.deleteFrom('session_athlete_loads').where('athlete_id', '=', athleteId).execute()),
        drill_athlete_loads: count(await trx.deleteFrom('drill_athlete_loads').where('athlete_id', '=', athleteId).execute()),
        athlete_daily_loads: count(await trx.deleteFrom('athlete_daily_loads').where('athlete_id', '=', athleteId).execute()),
        analytics_pending_days: count(await trx.deleteFrom('analytics_pending_days').where('athlete_id', '=', athleteId).execute()),
        workouts: count(await trx.deleteFrom('workouts').where('athlete_id', '=', athleteId).execute()),
        user_roles: grants.length,
        athletes: count(await trx.deleteFrom('athletes').where('id', '=', athleteId).execute()),
      };
      if (place.hub_id && place.local_id) {
        await trx.insertInto('erased_athletes').values({ hub_id: place.hub_id, local_id: place.local_id }).onConflict((oc) => oc.doNothing()).execute();
      }
      const affected = [...new Set(grants.map((g) => g.user_id))];
      const stillGranted = affected.length
        ? new Set((await trx.selectFrom('user_roles').select('user_id').where('user_id', 'in', affected).execute()).map((r) => r.user_id))
        : new Set<string>();
      return { deleted, grantUsers: affected.filter((id) => !stillGranted.has(id)) };
    });
  }
}
