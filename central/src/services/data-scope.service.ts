/**
 * Who may read which athletes' data. Grants live in user_roles and are read on every request, so
 * a revoked or narrowed grant takes effect at once rather than when a token expires.
 *
 *   admin    everything (reads and changes)
 *   analyst  reads everything, or one organisation when the grant names it
 *   coach    reads the athletes of the team (or whole club) the grant names
 *   athlete  reads the one athlete the grant names
 *
 * Every read of an athlete's health data goes through `requireAthlete`, which also writes the
 * read to the audit log, so "who looked at this player's data" always has an answer.
 */
import { TouchlineError } from '@touchline/core';
import type { GrantRow, ScopeRepository } from '../repositories/scope.repository.ts';
import type { Principal } from './auth.service.ts';

interface Place {
  organisationId: string;
  clubId?: string;
  teamId?: string | null;
  athleteId?: string;
}

type Audit = (actor: string, action: string, target: string | null, detail?: Record<string, unknown>) => Promise<void>;

/** Whether one grant reaches a place in the organisation → club → team → athlete tree. */
function grantReaches(grant: GrantRow, place: Place): boolean {
  switch (grant.role) {
    case 'admin':
      return true;
    case 'analyst':
      return grant.organisation_id === null || grant.organisation_id === place.organisationId;
    case 'coach':
      if (grant.team_id) return place.teamId === grant.team_id;
      if (grant.club_id) return place.clubId === grant.club_id;
      return false;
    case 'athlete':
      return grant.athlete_id !== null && place.athleteId === grant.athlete_id;
    default:
      return false;
  }
}

export class DataScope {
  private readonly repo: ScopeRepository;
  private readonly audit: Audit;

  constructor(repo: ScopeRepository, audit: Audit) {
    this.repo = repo;
    this.audit = audit;
  }

  /**
   * Throws unless the principal may read this athlete's data, and logs the read as
   * `health.read` with `purpose` (e.g. "load", "readings", "export"). An athlete that does not
   * exist and one the principal may not see give the same 404, so ids cannot be probed.
   */
  async requireAthlete(principal: Principal, athleteId: string, purpose: string): Promise<void> {
    const place = await this.repo.placeOfAthlete(athleteId);
    if (!place || !(await this.reaches(principal, place))) throw new TouchlineError('TL_ERR_NOT_FOUND', `No athlete ${athleteId}`);
    await this.audit(principal.actor, 'health.read', athleteId, { purpose });
  }

  /**
   * `requireAthlete` for several athletes read together (a team's view): throws the same 404 for
   * the first one out of reach, and logs the read as one `health.read` row on `target` (e.g. the
   * team) whose detail lists the athletes, rather than one row per athlete per request. An
   * athlete's access log finds it through that list.
   */
  async requireAthletes(principal: Principal, athleteIds: readonly string[], purpose: string, target: string): Promise<void> {
    const ids = [...new Set(athleteIds)];
    if (ids.length === 0) return;
    const [places, grants] = await Promise.all([this.repo.placesOfAthletes(ids), this.repo.grantsOf(principal.userId)]);
    const byId = new Map(places.map((p) => [p.athleteId, p]));
    for (const id of ids) {
      const place = byId.get(id);
      if (!place || !grants.some((g) => grantReaches(g, place))) throw new TouchlineError('TL_ERR_NOT_FOUND', `No athlete ${id}`);
    }
    await this.audit(principal.actor, 'health.read', target, { purpose, athletes: ids });
  }

  /** Throws unless the principal may read this team (a coach of it or of its club, analyst, admin). */
  async requireTeam(principal: Principal, teamId: string): Promise<void> {
    const place = await this.repo.placeOfTeam(teamId);
    if (!place || !(await this.reaches(principal, place))) throw new TouchlineError('TL_ERR_NOT_FOUND', `No team ${teamId}`);
  }

  /** Throws unless the principal may read everything of this club (a club-wide coach, analyst, admin). */
  async requireClub(principal: Principal, clubId: string): Promise<void> {
    const place = await this.repo.placeOfClub(clubId);
    if (!place || !(await this.reaches(principal, { organisationId: place.organisationId, clubId: place.clubId }))) {
      throw new TouchlineError('TL_ERR_NOT_FOUND', `No club ${clubId}`);
    }
  }

  /** Whether the principal's grants reach the place; for filtering lists without throwing. */
  async reaches(principal: Principal, place: Place): Promise<boolean> {
    const grants = await this.repo.grantsOf(principal.userId);
    return grants.some((g) => grantReaches(g, place));
  }

  /** The grants as they stand, for list queries that filter in SQL. */
  grants(principal: Principal): Promise<GrantRow[]> {
    return this.repo.grantsOf(principal.userId);
  }
}
