/**
 * Turns a user's grants into concrete id lists, so list queries can filter with plain `in (…)`
 * conditions. Clubs and teams number in the tens, so the lists stay short.
 */
import type { ExpressionBuilder, Expression, Kysely, SqlBool } from 'kysely';
import type { CentralDatabase } from '../db/tables.ts';
import type { GrantRow } from './scope.repository.ts';

/** What one user may see. Every list is empty when `all` is true (nothing to filter). */
export interface Reach {
  all: boolean;
  /** Organisations the user sees anything of. */
  organisationIds: string[];
  /** Clubs the user sees anything of (the club's name and its sessions). */
  clubIds: string[];
  /** Clubs whose every athlete and hub the user sees (analysts of the organisation, club-wide coaches). */
  wholeClubIds: string[];
  /** Clubs whose hubs the user sees (staff grants: analysts and coaches, not athletes). */
  hubClubIds: string[];
  /** Teams the user sees by name. */
  teamIds: string[];
  /** Teams whose athletes the user sees (coach grants). */
  squadTeamIds: string[];
  /** Athletes the user sees one by one (athlete grants: themselves). */
  athleteIds: string[];
}

const EVERYTHING: Reach = { all: true, organisationIds: [], clubIds: [], wholeClubIds: [], hubClubIds: [], teamIds: [], squadTeamIds: [], athleteIds: [] };

const unique = (values: Iterable<string | null | undefined>) => [...new Set([...values].filter((v): v is string => typeof v === 'string'))];

/** The athletes of `reach`, as a condition on the `athletes` table. */
export function athleteWithin(eb: ExpressionBuilder<CentralDatabase, 'athletes'>, reach: Reach): Expression<SqlBool> {
  if (reach.all) return eb.lit(true);
  const parts: Expression<SqlBool>[] = [];
  if (reach.wholeClubIds.length) parts.push(eb('athletes.club_id', 'in', reach.wholeClubIds));
  if (reach.squadTeamIds.length) parts.push(eb('athletes.team_id', 'in', reach.squadTeamIds));
  if (reach.athleteIds.length) parts.push(eb('athletes.id', 'in', reach.athleteIds));
  return parts.length ? eb.or(parts) : eb.lit(false);
}

export class ReachRepository {
  private readonly db: Kysely<CentralDatabase>;

  constructor(db: Kysely<CentralDatabase>) {
    this.db = db;
  }

  async resolve(grants: readonly GrantRow[]): Promise<Reach> {
    if (grants.some((g) => g.role === 'admin' || (g.role === 'analyst' && g.organisation_id === null))) return EVERYTHING;
    const analystOrgs = unique(grants.filter((g) => g.role === 'analyst').map((g) => g.organisation_id));
    const coachClubs = unique(grants.filter((g) => g.role === 'coach' && !g.team_id).map((g) => g.club_id));
    const squadTeamIds = unique(grants.filter((g) => g.role === 'coach').map((g) => g.team_id));
    const athleteIds = unique(grants.filter((g) => g.role === 'athlete').map((g) => g.athlete_id));

    const orgClubs = analystOrgs.length ? await this.db.selectFrom('clubs').select('id').where('organisation_id', 'in', analystOrgs).execute() : [];
    const wholeClubIds = unique([...orgClubs.map((c) => c.id), ...coachClubs]);
    const squadTeams = squadTeamIds.length ? await this.db.selectFrom('teams').select(['id', 'club_id']).where('id', 'in', squadTeamIds).execute() : [];
    const ownRows = athleteIds.length ? await this.db.selectFrom('athletes').select(['id', 'club_id', 'team_id']).where('id', 'in', athleteIds).execute() : [];
    const hubClubIds = unique([...wholeClubIds, ...squadTeams.map((t) => t.club_id)]);
    const clubIds = unique([...hubClubIds, ...ownRows.map((a) => a.club_id)]);
    const wholeClubTeams = wholeClubIds.length ? await this.db.selectFrom('teams').select('id').where('club_id', 'in', wholeClubIds).execute() : [];
    const teamIds = unique([...wholeClubTeams.map((t) => t.id), ...squadTeamIds, ...ownRows.map((a) => a.team_id)]);
    const orgRows = clubIds.length ? await this.db.selectFrom('clubs').select('organisation_id').where('id', 'in', clubIds).execute() : [];
    return {
      all: false,
      organisationIds: unique(orgRows.map((c) => c.organisation_id)),
      clubIds,
      wholeClubIds,
      hubClubIds,
      teamIds,
      squadTeamIds,
      athleteIds,
    };
  }
}
