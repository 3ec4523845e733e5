/** What head office reads: sessions with their drills and RPE, and the readings behind them. */
import { TouchlineError } from '@touchline/core';
import type { PortalRepository, SampleCountRow } from '../repositories/portal.repository.ts';
import type { Principal } from './auth.service.ts';
import type { DataScope } from './data-scope.service.ts';
import { within, type ReachService } from './reach.service.ts';

const counts = (rows: SampleCountRow[]) =>
  rows.map((r) => ({ athleteId: r.athlete_id, kind: r.kind, readings: r.readings, firstT: r.first_t.getTime(), lastT: r.last_t.getTime() }));

export class PortalService {
  private readonly repo: PortalRepository;
  private readonly reach: ReachService;
  private readonly scope: DataScope;
  private readonly now: () => number;

  constructor(deps: { repo: PortalRepository; reach: ReachService; scope: DataScope; now?: () => number }) {
    this.repo = deps.repo;
    this.reach = deps.reach;
    this.scope = deps.scope;
    this.now = deps.now ?? Date.now;
  }

  /** For load balancers and probes: answers once the database answers. */
  async health() {
    await this.repo.ping();
    return { status: 'ok' as const, checkedAt: this.now() };
  }

  /** Sessions of the clubs the user sees anything of (a session belongs to a club, not a team). */
  async listSessions(principal: Principal, filter: { clubId?: string | undefined; hubId?: string | undefined; before?: number | undefined; limit: number }) {
    const rows = await this.repo.listSessions({ ...filter, before: filter.before === undefined ? undefined : new Date(filter.before) }, await this.reach.of(principal));
    return rows.map((s) => ({
      id: s.id,
      clubId: s.club_id,
      hubId: s.hub_id,
      localId: s.local_id,
      name: s.name,
      kind: s.kind,
      startedAt: s.started_at.getTime(),
      endedAt: s.ended_at?.getTime() ?? null,
      notes: s.notes,
    }));
  }

  /**
   * One session with its drills, and the RPE and readings of the athletes the user sees (a team's
   * coach their squad, an athlete themself). Readings of unpaired sensors belong to nobody, so
   * only those who see the whole club get them. Each athlete's data shown is an audited read.
   */
  async session(principal: Principal, id: string) {
    const reach = await this.reach.of(principal);
    const s = await this.repo.findSession(id);
    if (!s || !within(reach, 'clubIds', s.club_id)) throw new TouchlineError('TL_ERR_NOT_FOUND', `No session ${id}`);
    const [drills, allRpe, allReadings] = await Promise.all([
      this.repo.drillsOf(id),
      this.repo.rpeOf(id),
      this.repo.countByHubWindow(s.hub_id, s.started_at, s.ended_at ?? new Date(this.now())),
    ]);
    const named = [...new Set([...allRpe.map((r) => r.athlete_id), ...allReadings.flatMap((r) => (r.athlete_id ? [r.athlete_id] : []))])];
    const visible = reach.all ? new Set(named) : await this.repo.athletesWithin(named, reach);
    const wholeClub = within(reach, 'wholeClubIds', s.club_id);
    const rpe = allRpe.filter((r) => visible.has(r.athlete_id));
    const readings = allReadings.filter((r) => (r.athlete_id ? visible.has(r.athlete_id) : wholeClub));
    for (const athleteId of visible) await this.scope.requireAthlete(principal, athleteId, 'session');
    return {
      id: s.id,
      clubId: s.club_id,
      hubId: s.hub_id,
      localId: s.local_id,
      name: s.name,
      kind: s.kind,
      startedAt: s.started_at.getTime(),
      endedAt: s.ended_at?.getTime() ?? null,
      notes: s.notes,
      drills: drills.map((d) => ({ id: d.id, name: d.name, startedAt: d.started_at.getTime(), endedAt: d.ended_at?.getTime() ?? null })),
      rpe: rpe.map((r) => ({ athleteId: r.athlete_id, rpe: r.rpe, durationMin: r.duration_min, enteredAt: r.entered_at.getTime() })),
      readings: counts(readings),
    };
  }

  async athleteReadingCounts(principal: Principal, athleteId: string, from?: number, to?: number) {
    await this.scope.requireAthlete(principal, athleteId, 'reading-counts');
    return counts(await this.repo.countByAthlete(athleteId, from === undefined ? undefined : new Date(from), to === undefined ? undefined : new Date(to)));
  }

  async athleteReadings(principal: Principal, athleteId: string, kind: string, from: number, to: number, limit: number) {
    await this.scope.requireAthlete(principal, athleteId, 'readings');
    const rows = await this.repo.readingsOf(athleteId, kind, new Date(from), new Date(to), limit);
    return rows.map((r) => ({ seq: r.seq, t: r.t.getTime(), sensorId: r.sensor_id, ...r.body }));
  }
}
