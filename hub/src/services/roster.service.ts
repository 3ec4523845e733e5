/**
 * Who wears what: the sensors the hub has seen (the discovery list) and which athlete each is
 * paired to. Ingest asks `athleteFor(sensorId)` for every message, so the answer lives in memory;
 * the database keeps the pairing history and is written on every change.
 */
import { TouchlineError } from '@touchline/core/metrics';
import type { SensorRepository } from '../repositories/sensor.repository.ts';
import type { ReadingStream } from '../ingest/ingest-contract.ts';

export interface SensorView {
  id: string;
  label: string | null;
  streams: ReadingStream[];
  firstSeen: number;
  lastSeen: number;
  batteryPct: number | null;
  athleteId: string | null;
}

interface SensorState {
  label: string | null;
  streams: Set<ReadingStream>;
  firstSeen: number;
  lastSeen: number;
  batteryPct: number | null;
  athleteId: string | null;
  /** A change not yet written to the sensors table. */
  dirty: boolean;
}

/** The discovery list holds at most this many sensors, so a client inventing ids cannot grow memory. */
export const MAX_SENSORS = 2000;

export class RosterService {
  private readonly sensors = new Map<string, SensorState>();
  private readonly repo: SensorRepository;
  private readonly athleteExists: (id: string) => boolean;

  constructor(repo: SensorRepository, athleteExists: (id: string) => boolean) {
    this.repo = repo;
    this.athleteExists = athleteExists;
  }

  async load(): Promise<void> {
    for (const row of await this.repo.listSensors()) {
      this.sensors.set(row.id, {
        label: row.label,
        streams: new Set(JSON.parse(row.streams) as ReadingStream[]),
        firstSeen: row.first_seen,
        lastSeen: row.last_seen,
        batteryPct: row.battery_pct,
        athleteId: null,
        dirty: false,
      });
    }
    for (const pairing of await this.repo.activePairings()) {
      const sensor = this.sensors.get(pairing.sensor_id);
      if (sensor) sensor.athleteId = pairing.athlete_id;
    }
  }

  athleteFor(sensorId: string): string | null {
    return this.sensors.get(sensorId)?.athleteId ?? null;
  }

  /** Records that a sensor sent a valid reading; returns false when the discovery list is full. */
  seen(sensorId: string, stream: ReadingStream, at: number, batteryPct?: number): boolean {
    let sensor = this.sensors.get(sensorId);
    if (!sensor) {
      if (this.sensors.size >= MAX_SENSORS) return false;
      sensor = { label: null, streams: new Set(), firstSeen: at, lastSeen: at, batteryPct: null, athleteId: null, dirty: true };
      this.sensors.set(sensorId, sensor);
    }
    if (!sensor.streams.has(stream)) {
      sensor.streams.add(stream);
      sensor.dirty = true;
    }
    sensor.lastSeen = Math.max(sensor.lastSeen, at);
    if (batteryPct !== undefined && batteryPct !== sensor.batteryPct) {
      sensor.batteryPct = batteryPct;
      sensor.dirty = true;
    }
    return true;
  }

  list(): SensorView[] {
    return [...this.sensors.entries()].map(([id, s]) => this.view(id, s));
  }

  get(sensorId: string): SensorView {
    const s = this.sensors.get(sensorId);
    if (!s) throw new TouchlineError('TL_ERR_NOT_FOUND', `No sensor "${sensorId}" has been seen by this hub`);
    return this.view(sensorId, s);
  }

  private view(id: string, s: SensorState): SensorView {
    return { id, label: s.label, streams: [...s.streams], firstSeen: s.firstSeen, lastSeen: s.lastSeen, batteryPct: s.batteryPct, athleteId: s.athleteId };
  }

  /**
   * Pairs a sensor to an athlete from now on. Readings already stored keep the athlete they had,
   * so re-pairing mid-session loses nothing. A sensor can be paired before it is first seen.
   */
  async pair(sensorId: string, athleteId: string, at: number): Promise<SensorView> {
    if (!this.athleteExists(athleteId)) throw new TouchlineError('TL_ERR_NOT_FOUND', `No athlete "${athleteId}"`);
    let sensor = this.sensors.get(sensorId);
    if (!sensor) {
      sensor = { label: null, streams: new Set(), firstSeen: at, lastSeen: at, batteryPct: null, athleteId: null, dirty: true };
      this.sensors.set(sensorId, sensor);
    }
    await this.flush();
    await this.repo.pair(sensorId, athleteId, at);
    sensor.athleteId = athleteId;
    return this.view(sensorId, sensor);
  }

  async unpair(sensorId: string, at: number): Promise<SensorView> {
    const sensor = this.sensors.get(sensorId);
    if (!sensor) throw new TouchlineError('TL_ERR_NOT_FOUND', `No sensor "${sensorId}" has been seen by this hub`);
    await this.repo.unpair(sensorId, at);
    sensor.athleteId = null;
    return this.view(sensorId, sensor);
  }

  async setLabel(sensorId: string, label: string | null): Promise<SensorView> {
    const sensor = this.sensors.get(sensorId);
    if (!sensor) throw new TouchlineError('TL_ERR_NOT_FOUND', `No sensor "${sensorId}" has been seen by this hub`);
    await this.flush();
    await this.repo.setLabel(sensorId, label);
    sensor.label = label;
    return this.view(sensorId, sensor);
  }

  /** Writes sensors whose discovery data changed; last-seen alone is written at most this often. */
  async flush(includeLastSeen = false): Promise<void> {
    for (const [id, s] of this.sensors) {
      if (!s.dirty && !includeLastSeen) continue;
      s.dirty = false;
      await this.repo.upsertSeen(id, [...s.streams], s.firstSeen, s.lastSeen, s.batteryPct);
    }
  }
}
