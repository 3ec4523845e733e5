/**
 * Training sessions and matches: start and stop, drills (phases) with their own splits, one-tap
 * markers, notes, and the session RPE entered afterwards. One session runs at a time; it is kept in
 * memory because every live snapshot carries it. Every change is audited with its actor and
 * broadcast to the screens.
 *
 * Times default to the hub's clock. A client may give an earlier time (`at`) so staff can record a
 * tap they made late, e.g. "the session started ten minutes ago"; it is checked against the
 * session's own timeline, never taken from the future.
 */
import { sessionRpeLoad, TouchlineError } from '@touchline/core/metrics';
import type { SessionRepository, SessionRows } from '../repositories/session.repository.ts';
import { newId } from './secrets.ts';

export const SESSION_KINDS = ['training', 'match'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export interface Drill {
  id: string;
  name: string;
  startedAt: number;
  endedAt: number | null;
}

export interface Marker {
  id: string;
  t: number;
  label: string;
}

export interface SessionRpe {
  athleteId: string;
  /** CR-10 rating, 0–10. */
  rpe: number;
  durationMin: number;
  /** sRPE load in AU: RPE × minutes (Foster et al. 2001, via core's sessionRpeLoad). */
  load: number;
  enteredAt: number;
}

export interface Session {
  id: string;
  name: string;
  kind: SessionKind;
  startedAt: number;
  endedAt: number | null;
  notes: string;
  drills: Drill[];
  /** The open drill of a running session, for the live screen. */
  currentDrill: Drill | null;
  markers: Marker[];
  rpe: SessionRpe[];
}

/** What the service needs from the rest of the hub, kept narrow so it has no fastify or engine types. */
export interface SessionServiceDeps {
  repo: SessionRepository;
  audit(actor: string, action: string, target: string | null, detail: unknown): Promise<void>;
  /** Live totals restart with every session. */
  resetLiveTotals(): void;
  /** Tells every screen about the changed session. */
  broadcast(session: Session): void;
  athleteExists(id: string): boolean;
  now?: () => number;
}

/** A client clock may run slightly ahead of the hub's; beyond this, a time is refused as future. */
const CLOCK_TOLERANCE_MS = 5_000;
/** A session can be started at most this far back (staff forgot to tap start, not history editing). */
const MAX_BACKDATE_MS = 24 * 3600_000;

function toSession(rows: SessionRows): Session {
  const drills = rows.drills.map((d) => ({ id: d.id, name: d.name, startedAt: d.started_at, endedAt: d.ended_at }));
  return {
    id: rows.session.id,
    name: rows.session.name,
    kind: rows.session.kind as SessionKind,
    startedAt: rows.session.started_at,
    endedAt: rows.session.ended_at,
    notes: rows.session.notes,
    drills,
    currentDrill: rows.session.ended_at === null ? (drills.find((d) => d.endedAt === null) ?? null) : null,
    markers: rows.markers.map((m) => ({ id: m.id, t: m.t, label: m.label })),
    rpe: rows.rpe.map((r) => ({
      athleteId: r.athlete_id,
      rpe: r.rpe,
      durationMin: r.duration_min,
      load: sessionRpeLoad(r.rpe, r.duration_min),
      enteredAt: r.entered_at,
    })),
  };
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

export class SessionService {
  private readonly deps: SessionServiceDeps;
  private readonly now: () => number;
  private running: Session | null = null;
  /** Changes run one after another, so two taps cannot both start a session or race a stop. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(deps: SessionServiceDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
  }

  /** Picks up a session left running by a restart. */
  async load(): Promise<void> {
    const row = await this.deps.repo.findRunningId();
    this.running = row ? await this.get(row.id) : null;
  }

  current(): Session | null {
    return this.running;
  }

  async list(limit: number, before?: number): Promise<Session[]> {
    return (await this.deps.repo.list(limit, before)).map(toSession);
  }

  async get(id: string): Promise<Session> {
    const rows = await this.deps.repo.find(id);
    if (!rows) throw new TouchlineError('TL_ERR_NOT_FOUND', `No session "${id}"`);
    return toSession(rows);
  }

  start(actor: string, input: { name: string; kind: SessionKind; at?: number }): Promise<Session> {
    return this.exclusive(async () => {
      if (this.running) {
        throw new TouchlineError('TL_ERR_CONFLICT', `Session "${this.running.name}" is still running; stop it before starting another`, { sessionId: this.running.id });
      }
      const now = this.now();
      const at = this.checkTime(input.at, now);
      if (at < now - MAX_BACKDATE_MS) throw new TouchlineError('TL_ERR_VALIDATION', 'A session can be started at most 24 h in the past');
      const latestEnd = await this.deps.repo.latestEnd();
      if (latestEnd !== null && at < latestEnd) {
        throw new TouchlineError('TL_ERR_CONFLICT', `A session cannot start at ${iso(at)}: the previous session ran until ${iso(latestEnd)}`);
      }
      const id = newId();
      await this.deps.repo.insert({ id, name: input.name, kind: input.kind, started_at: at, ended_at: null, notes: '' });
      this.deps.resetLiveTotals();
      await this.deps.audit(actor, 'session.start', id, { name: input.name, kind: input.kind, at });
      return this.changed(id);
    });
  }

  stop(actor: string, id: string, atInput?: number): Promise<Session> {
    return this.exclusive(async () => {
      const session = this.requireRunning(await this.get(id));
      const at = this.checkTime(atInput, this.now());
      const notBefore = Math.max(session.startedAt, ...session.drills.map((d) => d.endedAt ?? d.startedAt), ...session.markers.map((m) => m.t));
      if (at < notBefore) throw new TouchlineError('TL_ERR_VALIDATION', `The session cannot stop at ${iso(at)}, before its last drill or marker (${iso(notBefore)})`);
      await this.deps.repo.stop(id, at);
      await this.deps.audit(actor, 'session.stop', id, { at });
      return this.changed(id);
    });
  }

  update(actor: string, id: string, changes: { name?: string; notes?: string }): Promise<Session> {
    return this.exclusive(async () => {
      await this.get(id);
      await this.deps.repo.update(id, changes);
      await this.deps.audit(actor, 'session.update', id, changes);
      return this.changed(id);
    });
  }

  /** Starts a drill in the running session; the open drill, if any, ends at the same moment. */
  startDrill(actor: string, id: string, input: { name: string; at?: number }): Promise<Session> {
    return this.exclusive(async () => {
      const session = this.requireRunning(await this.get(id));
      const at = this.checkTime(input.at, this.now());
      const previous = session.drills.at(-1);
      const notBefore = previous ? (previous.endedAt ?? previous.startedAt) : session.startedAt;
      if (at < notBefore) throw new TouchlineError('TL_ERR_VALIDATION', `A drill cannot start at ${iso(at)}, before ${previous ? `drill "${previous.name}"` : 'the session'} (${iso(notBefore)})`);
      const drillId = newId();
      await this.deps.repo.startDrill({ id: drillId, session_id: id, name: input.name, started_at: at, ended_at: null });
      await this.deps.audit(actor, 'session.drill-start', id, { drillId, name: input.name, at, endedDrillId: session.currentDrill?.id ?? null });
      return this.changed(id);
    });
  }

  endDrill(actor: string, id: string, drillId: string, atInput?: number): Promise<Session> {
    return this.exclusive(async () => {
      const session = await this.get(id);
      const drill = session.drills.find((d) => d.id === drillId);
      if (!drill) throw new TouchlineError('TL_ERR_NOT_FOUND', `Session "${session.name}" has no drill "${drillId}"`);
      if (drill.endedAt !== null) throw new TouchlineError('TL_ERR_CONFLICT', `Drill "${drill.name}" already ended at ${iso(drill.endedAt)}`);
      const at = this.checkTime(atInput, this.now());
      if (at < drill.startedAt) throw new TouchlineError('TL_ERR_VALIDATION', `Drill "${drill.name}" cannot end at ${iso(at)}, before it started (${iso(drill.startedAt)})`);
      await this.deps.repo.endDrill(drillId, at);
      await this.deps.audit(actor, 'session.drill-end', id, { drillId, at });
      return this.changed(id);
    });
  }

  /** A one-tap marker; markers may also be added to a stopped session, within its time. */
  addMarker(actor: string, id: string, input: { label: string; t?: number }): Promise<Session> {
    return this.exclusive(async () => {
      const session = await this.get(id);
      const now = this.now();
      const t = this.checkTime(input.t, now);
      const end = session.endedAt ?? now + CLOCK_TOLERANCE_MS;
      if (t < session.startedAt || t > end) {
        throw new TouchlineError('TL_ERR_VALIDATION', `A marker must fall within the session (${iso(session.startedAt)} – ${session.endedAt === null ? 'now' : iso(session.endedAt)}); give its time as "t"`);
      }
      const markerId = newId();
      await this.deps.repo.insertMarker({ id: markerId, session_id: id, t, label: input.label });
      await this.deps.audit(actor, 'session.marker', id, { markerId, label: input.label, t });
      return this.changed(id);
    });
  }

  /**
   * Session RPE (Foster et al. 2001): the athlete's CR-10 rating of the whole session, asked once it
   * is over. The duration defaults to the session's length.
   */
  setRpe(actor: string, id: string, athleteId: string, input: { rpe: number; durationMin?: number }): Promise<SessionRpe> {
    return this.exclusive(async () => {
      const session = await this.get(id);
      if (session.endedAt === null) throw new TouchlineError('TL_ERR_CONFLICT', `Session "${session.name}" is still running; enter session RPE after stopping it`);
      if (!this.deps.athleteExists(athleteId)) throw new TouchlineError('TL_ERR_NOT_FOUND', `No athlete "${athleteId}"`);
      const durationMin = input.durationMin ?? (session.endedAt - session.startedAt) / 60_000;
      // Validates the CR-10 range once more, for callers that bypass the route schema.
      sessionRpeLoad(input.rpe, durationMin);
      await this.deps.repo.upsertRpe({ session_id: id, athlete_id: athleteId, rpe: input.rpe, duration_min: durationMin, entered_at: this.now() });
      await this.deps.audit(actor, 'session.rpe', id, { athleteId, rpe: input.rpe, durationMin });
      const updated = await this.changed(id);
      return updated.rpe.find((r) => r.athleteId === athleteId)!;
    });
  }

  private requireRunning(session: Session): Session {
    if (session.endedAt !== null) throw new TouchlineError('TL_ERR_CONFLICT', `Session "${session.name}" ended at ${iso(session.endedAt)}`);
    return session;
  }

  /** A client-given time, or now; never in the future. */
  private checkTime(at: number | undefined, now: number): number {
    if (at === undefined) return now;
    if (at > now + CLOCK_TOLERANCE_MS) throw new TouchlineError('TL_ERR_VALIDATION', `${iso(at)} is in the future; leave the time out to use the hub's clock`);
    return at;
  }

  /** Re-reads the session after a change, keeps the running one in memory and tells the screens. */
  private async changed(id: string): Promise<Session> {
    const session = await this.get(id);
    if (session.endedAt === null) this.running = session;
    else if (this.running?.id === id) this.running = null;
    this.deps.broadcast(session);
    return session;
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
