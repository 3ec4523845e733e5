/** The ownership tree head office maintains: organisations, clubs, teams and athletes' teams. */
import { TouchlineError } from '@touchline/core';
import type { Selectable } from 'kysely';
import type { AthletesTable } from '../db/tables.ts';
import type { DirectoryRepository } from '../repositories/directory.repository.ts';
import type { UserRepository } from '../repositories/user.repository.ts';
import type { Principal } from './auth.service.ts';
import type { DataScope } from './data-scope.service.ts';
import type { ReachService } from './reach.service.ts';

export interface AthleteView {
  id: string;
  clubId: string;
  teamId: string | null;
  hubId: string | null;
  localId: string | null;
  name: string;
  number: number | null;
  position: string | null;
  group: string | null;
  hrMax: number | null;
  hrRest: number | null;
  sex: string | null;
  massKg: number | null;
  birthYear: number | null;
  archived: boolean;
  updatedAt: number;
}

export function athleteView(row: Selectable<AthletesTable>): AthleteView {
  return {
    id: row.id,
    clubId: row.club_id,
    teamId: row.team_id,
    hubId: row.hub_id,
    localId: row.local_id,
    name: row.name,
    number: row.number,
    position: row.position,
    group: row.group_name,
    hrMax: row.hr_max,
    hrRest: row.hr_rest,
    sex: row.sex,
    massKg: row.mass_kg,
    birthYear: row.birth_year,
    archived: row.archived,
    updatedAt: row.updated_at.getTime(),
  };
}

const named = <T extends { id: string; name: string; created_at: Date }>(row: T) => ({ id: row.id, name: row.name, createdAt: row.created_at.getTime() });

/** PostgreSQL's unique_violation, turned into the catalog's conflict. */
async function unique<T>(what: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new TouchlineError('TL_ERR_CONFLICT', `${what} already exists`);
    throw err;
  }
}

export class DirectoryService {
  private readonly repo: DirectoryRepository;
  private readonly users: UserRepository;
  private readonly reach: ReachService;
  private readonly scope: DataScope;

  constructor(deps: { repo: DirectoryRepository; users: UserRepository; reach: ReachService; scope: DataScope }) {
    this.repo = deps.repo;
    this.users = deps.users;
    this.reach = deps.reach;
    this.scope = deps.scope;
  }

  async createOrganisation(actor: string, name: string) {
    const row = await unique(`An organisation named "${name}"`, this.repo.insertOrganisation(name));
    await this.users.audit(actor, 'organisation.create', row.id, { name });
    return named(row);
  }

  /** The organisations the user sees anything of. */
  async listOrganisations(principal: Principal) {
    return (await this.repo.listOrganisations(await this.reach.of(principal))).map(named);
  }

  async createClub(actor: string, organisationId: string, name: string) {
    if (!(await this.repo.findOrganisation(organisationId))) throw new TouchlineError('TL_ERR_NOT_FOUND', `No organisation ${organisationId}`);
    const row = await unique(`A club named "${name}" in this organisation`, this.repo.insertClub(organisationId, name));
    await this.users.audit(actor, 'club.create', row.id, { organisationId, name });
    return { ...named(row), organisationId: row.organisation_id };
  }

  async listClubs(principal: Principal, organisationId?: string) {
    return (await this.repo.listClubs(organisationId, await this.reach.of(principal))).map((row) => ({ ...named(row), organisationId: row.organisation_id }));
  }

  async createTeam(actor: string, clubId: string, name: string) {
    if (!(await this.repo.findClub(clubId))) throw new TouchlineError('TL_ERR_NOT_FOUND', `No club ${clubId}`);
    const row = await unique(`A team named "${name}" in this club`, this.repo.insertTeam(clubId, name));
    await this.users.audit(actor, 'team.create', row.id, { clubId, name });
    return { ...named(row), clubId: row.club_id };
  }

  async listTeams(principal: Principal, clubId?: string) {
    return (await this.repo.listTeams(clubId, await this.reach.of(principal))).map((row) => ({ ...named(row), clubId: row.club_id }));
  }

  /** The athletes the user sees: a coach their team's (or club's), an athlete themself. */
  async listAthletes(principal: Principal, filter: { clubId?: string | undefined; teamId?: string | undefined; hubId?: string | undefined }): Promise<AthleteView[]> {
    return (await this.repo.listAthletes(filter, await this.reach.of(principal))).map(athleteView);
  }

  /** One athlete's profile (heart-rate limits, mass: health data, so the read is audited). */
  async readAthlete(principal: Principal, id: string): Promise<AthleteView> {
    await this.scope.requireAthlete(principal, id, 'profile');
    return this.getAthlete(id);
  }

  async getAthlete(id: string): Promise<AthleteView> {
    const row = await this.repo.findAthlete(id);
    if (!row) throw new TouchlineError('TL_ERR_NOT_FOUND', `No athlete ${id}`);
    return athleteView(row);
  }

  /**
   * Puts an athlete in a team. A team of another club transfers the athlete to that club: from then
   * on the old club's hubs may no longer write into this athlete's record (TL_ERR_UPLINK_FOREIGN).
   */
  async setAthleteTeam(actor: string, athleteId: string, teamId: string): Promise<AthleteView> {
    const athlete = await this.getAthlete(athleteId);
    const team = await this.repo.findTeam(teamId);
    if (!team) throw new TouchlineError('TL_ERR_NOT_FOUND', `No team ${teamId}`);
    const row = await this.repo.setAthleteTeam(athleteId, team);
    await this.users.audit(actor, 'athlete.team', athleteId, { teamId, fromClubId: athlete.clubId, toClubId: team.club_id });
    return athleteView(row);
  }
}
