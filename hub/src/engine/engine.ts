/**
 * The live engine: per-athlete state, updated in O(1) per reading with core's streaming metrics.
 * It never waits on disk or network; listeners (live feed, alerts, MQTT republish) are told which
 * athlete changed and read the state they need. Session totals restart when a session starts.
 */
import {
  createZoneModel,
  DEFAULT_GNSS_CONVENTIONS,
  DEFAULT_ZONE_MODEL,
  GnssAccumulator,
  HrSessionAccumulator,
  PlayerLoadAccumulator,
  RmssdStream,
  type HrSessionSummary,
  type GnssLiveState,
} from '@touchline/core/metrics';
import type { Reading } from '../ingest/ingest-contract.ts';
import type { ReadingSink } from '../ingest/ingest.service.ts';
import { profileOf, type Athlete } from '../services/athlete.service.ts';

export type SignalState = 'none' | 'live' | 'stale' | 'lost';

/** HR zone bounds (% HRmax) and speed thresholds (m/s) for athletes without their own (operator settings). */
export interface AthleteDefaults {
  zones: readonly number[];
  thresholds: { hsr: number; sprint: number };
}

const CORE_DEFAULTS: AthleteDefaults = {
  zones: DEFAULT_ZONE_MODEL.bounds,
  thresholds: { hsr: DEFAULT_GNSS_CONVENTIONS.highSpeedRunningSpeed, sprint: DEFAULT_GNSS_CONVENTIONS.sprintSpeed },
};

export interface LiveAthlete {
  id: string;
  name: string;
  number: number | null;
  position: string | null;
  group: string | null;
  /** Time of the newest reading (Unix ms), so a screen can measure its own lag. */
  t: number | null;
  signal: SignalState;
  batteryPct: number | null;
  sensors: string[];
  hr: {
    bpm: number | null;
    percentHrMax: number | null;
    zone: number | null;
    secondsInZone: number[];
    banisterTrimp: number;
    edwardsTrimp: number;
    energyKcal: number | null;
    meanBpm: number | null;
    maxBpm: number | null;
  };
  rmssdMs: number | null;
  gnss: {
    speed: number;
    maxSpeed: number;
    distanceM: number;
    highSpeedRunningM: number;
    highSpeedRunningEfforts: number;
    sprintM: number;
    sprintEfforts: number;
    accelerations: number;
    decelerations: number;
    metabolicPower: number;
    averageMetabolicPower: number | null;
    equivalentDistanceM: number;
  };
  playerLoad: number;
}

class AthleteState {
  athlete: Athlete;
  hr!: HrSessionAccumulator;
  gnss!: GnssAccumulator;
  rmssd!: RmssdStream;
  playerLoad!: PlayerLoadAccumulator;
  lastReadingT: number | null = null;
  lastArrival: number | null = null;
  batteryPct: number | null = null;
  signal: SignalState = 'none';
  readonly sensors = new Set<string>();
  hrCache: HrSessionSummary | null = null;
  gnssCache: GnssLiveState | null = null;

  constructor(athlete: Athlete, defaults: AthleteDefaults) {
    this.athlete = athlete;
    this.reset(defaults);
  }

  /** Fresh accumulators: at session start, or when the profile or defaults they were built from change. */
  reset(defaults: AthleteDefaults): void {
    const a = this.athlete;
    const zoneModel = createZoneModel('percent-hrmax', a.zones ?? defaults.zones);
    const thresholds = a.thresholds ?? defaults.thresholds;
    this.hr = new HrSessionAccumulator(profileOf(a), { zoneModel });
    this.gnss = new GnssAccumulator({ highSpeedRunningSpeed: thresholds.hsr, sprintSpeed: thresholds.sprint });
    // RMSSD over the last minute of beats: short enough to follow a drill, long enough to be stable.
    this.rmssd = new RmssdStream({ window: { seconds: 60 } });
    this.playerLoad = new PlayerLoadAccumulator();
    this.hrCache = null;
    this.gnssCache = null;
  }
}

export interface EngineOptions {
  staleAfterSeconds: number;
  lostAfterSeconds: number;
  /** Defaults for athletes without their own zones or thresholds; core's when absent. */
  athleteDefaults?: AthleteDefaults;
  now?: () => number;
}

/** Told which athlete changed; reads `athlete(id)` only if it needs the state. */
export type ChangeListener = (athleteId: string) => void;

export class Engine implements ReadingSink {
  private readonly states = new Map<string, AthleteState>();
  private readonly listeners: ChangeListener[] = [];
  private readonly options: EngineOptions;
  private readonly now: () => number;
  private defaults: AthleteDefaults;
  private timer: NodeJS.Timeout | undefined;
  readingsProcessed = 0;

