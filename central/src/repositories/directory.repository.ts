/** The ownership tree: organisations, clubs, teams, and the athletes in them. */
import type { Kysely } from 'kysely';
import type { CentralDatabase } from '../db/tables.ts';

export class DirectoryRepository {
  private readonly db: Kysely<CentralDatabase>;

  constructor(db: Kysely<CentralDatabase>) {
    this.db = db;
  }

  insertOrganisation(name: string) {
    return this.db.insertInto('organisations').values({ name }).returningAll().executeTakeFirstOrThrow();
  }

  listOrganisations() {
    return this.db.selectFrom('organisations').selectAll().orderBy('name').execute();
  }

  findOrganisation(id: string) {
    return this.db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  insertClub(organisationId: string, name: string) {
    return this.db.insertInto('clubs').values({ organisation_id: organisationId, name }).returningAll().executeTakeFirstOrThrow();
  }

  listClubs(organisationId?: string) {
    let query = this.db.selectFrom('clubs').selectAll().orderBy('name');
    if (organisationId) query = query.where('organisation_id', '=', organisationId);
    return query.execute();
  }

  findClub(id: string) {
    return this.db.selectFrom('clubs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  insertTeam(clubId: string, name: string) {
    return this.db.insertInto('teams').values({ club_id: clubId, name }).returningAll().executeTakeFirstOrThrow();
  }

  listTeams(clubId?: string) {
    let query = this.db.selectFrom('teams').selectAll().orderBy('name');
    if (clubId) query = query.where('club_id', '=', clubId);
    return query.execute();
  }

  findTeam(id: string) {
    return this.db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listAthletes(filter: { clubId?: string | undefined; teamId?: string | undefined; hubId?: string | undefined }) {
    let query = this.db.selectFrom('athletes').selectAll().orderBy('name');
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
