/** Counts behind the portal's front page, limited to what one caller may see. */
import type { Kysely } from 'kysely';
import type { CentralDatabase } from '../db/tables.ts';
import { athleteWithin, type Reach } from './reach.repository.ts';

export class OverviewRepository {
  private readonly db: Kysely<CentralDatabase>;

  constructor(db: Kysely<CentralDatabase>) {
    this.db = db;
  }

  /** Athletes (not archived) the reach covers, per club and team. */
  athleteCounts(reach: Reach) {
    return this.db
      .selectFrom('athletes')
      .select(['club_id', 'team_id', (eb) => eb.fn.countAll<number>().as('athletes')])
      .where('archived', '=', false)
      .where((eb) => athleteWithin(eb, reach))
      .groupBy(['club_id', 'team_id'])
      .execute();
  }

  async sessionCounts(clubIds: readonly string[], since: Date) {
    if (clubIds.length === 0) return [];
    return this.db
      .selectFrom('sessions')
      .select(['club_id', (eb) => eb.fn.countAll<number>().as('sessions')])
      .where('club_id', 'in', [...clubIds])
      .where('started_at', '>=', since)
      .groupBy('club_id')
      .execute();
  }

  async hubsOf(clubIds: readonly string[]) {
    if (clubIds.length === 0) return [];
    return this.db.selectFrom('hubs').selectAll().where('club_id', 'in', [...clubIds]).orderBy('name').execute();
  }
}
