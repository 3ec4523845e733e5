/**
 * The squad simulation without I/O: athletes moving through the session script, their heart rate,
 * and the messages their devices would publish, all from one seed. Time only moves when the caller
 * calls `advanceTo`, so tests run a whole session in a fraction of a second.
 */
import { TouchlineError, type LatLon } from '@touchline/core/metrics';
import { DROPOUT_SECONDS, MALFORMED_KINDS, malformedPayload, resolveFaultRates, type FaultRates, type MalformedKind, type SensorStream } from './faults.ts';
import { createMover, restMover, speedOf, staffMover, stepKinematics, type Kinematics, type Mover } from './movement.ts';
import { createHeart, effortDrive, heartRate, playerLoadRate, stepHeart, type Heart, type HeartProfile } from './physiology.ts';
import { DEFAULT_ORIGIN, checkOrigin, pitchToLatLon, PITCH_LENGTH_M } from './pitch.ts';
import { createRandom, type Random } from './random.ts';
import { DEFAULT_SESSION_SCRIPT, checkScript, phaseAt, type PhasePosition, type SessionPhase } from './session-script.ts';
import { SPARE_STRAP_ID, checkAthleteCount, checkSeed, demoSquad, type DemoAthlete } from './squad.ts';

/** The model's step: one GNSS fix and one IMU increment per pod per tick (10 Hz). */
export const TICK_MS = 100;
const TICK_S = TICK_MS / 1000;
const HR_EVERY_TICKS = 10;
const BATTERY_EVERY_TICKS = 300;
/** A strap reports heart rate averaged over its last few beats, as straps do. */
const BPM_AVERAGE_BEATS = 4;
/** The ingest contract's cap on RR intervals per `hr` message. */
const MAX_RR_PER_MESSAGE = 32;
export const DEFAULT_BATTERY_DRAIN_PCT_PER_MINUTE = 0.25;

export function sensorTopic(sensorId: string, stream: SensorStream): string {
  return `touchline/v1/sensors/${sensorId}/${stream}`;
}

export interface SimMessage {
  /** Measurement time, Unix ms. */
  t: number;
  sensorId: string;
  stream: SensorStream;
  topic: string;
  /** JSON text as published. */
  payload: string;
  /** Set when the payload was broken on purpose. */
  malformed?: MalformedKind;
}

export interface SimDevice {
  sensorId: string;
  kind: 'strap' | 'pod';
  streams: readonly SensorStream[];
  /** Shirt number of the athlete wearing it; null for the spare strap worn by staff. */
  athleteNumber: number | null;
}

/** The model's ground truth for one athlete, for tests and debugging. */
export interface AthleteTruth {
  number: number;
  /** Pitch metres (see pitch.ts). */
  x: number;
  y: number;
  vx: number;
  vy: number;
  ax: number;
  ay: number;
  speed: number;
  /** Heart rate (bpm) the beats are drawn from. */
  hr: number;
  hrRest: number;
  hrMax: number;
  /** PlayerLoad accumulated since the start (AU). */
  playerLoad: number;
}

export interface ModelCounters {
  messages: number;
  byStream: Record<SensorStream, number>;
  malformed: number;
  dropouts: number;
  /** Devices silent right now (dropout or flat battery). */
  silentDevices: number;
}

export interface SquadModelOptions {
  /** Unix ms of the model's first instant. */
  startTime: number;
  athletes?: number;
  seed?: number;
  origin?: LatLon;
  script?: readonly SessionPhase[];
  faults?: Partial<FaultRates>;
  /** Battery drain per device (percentage points per minute); batteries are recharged between sessions. */
  batteryDrainPctPerMinute?: number;
}

export interface SquadModel {
  readonly squad: readonly DemoAthlete[];
  readonly devices: readonly SimDevice[];
  readonly startTime: number;
  /** Time the model has reached (Unix ms). */
  readonly now: number;
  /** Where the session script stands at `now`. */
  readonly phase: PhasePosition;
  /** Runs the model up to `t` and returns every message measured in (now, t], in time order. */
  advanceTo(t: number): SimMessage[];
  truth(): AthleteTruth[];
  counters(): ModelCounters;
}

