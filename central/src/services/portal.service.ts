/** What head office reads: sessions with their drills and RPE, and the readings behind them. */
import { TouchlineError } from '@touchline/core';
import type { PortalRepository, SampleCountRow } from '../repositories/portal.repository.ts';

const counts = (rows: SampleCountRow[]) =>
  rows.map((r) => ({ athleteId: r.athlete_id, kind: r.kind, readings: r.readings, firstT: r.first_t.getTime(), lastT: r.last_t.getTime() }));

export class PortalService {
  private readonly repo: PortalRepository;
  private readonly now: () => number;

  constructor(repo: PortalRepository, now: () => number = Date.now) {
    this.repo = repo;
    this.now = now;
  }

  /** For load balancers and probes: answers once the database answers. */
  async health() {
    await this.repo.ping();
    return { status: 'ok' as const, checkedAt: this.now() };
  }

  async listSessions(filter: { clubId?: string | undefined; hubId?: string | undefined; before?: number | undefined; limit: number }) {
    const rows = await this.repo.listSessions({ ...filter, before: filter.before === undefined ? undefined : new Date(filter.before) });
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

  /** One session with its drills, RPE and the readings its hub recorded while it ran. */
  async session(id: string) {
    const s = await this.repo.findSession(id);
    if (!s) throw new TouchlineError('TL_ERR_NOT_FOUND', `No session ${id}`);
    const [drills, rpe, readings] = await Promise.all([
      this.repo.drillsOf(id),
      this.repo.rpeOf(id),
      this.repo.countByHubWindow(s.hub_id, s.started_at, s.ended_at ?? new Date(this.now())),
    ]);
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

  async athleteReadingCounts(athleteId: string, from?: number, to?: number) {
    return counts(await this.repo.countByAthlete(athleteId, from === undefined ? undefined : new Date(from), to === undefined ? undefined : new Date(to)));
  }

  async athleteReadings(athleteId: string, kind: string, from: number, to: number, limit: number) {
    const rows = await this.repo.readingsOf(athleteId, kind, new Date(from), new Date(to), limit);
    return rows.map((r) => ({ seq: r.seq, t: r.t.getTime(), sensorId: r.sensor_id, ...r.body }));
  }
}