  constructor(options: EngineOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.defaults = options.athleteDefaults ?? CORE_DEFAULTS;
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** Adds, updates or (with undefined) removes an athlete; a profile change restarts their totals. */
  setAthlete(id: string, athlete: Athlete | undefined): void {
    if (!athlete) {
      this.states.delete(id);
      return;
    }
    const existing = this.states.get(id);
    if (!existing) {
      this.states.set(id, new AthleteState(athlete, this.defaults));
      return;
    }
    existing.athlete = athlete;
    existing.reset(this.defaults);
  }

  /** New operator defaults: like a profile change, restarts the totals of every athlete who uses a changed one. */
  setAthleteDefaults(defaults: AthleteDefaults): void {
    const zonesChanged = defaults.zones.join() !== this.defaults.zones.join();
    const thresholdsChanged = defaults.thresholds.hsr !== this.defaults.thresholds.hsr || defaults.thresholds.sprint !== this.defaults.thresholds.sprint;
    this.defaults = { zones: [...defaults.zones], thresholds: { ...defaults.thresholds } };
    for (const [id, state] of this.states) {
      if ((zonesChanged && !state.athlete.zones) || (thresholdsChanged && !state.athlete.thresholds)) {
        state.reset(this.defaults);
        this.notify(id);
      }
    }
  }

  /** Session start: every athlete's totals begin at zero. */
  resetTotals(): void {
    for (const state of this.states.values()) state.reset(this.defaults);
  }

  start(): void {
    this.timer = setInterval(() => this.updateSignals(), 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  ingest(athleteId: string, sensorId: string, reading: Reading, receivedAt: number): void {
    const state = this.states.get(athleteId);
    if (!state) return;
    this.readingsProcessed++;
    state.sensors.add(sensorId);
    switch (reading.stream) {
      case 'hr':
        state.hr.push({ t: reading.t, bpm: reading.bpm });
        state.rmssd.pushSample(reading);
        state.hrCache = null;
        break;
      case 'gnss': {
        const fix: Parameters<GnssAccumulator['push']>[0] = { t: reading.t, lat: reading.lat, lon: reading.lon };
        if (reading.speed !== undefined) fix.speed = reading.speed;
        if (reading.hdop !== undefined) fix.hdop = reading.hdop;
        if (reading.sats !== undefined) fix.sats = reading.sats;
        state.gnss.push(fix);
        state.gnssCache = null;
        break;
      }
      case 'imu':
        state.playerLoad.pushIncrement(reading.t, reading.playerLoad);
        break;
      case 'battery':
        state.batteryPct = reading.pct;
        break;
    }
    state.lastReadingT = Math.max(state.lastReadingT ?? reading.t, reading.t);
    state.lastArrival = receivedAt;
    state.signal = 'live';
    this.notify(athleteId);
  }

  private notify(athleteId: string): void {
    for (const listener of this.listeners) listener(athleteId);
  }

  /** Moves athletes to stale or lost when their sensors fall silent. */
  updateSignals(): void {
    const now = this.now();
    for (const [id, state] of this.states) {
      if (state.lastArrival === null) continue;
      const silentS = (now - state.lastArrival) / 1000;
      const next: SignalState = silentS >= this.options.lostAfterSeconds ? 'lost' : silentS >= this.options.staleAfterSeconds ? 'stale' : 'live';
      if (next !== state.signal) {
        state.signal = next;
        this.notify(id);
      }
    }
  }

  athlete(athleteId: string): LiveAthlete | undefined {
    const state = this.states.get(athleteId);
    return state ? this.view(state) : undefined;
  }

  all(): LiveAthlete[] {
    return [...this.states.values()].map((s) => this.view(s));
  }

  private view(state: AthleteState): LiveAthlete {
    const a = state.athlete;
    const hr = (state.hrCache ??= state.hr.summary());
    const g = (state.gnssCache ??= state.gnss.snapshot());
    return {
      id: a.id,
      name: a.name,
      number: a.number,
      position: a.position,
      group: a.group,
      t: state.lastReadingT,
      signal: state.signal,
      batteryPct: state.batteryPct,
      sensors: [...state.sensors],
      hr: {
        bpm: hr.bpm,
        percentHrMax: hr.percentHrMax,
        zone: hr.zone,
        secondsInZone: hr.secondsInZone,
        banisterTrimp: hr.banisterTrimp,
        edwardsTrimp: hr.edwardsTrimp,
        energyKcal: hr.energyKcal,
        meanBpm: hr.meanBpm,
        maxBpm: hr.maxBpm,
      },
      rmssdMs: state.rmssd.rmssdMs,
      gnss: {
        speed: g.speed,
        maxSpeed: g.maxSpeed,
        distanceM: g.distanceM,
        highSpeedRunningM: g.highSpeedRunning.distanceM,
        highSpeedRunningEfforts: g.highSpeedRunning.effortCount,
        sprintM: g.sprint.distanceM,
        sprintEfforts: g.sprint.effortCount,
        accelerations: g.accelerations.effortCount,
        decelerations: g.decelerations.effortCount,
        metabolicPower: g.metabolic.currentPower,
        averageMetabolicPower: g.metabolic.averagePower,
        equivalentDistanceM: g.metabolic.equivalentDistanceM,
      },
      playerLoad: state.playerLoad.snapshot().playerLoad,
    };
  }
}