interface Person {
  body: Kinematics;
  heart: Heart;
  profile: HeartProfile;
  topSpeed: number;
  mover: Mover;
  rng: Random;
  heartRng: Random;
  /** RR intervals since the strap last published. */
  pendingRr: number[];
  recentRr: number[];
  /** PlayerLoad of the last tick and in total (AU). */
  tickPlayerLoad: number;
  playerLoad: number;
}

interface Device {
  info: SimDevice;
  person: Person;
  rng: Random;
  /** Tick offset that spreads devices' 1 Hz and 30 s messages over time. */
  offset: number;
  battery: number;
  silentUntil: number;
  /** Slowly wandering GNSS position error (m), its scale, and the receiver's hdop and satellites. */
  errorEast: number;
  errorNorth: number;
  errorSd: number;
  hdop: number;
  sats: number;
}

const STAFF_PROFILE: HeartProfile = Object.freeze({ hrRest: 62, hrMax: 180, rmssdRest: 35, effortFactor: 1 });
/** GNSS error wanders with a correlation time of seconds (multipath, atmosphere), not as white noise. */
const GNSS_ERROR_TAU_S = 10;

function checkNonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `${name} must be a finite number ≥ 0, got ${String(value)}`, { argument: name });
  }
  return value;
}

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

export function createSquadModel(options: SquadModelOptions): SquadModel {
  const startTime = options?.startTime;
  if (typeof startTime !== 'number' || !Number.isSafeInteger(startTime)) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `startTime must be Unix milliseconds (an integer), got ${String(startTime)}`, {
      argument: 'startTime',
    });
  }
  const count = checkAthleteCount(options.athletes ?? 24);
  const seed = checkSeed(options.seed ?? 1);
  const origin = checkOrigin(options.origin ?? DEFAULT_ORIGIN);
  const script = checkScript(options.script ?? DEFAULT_SESSION_SCRIPT);
  const faults = resolveFaultRates(options.faults);
  const drainPerTick = (checkNonNegative(options.batteryDrainPctPerMinute ?? DEFAULT_BATTERY_DRAIN_PCT_PER_MINUTE, 'batteryDrainPctPerMinute') * TICK_S) / 60;

  const squad = demoSquad(count, seed);
  const root = createRandom(seed, 'session');
  const faultRng = root.fork('faults');

  const newPerson = (label: string, profile: HeartProfile, topSpeed: number): Person => {
    const rng = root.fork(`${label}/movement`);
    const heartRng = root.fork(`${label}/heart`);
    const body: Kinematics = { x: PITCH_LENGTH_M / 2 + rng.uniform(-8, 8), y: rng.uniform(-3, 0), vx: 0, vy: 0, ax: 0, ay: 0 };
    return {
      body,
      heart: createHeart(profile, startTime, heartRng),
      profile,
      topSpeed,
      mover: restMover(rng, topSpeed),
      rng,
      heartRng,
      pendingRr: [],
      recentRr: [],
      tickPlayerLoad: 0,
      playerLoad: 0,
    };
  };

  const athletes = squad.map((athlete, i) => {
    const traits = root.fork(`athlete-${i}/traits`);
    const topSpeed = athlete.sex === 'male' ? traits.uniform(7.4, 9) : traits.uniform(7.1, 8.2);
    const rmssdRest = Math.min(130, Math.max(25, Math.exp(traits.normal(Math.log(60), 0.35))));
    const profile: HeartProfile = { hrRest: athlete.hrRest, hrMax: athlete.hrMax, rmssdRest, effortFactor: traits.uniform(0.92, 1.08) };
    return newPerson(`athlete-${i}`, profile, topSpeed);
  });
  const staff = newPerson('staff', STAFF_PROFILE, 2);
  staff.mover = staffMover(staff.rng);

  const devices: Device[] = [];
  const addDevice = (info: SimDevice, person: Person): void => {
    const rng = root.fork(`device/${info.sensorId}`);
    devices.push({
      info,
      person,
      rng,
      offset: devices.length,
      battery: rng.uniform(70, 100),
      silentUntil: 0,
      errorEast: 0,
      errorNorth: 0,
      errorSd: rng.uniform(0.25, 0.6),
      hdop: rng.uniform(0.7, 1),
      sats: rng.int(11, 16),
    });
  };
  squad.forEach((athlete, i) => {
    const person = athletes[i]!;
    addDevice({ sensorId: athlete.hrSensorId, kind: 'strap', streams: ['hr', 'battery'], athleteNumber: athlete.number }, person);
    addDevice({ sensorId: athlete.podSensorId, kind: 'pod', streams: ['gnss', 'imu', 'battery'], athleteNumber: athlete.number }, person);
  });
  addDevice({ sensorId: SPARE_STRAP_ID, kind: 'strap', streams: ['hr', 'battery'], athleteNumber: null }, staff);

  let tick = 0;
  let phase = phaseAt(script, 0);
  const counters: ModelCounters = { messages: 0, byStream: { hr: 0, gnss: 0, imu: 0, battery: 0 }, malformed: 0, dropouts: 0, silentDevices: 0 };

  const enterPhase = (next: PhasePosition): void => {
    if (next.session !== phase.session) {
      // Devices go on charge between sessions.
      for (const device of devices) device.battery = device.rng.uniform(85, 100);
    }
    phase = next;
    athletes.forEach((person, index) => {
      person.mover = createMover({ kind: next.phase.kind, phaseDurationS: next.phase.durationS, index, count, topSpeed: person.topSpeed, rng: person.rng }, person.body);
    });
  };

  const movePerson = (person: Person, elapsedS: number, endMs: number): void => {
    stepKinematics(person.body, person.mover.desired(person.body, elapsedS), person.topSpeed, TICK_S);
    const speed = speedOf(person.body);
    const acceleration = Math.hypot(person.body.ax, person.body.ay);
    const beats = stepHeart(person.heart, person.profile, effortDrive(speed, acceleration, person.profile.effortFactor), TICK_S, endMs, person.heartRng);
    for (const rr of beats) {
      person.pendingRr.push(rr);
      person.recentRr.push(rr);
      if (person.recentRr.length > BPM_AVERAGE_BEATS) person.recentRr.shift();
    }
    // Accelerometer noise and stride variability: ±15 % log-normal scatter per tick.
    person.tickPlayerLoad = ((playerLoadRate(speed, acceleration) * TICK_S) / 60) * Math.exp(person.heartRng.normal(0, 0.15));
    person.playerLoad += person.tickPlayerLoad;
  };

  const gnssFix = (device: Device, t: number): Record<string, number> => {
    const { body } = device.person;
    const decay = Math.exp(-TICK_S / GNSS_ERROR_TAU_S);
    const innovation = device.errorSd * Math.sqrt(1 - decay * decay);
    device.errorEast = device.errorEast * decay + device.rng.normal(0, innovation);
    device.errorNorth = device.errorNorth * decay + device.rng.normal(0, innovation);
    device.hdop = Math.min(1.2, Math.max(0.6, device.hdop + device.rng.normal(0, 0.01)));
    if (device.rng.chance(0.002)) device.sats = Math.min(18, Math.max(10, device.sats + device.rng.pick([-1, 1])));
    const position = pitchToLatLon(origin, {
      x: body.x + device.errorEast + device.rng.normal(0, 0.03),
      y: body.y + device.errorNorth + device.rng.normal(0, 0.03),
    });
    // Doppler speed is far less noisy than position differences: a few cm/s.
    const speed = Math.max(0, speedOf(body) + device.rng.normal(0, 0.06));
    return { t, lat: round(position.lat, 7), lon: round(position.lon, 7), speed: round(speed, 2), hdop: round(device.hdop, 1), sats: device.sats };
  };

  const hrReading = (device: Device, t: number): Record<string, unknown> => {
    const { person } = device;
    const recent = person.recentRr;
    const bpm = recent.length > 0 ? 60000 / (recent.reduce((a, b) => a + b, 0) / recent.length) : heartRate(person.heart, person.profile);
    const reading: Record<string, unknown> = { t, bpm: Math.round(bpm) };
    if (person.pendingRr.length > 0) reading.rr = person.pendingRr.slice(-MAX_RR_PER_MESSAGE);
    person.pendingRr = [];
    return reading;
  };

  const emit = (out: SimMessage[], device: Device, stream: SensorStream, payload: Record<string, unknown>): void => {
    const message: SimMessage = { t: payload.t as number, sensorId: device.info.sensorId, stream, topic: sensorTopic(device.info.sensorId, stream), payload: '' };
    if (faultRng.chance(faults.malformedRate)) {
      message.malformed = faultRng.pick(MALFORMED_KINDS);
      message.payload = malformedPayload(stream, payload, message.malformed, faultRng);
      counters.malformed++;
    } else {
      message.payload = JSON.stringify(payload);
    }
    counters.messages++;
    counters.byStream[stream]++;
    out.push(message);
  };

  const publishDevice = (out: SimMessage[], device: Device, t: number): void => {
    device.battery = Math.max(0, device.battery - drainPerTick);
    const silent = t < device.silentUntil || device.battery <= 0;
    if (!silent && faultRng.chance(faults.dropoutRate * TICK_S)) {
      device.silentUntil = t + Math.round(faultRng.uniform(...DROPOUT_SECONDS) * 1000);
      counters.dropouts++;
    }
    if (silent || t < device.silentUntil) {
      // Whatever the device measured while out of touch is lost with it.
      if (device.info.kind === 'strap') {
        device.person.pendingRr = [];
        device.person.recentRr = [];
      }
      return;
    }
    const phaseTick = tick + device.offset;
    if (device.info.kind === 'pod') {
      emit(out, device, 'gnss', gnssFix(device, t));
      emit(out, device, 'imu', { t, playerLoad: round(device.person.tickPlayerLoad, 5) });
    } else if (phaseTick % HR_EVERY_TICKS === 0) {
      emit(out, device, 'hr', hrReading(device, t));
    }
    if (tick === 1 || phaseTick % BATTERY_EVERY_TICKS === 0) emit(out, device, 'battery', { t, pct: Math.round(device.battery) });
  };

  const step = (out: SimMessage[]): void => {
    const elapsedS = tick * TICK_S;
    const position = phaseAt(script, elapsedS);
    if (position.index !== phase.index || position.session !== phase.session || tick === 0) enterPhase(position);
    else phase = position;
    tick++;
    const t = startTime + tick * TICK_MS;
    for (const person of athletes) movePerson(person, phase.elapsedS, t);
    movePerson(staff, elapsedS, t);
    for (const device of devices) publishDevice(out, device, t);
    counters.silentDevices = devices.reduce((n, d) => n + (t < d.silentUntil || d.battery <= 0 ? 1 : 0), 0);
  };

  return {
    squad,
    devices: devices.map((d) => d.info),
    startTime,
    get now() {
      return startTime + tick * TICK_MS;
    },
    get phase() {
      return phaseAt(script, tick * TICK_S);
    },
    advanceTo(t) {
      if (typeof t !== 'number' || !Number.isFinite(t)) {
        throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `advanceTo needs a time in Unix ms, got ${String(t)}`, { argument: 't' });
      }
      const out: SimMessage[] = [];
      while (startTime + (tick + 1) * TICK_MS <= t) step(out);
      return out;
    },
    truth() {
      return athletes.map((person, i) => ({
        number: squad[i]!.number,
        x: person.body.x,
        y: person.body.y,
        vx: person.body.vx,
        vy: person.body.vy,
        ax: person.body.ax,
        ay: person.body.ay,
        speed: speedOf(person.body),
        hr: heartRate(person.heart, person.profile),
        hrRest: person.profile.hrRest,
        hrMax: person.profile.hrMax,
        playerLoad: person.playerLoad,
      }));
    },
    counters: () => ({ ...counters, byStream: { ...counters.byStream } }),
  };
}
