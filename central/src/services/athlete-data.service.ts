/**
 * An athlete's right to their data: an export of everything central holds about them (for an
 * admin, or the athlete themself), and deletion of all of it (admin). Both are audited; the
 * audit entries of a deleted athlete stay, since they record who did what, not health data.
 */
import { TouchlineError } from '@touchline/core';
import type { AthleteDataRepository } from '../repositories/athlete-data.repository.ts';
import type { Principal } from './auth.service.ts';
import type { DataScope } from './data-scope.service.ts';
import type { ReachService } from './reach.service.ts';

const ms = (d: Date | null) => d?.getTime() ?? null;
const day = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10));

export class AthleteDataService {
  private readonly repo: AthleteDataRepository;
  private readonly scope: DataScope;
  private readonly reach: ReachService;
  private readonly audit: (actor: string, action: string, target: string | null, detail?: Record<string, unknown>) => Promise<void>;
  private readonly now: () => number;

  constructor(deps: {
    repo: AthleteDataRepository;
    scope: DataScope;
    reach: ReachService;
    audit: (actor: string, action: string, target: string | null, detail?: Record<string, unknown>) => Promise<void>;
    now?: () => number;
  }) {
    this.repo = deps.repo;
    this.scope = deps.scope;
    this.reach = deps.reach;
    this.audit = deps.audit;
    this.now = deps.now ?? Date.now;
  }

  /** Admins export anyone; an athlete exports themself. Others who may see the athlete get 403, the rest 404. */
  async export(principal: Principal, athleteId: string) {
    const grants = await this.scope.grants(principal);
    const self = grants.some((g) => g.role === 'athlete' && g.athlete_id === athleteId);
    const admin = grants.some((g) => g.role === 'admin');
    if (!admin && !self) {
      const visible = await this.repo.isWithin(athleteId, await this.reach.of(principal));
      if (!visible) throw new TouchlineError('TL_ERR_NOT_FOUND', `No athlete ${athleteId}`);
      throw new TouchlineError('TL_ERR_FORBIDDEN', 'Only an admin or the athlete themself may export all of their data');
    }
    await this.scope.requireAthlete(principal, athleteId, 'export');
    const data = await this.repo.read(athleteId);
    if (!data) throw new TouchlineError('TL_ERR_NOT_FOUND', `No athlete ${athleteId}`);
    const a = data.athlete;
    return {
      format: 'touchline-athlete-export/1' as const,
      exportedAt: this.now(),
      athlete: {
        id: a.id,
        clubId: a.club_id,
        teamId: a.team_id,
        hubId: a.hub_id,
        localId: a.local_id,
        name: a.name,
        number: a.number,
        position: a.position,
        group: a.group_name,
        hrMax: a.hr_max,
        hrRest: a.hr_rest,
        sex: a.sex,
        massKg: a.mass_kg,
        birthYear: a.birth_year,
        zones: a.zones,
        thresholds: a.thresholds,
        archived: a.archived,
        createdAt: a.created_at.getTime(),
        updatedAt: a.updated_at.getTime(),
      },
      accounts: data.accounts,
      sessions: data.sessions.map((s) => ({
        sessionId: s.id,
        name: s.name,
        kind: s.kind,
        startedAt: s.started_at.getTime(),
        endedAt: ms(s.ended_at),
        rpe: s.rpe,
        durationMin: s.duration_min,
        enteredAt: s.entered_at.getTime(),
      })),
      sessionLoads: data.sessionLoads.map(({ athlete_id: _, computed_at, ...row }) => ({ ...row, computed_at: computed_at.getTime() })),
      drillLoads: data.drillLoads.map(({ athlete_id: _, computed_at, ...row }) => ({ ...row, computed_at: computed_at.getTime() })),
      dailyLoads: data.dailyLoads.map(({ athlete_id: _, computed_at, day: d, ...row }) => ({ ...row, day: day(d), computed_at: computed_at.getTime() })),
      workouts: data.workouts.map(({ athlete_id: _, started_at, uploaded_at, ...row }) => ({ ...row, started_at: started_at.getTime(), uploaded_at: uploaded_at.getTime() })),
      samples: data.samples.map((r) => ({ hubId: r.hub_id, stream: r.stream, seq: r.seq, t: r.t.getTime(), sensorId: r.sensor_id, kind: r.kind, ...r.body })),
      accessLog: data.accessLog.map((e) => ({ at: e.at.getTime(), actor: e.actor, action: e.action, detail: e.detail })),
    };
  }

  async delete(principal: Principal, athleteId: string) {
    const result = await this.repo.deleteAll(athleteId);
    if (!result) throw new TouchlineError('TL_ERR_NOT_FOUND', `No athlete ${athleteId}`);
    await this.audit(principal.actor, 'athlete.delete', athleteId, { deleted: result.deleted, usersLeftWithoutGrants: result.grantUsers });
    return { athleteId, deleted: result.deleted, usersLeftWithoutGrants: result.grantUsers };
  }
}
