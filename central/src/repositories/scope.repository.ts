/** The role grants of a user and the athletes, teams and clubs they reach. */
import type { Kysely } from 'kysely';
import type { CentralDatabase } from '../db/tables.ts';

export interface GrantRow {
  role: string;
  organisation_id: string | null;
  club_id: string | null;
  team_id: string | null;
  athlete_id: string | null;
}

export class ScopeRepository {
  private readonly db: Kysely<CentralDatabase>;

  constructor(db: Kysely<CentralDatabase>) {
    this.db = db;
  }

  /** Grants of an enabled user; none for a disabled or deleted one. */
  grantsOf(userId: string): Promise<GrantRow[]> {
    return this.db
      .selectFrom('user_roles')
      .innerJoin('users', 'users.id', 'user_roles.user_id')
      .select(['user_roles.role', 'user_roles.organisation_id', 'user_roles.club_id', 'user_roles.team_id', 'user_roles.athlete_id'])
      .where('user_roles.user_id', '=', userId)
      .where('users.disabled_at', 'is', null)
      .execute();
  }

  /** Where an athlete sits in the tree, or undefined when there is no such athlete. */
  placeOfAthlete(athleteId: string) {
    return this.db
      .selectFrom('athletes')
      .innerJoin('clubs', 'clubs.id', 'athletes.club_id')
      .select(['athletes.id as athleteId', 'athletes.team_id as teamId', 'athletes.club_id as clubId', 'clubs.organisation_id as organisationId'])
      .where('athletes.id', '=', athleteId)
      .executeTakeFirst();
  }

  /** Where each of these athletes sits; athletes that do not exist are missing from the answer. */
  placesOfAthletes(athleteIds: readonly string[]) {
    if (athleteIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('athletes')
      .innerJoin('clubs', 'clubs.id', 'athletes.club_id')
      .select(['athletes.id as athleteId', 'athletes.team_id as teamId', 'athletes.club_id as clubId', 'clubs.organisation_id as organisationId'])
      .where('athletes.id', 'in', [...athleteIds])
      .execute();
  }

  placeOfTeam(teamId: string) {
    return this.db
      .selectFrom('teams')
      .innerJoin('clubs', 'clubs.id', 'teams.club_id')
      .select(['teams.id as teamId', 'teams.club_id as clubId', 'clubs.organisation_id as organisationId'])
      .where('teams.id', '=', teamId)
      .executeTakeFirst();
  }

  placeOfClub(clubId: string) {
    return this.db.selectFrom('clubs').select(['clubs.id as clubId', 'clubs.organisation_id as organisationId']).where('clubs.id', '=', clubId).executeTakeFirst();
  }
}
