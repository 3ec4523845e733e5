/**
 * Keeps session_athlete_loads, drill_athlete_loads and athlete_daily_loads in step with what hubs
 * upload and athletes import, off the request path:
 *
 * 1. After an uplink batch commits, `noteBatch` records (in memory, O(readings)) which sessions it
 *    named and which athletes' readings it carried over which times; the ack never waits on this.
 * 2. After `debounceMs` the notes become rows of the pending queue (analytics_pending_*): every
 *    session of the hub overlapping an athlete's readings, and every named session (a session
 *    ended, a drill marked, RPE entered).
 * 3. A queued session waits for quiet: it is computed once no batch has touched it for `quietMs`,
 *    and at the latest `maxDelayMs` after the first request not yet worked off (a running session
 *    whose readings never pause), or `endedMaxDelayMs` for a session that has ended (a catch-up
 *    that never pauses). A recomputation reads the whole session, so recomputing after every batch
 *    of a catch-up would read it over and over (quadratic in its length).
 * 4. The queue is worked off: sessions first (each one enqueues its athletes' days), then days.
 *    A row is deleted only after its computation succeeded and only if no newer request for it
 *    arrived meanwhile; a failure is logged and the row retried with backoff. Rows (and their
 *    waits) survive a restart, which works them off when due.
 *
 * On start, every session changed since it was last computed (or never computed) is queued too,
 * so a crash during the debounce loses no session change and older uploads are backfilled. What a
 * crash in that second can still leave stale is a session whose only news was readings (no session
 * row change); `recomputeSession` redoes any session from its raw readings.
 */
import { dateOfDayNumber } from '@touchline/core';
import { AT_ONCE, type AggregateRepository, type AthleteDay, type DrillLoadRow, type QueueWait, type SessionLoadRow } from '../repositories/aggregate.repository.ts';
import type { UplinkBatch } from '../schemas/uplink.schema.ts';
import { metricSetupOf, srpeOf, windowFigures } from './session-metrics.ts';

const DAY_MS = 86_400_000;
const BATCH = 20;

interface Logger {
  warn(obj: object, message: string): void;
}

interface BatchNote {
  hubId: string;
  sessions: Set<string>;
  /** Athlete local id → [first, last] reading time. */
  spans: Map<string, [number, number]>;
}

export interface AggregationOptions {
  debounceMs?: number;
  /** A session is computed once no batch has touched it for this long. */
  quietMs?: number;
  /** A running session whose readings keep arriving is still recomputed at least this often. */
  maxDelayMs?: number;
  /** The same for a session that has ended (a long catch-up): a bound, so nothing waits for ever. */
  endedMaxDelayMs?: number;
  /** First retry delay after a failure; doubles per attempt up to retryCapMs. */
  retryBaseMs?: number;
  retryCapMs?: number;
  /** The clock that bounds a running session's window. */
  now?: () => number;
  log?: Logger;
}

export function dayOf(t: number): string {
  return dateOfDayNumber(Math.floor(t / DAY_MS));
}

