/**
 * The public MQTT ingest contract (docs/ingest.md): topic grammar and payload validation.
 * Validators are hand-written rather than schema-compiled because they run for every message and
 * must name the offending field in the reject reason.
 */
import { playerLoadStep, TouchlineError, type AccelSample, type ErrorCode } from '@touchline/core/metrics';

export const SENSOR_TOPIC_PREFIX = 'touchline/v1/sensors/';
export const STREAMS = ['hr', 'gnss', 'imu', 'battery', 'raw/ble-hrm'] as const;
export type StreamName = (typeof STREAMS)[number];
const SENSOR_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Plausibility limits. Values outside them are sensor faults, not athletes. */
export const LIMITS = {
  bpm: [25, 250],
  rrMs: [200, 3000],
  rrPerMessage: 32,
  speed: [0, 15],
  hdop: [0, 99],
  sats: [0, 99],
  fixesPerMessage: 100,
  imuHz: [1, 2000],
  accG: 32,
  accRowsPerMessage: 2000,
  playerLoadIncrement: [0, 100],
  /** Measurement times further from the hub clock than this are refused (a device clock fault). */
  maxClockSkewMs: 24 * 3600_000,
} as const;

export interface HrReading { stream: 'hr'; t: number; bpm: number; rr: number[] }
export interface GnssReading { stream: 'gnss'; t: number; lat: number; lon: number; speed?: number; hdop?: number; sats?: number }
export interface ImuReading { stream: 'imu'; t: number; playerLoad: number }
export interface BatteryReading { stream: 'battery'; t: number; pct: number }
export type Reading = HrReading | GnssReading | ImuReading | BatteryReading;
export type ReadingStream = Reading['stream'];

export class IngestReject extends TouchlineError {
  constructor(code: ErrorCode, message: string) {
    super(code, message);
    this.name = 'IngestReject';
  }
}

export function parseTopic(topic: string): { sensorId: string; stream: StreamName } {
  if (!topic.startsWith(SENSOR_TOPIC_PREFIX)) throw new IngestReject('TL_ERR_INGEST_TOPIC', `topic "${topic.slice(0, 120)}" is outside touchline/v1/sensors/`);
  const rest = topic.slice(SENSOR_TOPIC_PREFIX.length);
  const slash = rest.indexOf('/');
  const sensorId = slash < 0 ? rest : rest.slice(0, slash);
  const stream = slash < 0 ? '' : rest.slice(slash + 1);
  if (!SENSOR_ID.test(sensorId)) throw new IngestReject('TL_ERR_INGEST_TOPIC', `sensor id "${sensorId.slice(0, 80)}" must match [A-Za-z0-9_.:-]{1,64}`);
  if (!(STREAMS as readonly string[]).includes(stream)) throw new IngestReject('TL_ERR_INGEST_TOPIC', `unknown stream "${stream.slice(0, 40)}"; expected one of ${STREAMS.join(', ')}`);
  return { sensorId, stream: stream as StreamName };
}

type Json = Record<string, unknown>;

function fail(message: string): never {
  throw new IngestReject('TL_ERR_INGEST_SCHEMA', message);
}

function num(obj: Json, key: string, [min, max]: readonly [number, number], required: true): number;
function num(obj: Json, key: string, range: readonly [number, number], required: false): number | undefined;
function num(obj: Json, key: string, [min, max]: readonly [number, number], required: boolean): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) {
    if (required) fail(`"${key}" is required`);
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`"${key}" must be a number`);
  if (v < min || v > max) fail(`"${key}" ${v} is outside ${min}..${max}`);
  return v;
}

function time(obj: Json, now: number): number {
  const t = obj.t;
  if (t === undefined || t === null) return now;
  if (typeof t !== 'number' || !Number.isInteger(t)) fail('"t" must be Unix milliseconds (an integer)');
  if (Math.abs(t - now) > LIMITS.maxClockSkewMs) fail(`"t" ${t} is more than 24 h from the hub clock; check the device clock`);
  return t;
}

function parseJson(payload: Buffer): Json {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new IngestReject('TL_ERR_INGEST_JSON', 'payload is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new IngestReject('TL_ERR_INGEST_JSON', 'payload must be a JSON object');
  return value as Json;
}

function parseHr(obj: Json, now: number): HrReading[] {
  const t = time(obj, now);
  const bpm = num(obj, 'bpm', LIMITS.bpm, true);
  const rrRaw = obj.rr ?? [];
  if (!Array.isArray(rrRaw)) fail('"rr" must be an array of milliseconds');
  if (rrRaw.length > LIMITS.rrPerMessage) fail(`"rr" holds ${rrRaw.length} values; at most ${LIMITS.rrPerMessage}`);
  const rr = rrRaw.map((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < LIMITS.rrMs[0] || v > LIMITS.rrMs[1]) fail(`"rr[${i}]" must be ${LIMITS.rrMs[0]}..${LIMITS.rrMs[1]} ms`);
    return v;
  });
  return [{ stream: 'hr', t, bpm: Math.round(bpm), rr }];
}

