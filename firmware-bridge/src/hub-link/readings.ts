/**
 * Readings as the hub's ingest contract (docs/ingest.md) defines them, and the gate every reading
 * passes before it is queued: plausibility with the contract's own limits, so the bridge never
 * forwards a value the hub would refuse, and per-sensor flood control, so one babbling device
 * cannot crowd out the squad's data or the connection's message budget.
 */

export type BridgeReading =
  | { sensorId: string; stream: 'hr'; t: number; bpm: number; rr?: number[] }
  | { sensorId: string; stream: 'gnss'; t: number; lat: number; lon: number; speed?: number; hdop?: number; sats?: number }
  | { sensorId: string; stream: 'imu'; t: number; playerLoad: number }
  | { sensorId: string; stream: 'battery'; t: number; pct: number };

export type ReadingStream = BridgeReading['stream'];

export type RejectReason = 'bad-sensor-id' | 'implausible' | 'flood' | 'not-running';

export type PublishVerdict = { accepted: true; droppedRr: number } | { accepted: false; reason: RejectReason; message: string };

export const SENSOR_TOPIC_PREFIX = 'touchline/v1/sensors/';
export const SENSOR_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/** The contract's limits (docs/ingest.md, "Payloads"). */
export const INGEST_LIMITS = {
  bpm: [25, 250],
  rrMs: [200, 3000],
  rrPerMessage: 32,
  speed: [0, 15],
  hdop: [0, 99],
  sats: [0, 99],
  fixesPerMessage: 100,
  playerLoadIncrement: [0, 100],
  pct: [0, 100],
  maxClockSkewMs: 24 * 3600_000,
} as const;

/**
 * Most messages a device may produce per second on each stream, with two seconds of burst: ANT+
 * straps send 4 Hz, BLE straps ~1 Hz, GNSS pods up to 18–20 Hz, batteries rarely.
 */
export const FLOOD_LIMITS_PER_SECOND: Readonly<Record<ReadingStream, number>> = { hr: 5, gnss: 25, imu: 25, battery: 1 };
const FLOOD_BURST_SECONDS = 2;
/** Bounds the flood buckets, so invented sensor ids cannot grow memory. */
const MAX_TRACKED_STREAMS = 4096;

export function sensorTopic(sensorId: string, stream: ReadingStream): string {
  return `${SENSOR_TOPIC_PREFIX}${sensorId}/${stream}`;
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const within = (value: unknown, [min, max]: readonly [number, number]): boolean => finite(value) && value >= min && value <= max;
const optionalWithin = (value: unknown, range: readonly [number, number]): boolean => value === undefined || within(value, range);

/** Everything implausible about one reading, or undefined when the hub would accept it. */
function implausibility(reading: BridgeReading, now: number): string | undefined {
  if (!Number.isInteger(reading.t) || Math.abs(reading.t - now) > INGEST_LIMITS.maxClockSkewMs) return `time ${reading.t} is not within 24 h of the bridge clock`;
  switch (reading.stream) {
    case 'hr':
      return within(reading.bpm, INGEST_LIMITS.bpm) ? undefined : `heart rate ${reading.bpm} bpm is outside ${INGEST_LIMITS.bpm.join('–')}`;
    case 'gnss':
      if (!within(reading.lat, [-90, 90]) || !within(reading.lon, [-180, 180])) return `position ${reading.lat}, ${reading.lon} is off the globe`;
      if (!optionalWithin(reading.speed, INGEST_LIMITS.speed)) return `speed ${reading.speed} m/s is outside ${INGEST_LIMITS.speed.join('–')}`;
      if (!optionalWithin(reading.hdop, INGEST_LIMITS.hdop) || !optionalWithin(reading.sats, INGEST_LIMITS.sats)) return `hdop ${reading.hdop} or satellites ${reading.sats} out of range`;
      return undefined;
    case 'imu':
      return within(reading.playerLoad, INGEST_LIMITS.playerLoadIncrement) ? undefined : `PlayerLoad increment ${reading.playerLoad} is outside 0–100`;
    case 'battery':
      return within(reading.pct, INGEST_LIMITS.pct) ? undefined : `battery ${reading.pct} % is outside 0–100`;
  }
}

interface Bucket {
  tokens: number;
  at: number;
}

export interface GateResult {
  verdict: PublishVerdict;
  /** The reading as it may be published (RR intervals outside the contract removed). */
  reading?: BridgeReading;
}

/** Checks readings against the contract and per-sensor rates; O(1) per reading. */
export class ReadingGate {
  readonly #buckets = new Map<string, Bucket>();

  check(reading: BridgeReading, now: number): GateResult {
    if (!SENSOR_ID.test(reading.sensorId)) {
      return { verdict: { accepted: false, reason: 'bad-sensor-id', message: `sensor id "${String(reading.sensorId).slice(0, 80)}" must match [A-Za-z0-9_.:-]{1,64}` } };
    }
    const problem = implausibility(reading, now);
    if (problem) return { verdict: { accepted: false, reason: 'implausible', message: `${reading.sensorId}: ${problem}` } };
    if (!this.#take(`${reading.sensorId}/${reading.stream}`, FLOOD_LIMITS_PER_SECOND[reading.stream], now)) {
      return {
        verdict: { accepted: false, reason: 'flood', message: `${reading.sensorId} sent ${reading.stream} faster than ${FLOOD_LIMITS_PER_SECOND[reading.stream]}/s` },
      };
    }
    if (reading.stream !== 'hr' || reading.rr === undefined) return { verdict: { accepted: true, droppedRr: 0 }, reading };
    // One impossible interval (a strap's 0xFFFF placeholder, a missed beat) must not cost the heart rate.
    const rr = reading.rr.filter((ms) => within(ms, INGEST_LIMITS.rrMs));
    const kept = rr.slice(-INGEST_LIMITS.rrPerMessage);
    const clean: BridgeReading = { sensorId: reading.sensorId, stream: 'hr', t: reading.t, bpm: reading.bpm };
    if (kept.length > 0) clean.rr = kept;
    return { verdict: { accepted: true, droppedRr: reading.rr.length - kept.length }, reading: clean };
  }

  #take(key: string, perSecond: number, now: number): boolean {
    const capacity = perSecond * FLOOD_BURST_SECONDS;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= MAX_TRACKED_STREAMS) this.#buckets.delete(this.#buckets.keys().next().value!);
      bucket = { tokens: capacity, at: now };
      this.#buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(capacity, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