/** The union of time spans as disjoint spans in time order (one query covers them all). */
export function mergeSpans(spans: Iterable<readonly [number, number]>): [number, number][] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of sorted) {
    const last = merged.at(-1);
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

export class AggregationService {
  private readonly repo: AggregateRepository;
  private readonly debounceMs: number;
  private readonly wait: QueueWait;
  private readonly retryBaseMs: number;
  private readonly retryCapMs: number;
  private readonly now: () => number;
  private readonly log: Logger;
  private notes: BatchNote[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** A request that came in while running, and how soon it wants the next run. */
  private rerunInMs: number | null = null;
  private sweepDue = false;
  /** settle() asked for the sessions waiting for quiet to be computed now. */
  private waitsToEnd = false;
  private closed = false;

  constructor(repo: AggregateRepository, options: AggregationOptions = {}) {
    this.repo = repo;
    this.debounceMs = options.debounceMs ?? 1000;
    this.wait = { quietMs: options.quietMs ?? 5000, maxDelayMs: options.maxDelayMs ?? 30_000, endedMaxDelayMs: options.endedMaxDelayMs ?? 5 * 60_000 };
    this.retryBaseMs = options.retryBaseMs ?? 5000;
    this.retryCapMs = options.retryCapMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? { warn: () => {} };
  }

  /** Works off what a previous run left in the queue, and every session changed since it was computed. */
  start(): void {
    this.sweepDue = true;
    this.schedule(0);
  }

  /** Called after a batch committed. Never throws and never waits. */
  noteBatch(hubId: string, batch: UplinkBatch): void {
    if (this.closed) return;
    try {
      const note: BatchNote = { hubId, sessions: new Set(batch.sessions.map((s) => s.id)), spans: new Map() };
      for (const group of batch.samples?.groups ?? []) {
        if (group.athleteId === null || group.kind === 'battery') continue;
        let span = note.spans.get(group.athleteId);
        for (const { t } of group.readings) {
          if (!span) note.spans.set(group.athleteId, (span = [t, t]));
          else if (t < span[0]) span[0] = t;
          else if (t > span[1]) span[1] = t;
        }
      }
      if (note.sessions.size === 0 && note.spans.size === 0) return;
      this.notes.push(note);
      this.schedule(this.debounceMs);
    } catch (err) {
      this.log.warn({ err }, 'analytics could not note an uplink batch');
    }
  }

  /** Asks for one session's figures (and its athletes' days) to be computed again. */
  async recomputeSession(sessionId: string): Promise<void> {
    await this.repo.enqueueSessions([sessionId], AT_ONCE);
    this.schedule(0);
  }

  /** Asks for some athlete-days to be computed again (e.g. after a workout upload). */
  async recomputeAthleteDays(days: readonly AthleteDay[]): Promise<void> {
    await this.repo.enqueueDays(days);
    this.schedule(0);
  }

  /** Works off queued rows soon (another writer queued them in its own transaction). */
  kick(): void {
    this.schedule(0);
  }

  /**
   * Resolves once the notes are queued and the queue is worked off, sessions still waiting for
   * quiet included (tests, tools); with `dueOnly`, only what is due by now, as the timer would.
   * Failed rows keep their backoff either way.
   */
  async settle(options: { dueOnly?: boolean } = {}): Promise<void> {
    for (;;) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      if (!options.dueOnly) this.waitsToEnd = true;
      await this.run();
      const pending = await this.repo.pendingCounts();
      if (this.notes.length === 0 && pending.due === 0 && !this.running && !this.waitsToEnd) return;
      if (this.running) await this.running;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.running) {
      this.rerunInMs = Math.min(this.rerunInMs ?? delayMs, delayMs);
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, delayMs);
    this.timer.unref();
  }

  private run(): Promise<void> {
    if (this.running) return this.running;
    this.rerunInMs = null;
    this.running = (async () => {
      try {
        if (this.sweepDue) {
          await this.repo.enqueueStaleSessions();
          this.sweepDue = false;
        }
        await this.queueNotes();
        if (this.waitsToEnd) {
          this.waitsToEnd = false;
          await this.repo.endWaits();
        }
        await this.workOff();
      } catch (err) {
        // The queue itself is unreachable (database down): try again later; notes stay in memory.
        this.log.warn({ err }, 'analytics queue unavailable; retrying');
        this.running = null;
        this.schedule(this.retryBaseMs);
        return;
      }
      this.running = null;
      if (this.rerunInMs !== null) this.schedule(this.rerunInMs);
      const { msUntilNext } = await this.repo.pendingCounts().catch(() => ({ msUntilNext: null }));
      if (msUntilNext !== null) this.schedule(Math.max(0, msUntilNext));
    })();
    return this.running;
  }

  /**
   * Turns the notes into queued sessions, a hub's notes together. Readings change daily loads only
   * through their sessions' figures, so days are queued when a session is computed, not here.
   */
  private async queueNotes(): Promise<void> {
    while (this.notes.length > 0) {
      const hubId = this.notes[0]!.hubId;
      const taken = this.notes.filter((n) => n.hubId === hubId);
      const named = new Set(taken.flatMap((n) => [...n.sessions]));
      const spans = new Map<string, [number, number][]>();
      for (const note of taken) for (const [localId, span] of note.spans) spans.set(localId, [...(spans.get(localId) ?? []), span]);
      const { sessionIds, athletes } = await this.repo.resolveHubIds(hubId, [...named], [...spans.keys()]);
      const known = [...spans].filter(([localId]) => athletes.has(localId)).flatMap(([, list]) => list);
      const sessions = new Set([...sessionIds, ...(await this.repo.sessionsOverlapping(hubId, mergeSpans(known)))]);
      await this.repo.enqueueSessions([...sessions], this.wait);
      this.notes = this.notes.filter((n) => !taken.includes(n));
    }
  }

  private retryDelay(attempts: number): number {
    return Math.min(this.retryCapMs, this.retryBaseMs * 2 ** attempts);
  }

  private async workOff(): Promise<void> {
    for (;;) {
      const sessions = await this.repo.dueSessions(BATCH);
      for (const item of sessions) {
        try {
          await this.computeSession(item.sessionId);
          await this.repo.sessionDone(item.sessionId, item.generation, this.wait);
        } catch (err) {
          this.log.warn({ err, sessionId: item.sessionId, attempts: item.attempts + 1 }, 'session aggregates failed; will retry');
          await this.repo.sessionFailed(item.sessionId, (err as Error).message, this.retryDelay(item.attempts));
        }
      }
      const days = await this.repo.dueDays(BATCH);
      for (const item of days) {
        try {
          const figures = await this.repo.dailyFigures(item);
          await this.repo.saveDaily(item, figures.entries > 0 ? figures : null);
          await this.repo.dayDone(item, item.generation);
        } catch (err) {
          this.log.warn({ err, athleteId: item.athleteId, day: item.day, attempts: item.attempts + 1 }, 'daily load failed; will retry');
          await this.repo.dayFailed(item, (err as Error).message, this.retryDelay(item.attempts));
        }
      }
      if ((sessions.length === 0 && days.length === 0) || this.closed) return;
    }
  }

  /** Recomputes one session's per-athlete and per-drill figures from its readings and RPE. */
  private async computeSession(sessionId: string): Promise<void> {
    const session = await this.repo.sessionWindow(sessionId);
    if (!session) return;
    const from = session.started_at.getTime();
    const to = session.ended_at?.getTime() ?? this.now();
    const before = await this.repo.athletesOfSessionLoads(sessionId);
    const withReadings = to >= from ? await this.repo.athletesWithReadings(session.hub_id, new Date(from), new Date(to)) : [];
    const athleteIds = [...new Set([...withReadings, ...session.rpe.map((r) => r.athlete_id)])];
    const profiles = new Map((await this.repo.athleteProfiles(athleteIds)).map((p) => [p.id, p]));
    const rows: SessionLoadRow[] = [];
    const drillRows: DrillLoadRow[] = [];
    for (const athleteId of athleteIds) {
      const profile = profiles.get(athleteId);
      if (!profile) continue;
      const setup = metricSetupOf(profile, from);
      const readings = await this.repo.readings(athleteId, session.hub_id, new Date(from), new Date(Math.max(from, to)));
      const figures = windowFigures(readings, setup, from, to);
      const rpe = session.rpe.find((r) => r.athlete_id === athleteId);
      rows.push({
        athlete_id: athleteId,
        duration_s: figures?.duration_s ?? (rpe ? rpe.duration_min * 60 : null),
        hr_mean: figures?.hr_mean ?? null,
        hr_max: figures?.hr_max ?? null,
        trimp: figures?.trimp ?? null,
        srpe: srpeOf(rpe),
        distance_m: figures?.distance_m ?? null,
        hsr_m: figures?.hsr_m ?? null,
        sprint_m: figures?.sprint_m ?? null,
        player_load: figures?.player_load ?? null,
      });
      for (const drill of session.drills) {
        const drillFrom = drill.started_at.getTime();
        const drillTo = drill.ended_at?.getTime() ?? to;
        const drillFigures = windowFigures(readings, setup, drillFrom, drillTo);
        if (drillFigures) drillRows.push({ ...drillFigures, drill_local_id: drill.local_id, athlete_id: athleteId });
      }
    }
    const day = dayOf(from);
    const previousDay = await this.repo.replaceSessionLoads(sessionId, rows, drillRows, { day, sessionUpdatedAt: session.updated_at });
    const days = previousDay && previousDay !== day ? [day, previousDay] : [day];
    await this.repo.enqueueDays([...new Set([...before, ...athleteIds])].flatMap((athleteId) => days.map((d) => ({ athleteId, day: d }))));
  }
}
