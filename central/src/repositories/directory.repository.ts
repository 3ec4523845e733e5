/** The ownership tree: organisations, clubs, teams, and the athletes in them. */
import type { Kysely } from 'kysely';
import type { CentralDatabase } from '../db/tables.ts';
import { athleteWithin, type Reach } from './reach.repository.ts';

export class DirectoryRepository {
  private readonly db: Kysely<CentralDatabase>;

  constructor(db: Kysely<CentralDatabase>) {
    this.db = db;
  }

  insertOrganisation(name: string) {
    return this.db.insertInto('organisations').values({ name }).returningAll().executeTakeFirstOrThrow();
  }

  async listOrganisations(reach: Reach) {
    if (!reach.all && reach.organisationIds.length === 0) return [];
    let query = this.db.selectFrom('organisations').selectAll().orderBy('name');
    if (!reach.all) query = query.where('id', 'in', reach.organisationIds);
    return query.execute();
  }

  findOrganisation(id: string) {
    return this.db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  insertClub(organisationId: string, name: string) {
    return this.db.insertInto('clubs').values({ organisation_id: organisationId, name }).returningAll().executeTakeFirstOrThrow();
  }

  async listClubs(organisationId: string | undefined, reach: Reach) {
    if (!reach.all && reach.clubIds.length === 0) return [];
    let query = this.db.selectFrom('clubs').selectAll().orderBy('name');
    if (!reach.all) query = query.where('id', 'in', reach.clubIds);
    if (organisationId) query = query.where('organisation_id', '=', organisationId);
    return query.execute();
  }

  findClub(id: string) {
    return this.db.selectFrom('clubs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  insertTeam(clubId: string, name: string) {
    return this.db.insertInto('teams').values({ club_id: clubId, name }).returningAll().executeTakeFirstOrThrow();
  }

  async listTeams(clubId: string | undefined, reach: Reach) {
    if (!reach.all && reach.teamIds.length === 0) return [];
    let query = this.db.selectFrom('teams').selectAll().orderBy('name');
    if (!reach.all) query = query.where('id', 'in', reach.teamIds);
    if (clubId) query = query.where('club_id', '=', clubId);
    return query.execute();
  }

  findTeam(id: string) {
    return this.db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listAthletes(filter: { clubId?: string | undefined; teamId?: string | undefined; hubId?: string | undefined }, reach: Reach) {
    let query = this.db.selectFrom('athletes').selectAll().where((eb) => athleteWithin(eb, reach)).orderBy('name');
    if (filter.clubId) query = query.where('club_id', '=', filter.clubId);
    if (filter.teamId) query = query.where('team_id', '=', filter.teamId);
    if (filter.hubId) query = query.where('hub_id', '=', filter.hubId);
    return query.execute();
  }

  findAthlete(id: string) {
    return this.db.selectFrom('athletes').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Places an athlete in a team, and so in the team's club. */
  setAthleteTeam(id: string, team: { id: string; club_id: string }) {
    return this.db
      .updateTable('athletes')
      .set({ team_id: team.id, club_id: team.club_id, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
