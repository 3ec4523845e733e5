/** Read queries behind the portal API: sessions and what central holds of their readings. */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { CentralDatabase } from '../db/tables.ts';
import { athleteWithin, type Reach } from './reach.repository.ts';

export interface SampleCountRow {
  athlete_id: string | null;
  kind: string;
  readings: number;
  first_t: Date;
  last_t: Date;
}

export class PortalRepository {
  private readonly db: Kysely<CentralDatabase>;

  constructor(db: Kysely<CentralDatabase>) {
    this.db = db;
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async listSessions(filter: { clubId?: string | undefined; hubId?: string | undefined; before?: Date | undefined; limit: number }, reach: Reach) {
    if (!reach.all && reach.clubIds.length === 0) return [];
    let query = this.db.selectFrom('sessions').selectAll().orderBy('started_at', 'desc').limit(filter.limit);
    if (!reach.all) query = query.where('club_id', 'in', reach.clubIds);
    if (filter.clubId) query = query.where('club_id', '=', filter.clubId);
    if (filter.hubId) query = query.where('hub_id', '=', filter.hubId);
    if (filter.before) query = query.where('started_at', '<', filter.before);
    return query.execute();
  }

  findSession(id: string) {
    return this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  drillsOf(sessionId: string) {
    return this.db.selectFrom('drills').selectAll().where('session_id', '=', sessionId).orderBy('started_at').execute();
  }

  rpeOf(sessionId: string) {
    return this.db.selectFrom('session_rpe').selectAll().where('session_id', '=', sessionId).orderBy('entered_at').execute();
  }

  /** Which of these athletes the reach covers. */
  async athletesWithin(athleteIds: readonly string[], reach: Reach): Promise<Set<string>> {
    if (athleteIds.length === 0) return new Set();
    const rows = await this.db.selectFrom('athletes').select('id').where('id', 'in', [...athleteIds]).where((eb) => athleteWithin(eb, reach)).execute();
    return new Set(rows.map((r) => r.id));
  }

  /** Readings per athlete and kind that one hub recorded in [from, to]. */
  countByHubWindow(hubId: string, from: Date, to: Date): Promise<SampleCountRow[]> {
    return this.db
      .selectFrom('raw_samples')
      .select(['athlete_id', 'kind'])
      .select((eb) => [eb.fn.countAll<number>().as('readings'), eb.fn.min('t').as('first_t'), eb.fn.max('t').as('last_t')])
      .where('hub_id', '=', hubId)
      .where('t', '>=', from)
      .where('t', '<=', to)
      .groupBy(['athlete_id', 'kind'])
      .orderBy('athlete_id')
      .orderBy('kind')
      .execute();
  }

  /** Readings per kind of one athlete, optionally in [from, to]. */
  countByAthlete(athleteId: string, from?: Date, to?: Date): Promise<SampleCountRow[]> {
    let query = this.db
      .selectFrom('raw_samples')
      .select(['athlete_id', 'kind'])
      .select((eb) => [eb.fn.countAll<number>().as('readings'), eb.fn.min('t').as('first_t'), eb.fn.max('t').as('last_t')])
      .where('athlete_id', '=', athleteId)
      .groupBy(['athlete_id', 'kind'])
      .orderBy('kind');
    if (from) query = query.where('t', '>=', from);
    if (to) query = query.where('t', '<=', to);
    return query.execute();
  }

  readingsOf(athleteId: string, kind: string, from: Date, to: Date, limit: number) {
    return this.db
      .selectFrom('raw_samples')
      .select(['seq', 't', 'sensor_id', 'body'])
      .where('athlete_id', '=', athleteId)
      .where('kind', '=', kind)
      .where('t', '>=', from)
      .where('t', '<=', to)
      .orderBy('t')
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  /** Readings each hub stream holds (from the ledger, not a count over the partitions). */
  async hubTotals(): Promise<{ hub_id: string; readings: number }[]> {
    return this.db
      .selectFrom('uplink_streams')
      .select(['hub_id', sql<number>`sum(rows_stored)::int8`.as('readings')])
      .groupBy('hub_id')
      .execute();
  }
}
