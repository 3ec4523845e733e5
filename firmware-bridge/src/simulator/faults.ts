/**
 * Faults real devices produce, at configurable rates, so the hub's validation, counters and
 * staleness handling have something to do: dropouts (a device falls silent for a while) and
 * malformed messages the ingest contract must reject.
 */
import { TouchlineError } from '@touchline/core/metrics';
import type { Random } from './random.ts';

export type SensorStream = 'hr' | 'gnss' | 'imu' | 'battery';

export const MALFORMED_KINDS = ['bad-json', 'out-of-range', 'wrong-type', 'missing-field'] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

export interface FaultRates {
  /** Fraction of messages sent malformed instead of well-formed (0..1). */
  malformedRate: number;
  /**
   * Chance per device per second of simulated time that the device falls silent for 5–40 s. Per
   * second rather than per message, so that a 10 Hz pod drops out as often as a 1 Hz strap.
   */
  dropoutRate: number;
}

export const DEFAULT_FAULT_RATES: Readonly<FaultRates> = Object.freeze({ malformedRate: 0.001, dropoutRate: 0.0005 });
export const DROPOUT_SECONDS: readonly [number, number] = [5, 40];

export function resolveFaultRates(faults: Partial<FaultRates> | undefined): FaultRates {
  const rates = { ...DEFAULT_FAULT_RATES, ...faults };
  for (const key of ['malformedRate', 'dropoutRate'] as const) {
    const value = rates[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
      throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `faults.${key} must be a number 0..1, got ${String(value)}`, { argument: key });
    }
  }
  return rates;
}

type Payload = Record<string, unknown>;
type Mutation = (payload: Payload, rng: Random) => void;

const OUT_OF_RANGE: Record<SensorStream, readonly Mutation[]> = {
  hr: [
    (p) => (p.bpm = 0),
    (p, rng) => (p.bpm = rng.int(300, 400)),
    (p) => (p.rr = [50]),
    (p) => (p.rr = [5000]),
    (p, rng) => (p.rr = Array.from({ length: 40 }, () => rng.int(400, 900))),
  ],
  gnss: [
    (p, rng) => (p.lat = rng.uniform(91, 180)),
    (p, rng) => (p.lon = rng.uniform(181, 360)),
    (p, rng) => (p.speed = rng.uniform(20, 60)),
    (p) => (p.speed = -1),
    (p) => (p.hdop = -1),
    (p) => (p.sats = -1),
  ],
  imu: [(p) => (p.playerLoad = -0.5), (p, rng) => (p.playerLoad = rng.uniform(101, 1000))],
  battery: [(p, rng) => (p.pct = rng.int(101, 200)), (p) => (p.pct = -5)],
};

const WRONG_TYPE: Record<SensorStream, readonly Mutation[]> = {
  hr: [(p) => (p.bpm = String(p.bpm)), (p) => (p.rr = '412,398'), (p) => (p.rr = ['412', '398'])],
  gnss: [(p) => (p.lat = String(p.lat)), (p) => (p.speed = 'fast'), (p) => (p.sats = [p.sats])],
  imu: [(p) => (p.playerLoad = String(p.playerLoad)), (p) => (p.playerLoad = { value: p.playerLoad })],
  battery: [(p) => (p.pct = `${String(p.pct)}%`), (p) => (p.pct = true)],
};

const REQUIRED: Record<SensorStream, readonly string[]> = { hr: ['bpm'], gnss: ['lat', 'lon'], imu: ['playerLoad'], battery: ['pct'] };

/** A timestamp as a date string instead of Unix milliseconds: wrong for every stream. */
const wrongTime: Mutation = (p) => (p.t = new Date(p.t as number).toISOString());

/** The JSON text of `payload` for `stream`, broken in the way `kind` names. */
export function malformedPayload(stream: SensorStream, payload: Readonly<Payload>, kind: MalformedKind, rng: Random): string {
  const broken: Payload = { ...payload };
  switch (kind) {
    case 'bad-json': {
      const text = JSON.stringify(broken);
      // Any strict prefix of an object's JSON text lacks its closing brace.
      return rng.chance(0.5) ? text.slice(0, text.length - rng.int(1, Math.min(8, text.length - 1))) : text.replaceAll('"', "'");
    }
    case 'out-of-range':
      rng.pick(OUT_OF_RANGE[stream])(broken, rng);
      break;
    case 'wrong-type':
      rng.pick([...WRONG_TYPE[stream], wrongTime])(broken, rng);
      break;
    case 'missing-field':
      delete broken[rng.pick(REQUIRED[stream])];
      break;
  }
  return JSON.stringify(broken);
}