function parseFix(obj: Json, now: number, where: string): GnssReading {
  try {
    const reading: GnssReading = { stream: 'gnss', t: time(obj, now), lat: num(obj, 'lat', [-90, 90], true), lon: num(obj, 'lon', [-180, 180], true) };
    const speed = num(obj, 'speed', LIMITS.speed, false);
    const hdop = num(obj, 'hdop', LIMITS.hdop, false);
    const sats = num(obj, 'sats', LIMITS.sats, false);
    if (speed !== undefined) reading.speed = speed;
    if (hdop !== undefined) reading.hdop = hdop;
    if (sats !== undefined) reading.sats = sats;
    return reading;
  } catch (err) {
    if (err instanceof IngestReject && where) throw new IngestReject(err.code, `${where}: ${err.message}`);
    throw err;
  }
}

function parseGnss(obj: Json, now: number): GnssReading[] {
  if (obj.fixes === undefined) return [parseFix(obj, now, '')];
  if (!Array.isArray(obj.fixes) || obj.fixes.length === 0) fail('"fixes" must be a non-empty array');
  if (obj.fixes.length > LIMITS.fixesPerMessage) fail(`"fixes" holds ${obj.fixes.length} fixes; at most ${LIMITS.fixesPerMessage}`);
  return obj.fixes.map((fix, i) => {
    if (typeof fix !== 'object' || fix === null) fail(`"fixes[${i}]" must be an object`);
    return parseFix(fix as Json, now, `fixes[${i}]`);
  });
}

/** PlayerLoad of one packet of raw rows, through core's definition (Boyd, Ball & Aughey 2011). */
function playerLoadOfRows(rows: unknown[]): number {
  let load = 0;
  let prev: AccelSample | undefined;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!Array.isArray(row) || row.length !== 3 || !row.every((v) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= LIMITS.accG)) {
      fail(`"acc[${i}]" must be [x, y, z] in g within ±${LIMITS.accG}`);
    }
    const cur: AccelSample = { t: i, x: row[0] as number, y: row[1] as number, z: row[2] as number };
    if (prev) load += playerLoadStep(prev, cur);
    prev = cur;
  }
  return load;
}

function parseImu(obj: Json, now: number): ImuReading[] {
  const t = time(obj, now);
  if (obj.playerLoad !== undefined) return [{ stream: 'imu', t, playerLoad: num(obj, 'playerLoad', LIMITS.playerLoadIncrement, true) }];
  num(obj, 'hz', LIMITS.imuHz, true);
  if (!Array.isArray(obj.acc) || obj.acc.length === 0) fail('"acc" must be a non-empty array of [x, y, z] rows, or send "playerLoad"');
  if (obj.acc.length > LIMITS.accRowsPerMessage) fail(`"acc" holds ${obj.acc.length} rows; at most ${LIMITS.accRowsPerMessage}`);
  return [{ stream: 'imu', t, playerLoad: playerLoadOfRows(obj.acc) }];
}

function parseBattery(obj: Json, now: number): BatteryReading[] {
  return [{ stream: 'battery', t: time(obj, now), pct: Math.round(num(obj, 'pct', [0, 100], true)) }];
}

export type RawBleDecoder = (bytes: Uint8Array) => { bpm: number; rrMs: number[] };

/** Validates one payload of a known stream; throws IngestReject naming the fault. */
export function parseReadings(stream: StreamName, payload: Buffer, now: number, decodeBleHrm: RawBleDecoder): Reading[] {
  if (stream === 'raw/ble-hrm') {
    let decoded: { bpm: number; rrMs: number[] };
    try {
      decoded = decodeBleHrm(payload);
    } catch (err) {
      throw new IngestReject('TL_ERR_INGEST_SCHEMA', `BLE heart-rate bytes: ${(err as Error).message}`);
    }
    return parseHr({ bpm: decoded.bpm, rr: decoded.rrMs.map((v) => Math.round(v)) }, now);
  }
  const obj = parseJson(payload);
  switch (stream) {
    case 'hr':
      return parseHr(obj, now);
    case 'gnss':
      return parseGnss(obj, now);
    case 'imu':
      return parseImu(obj, now);
    case 'battery':
      return parseBattery(obj, now);
  }
}
