/**
 * FIT activity files through Garmin's own decoder (@garmin/fitsdk), which applies the FIT profile's
 * scales, offsets, components and accumulation. Developer fields are decoded by the SDK and not read
 * here. Positions are stored in semicircles: degrees = semicircles × 180 / 2^31 (FIT Profile, type
 * `sint32` position fields; https://developer.garmin.com/fit/cookbook/decoding-activity-files/).
 */
import { Decoder, Stream, type LapMesg, type RecordMesg, type SessionMesg } from '@garmin/fitsdk';
import { TouchlineError } from '../errors.ts';
import { expandCompressedTimestamps } from './fit-compressed-timestamps.ts';
import { assembleWorkout, compactRecord, hasMeasurement, sportOfSessions, type Workout, type WorkoutSegment } from './workout.ts';

const DEGREES_PER_SEMICIRCLE = 180 / 2 ** 31;

/**
 * FIT `date_time` counts seconds from 1989-12-31T00:00:00Z, but values below 0x10000000 are "system
 * time (seconds from device power on)" (FIT Profile, type date_time), written by devices that had no
 * clock fix. A file whose records start there gets an elapsed time base instead of a date in 1990.
 */
const FIT_EPOCH_MS = Date.UTC(1989, 11, 31);
const SYSTEM_TIME_LIMIT_MS = FIT_EPOCH_MS + 0x10000000 * 1000;

/** True when the bytes start with a FIT file header (size 12 or 14, ".FIT" at bytes 8–11). */
export function looksLikeFit(bytes: Uint8Array): boolean {
  return (bytes[0] === 12 || bytes[0] === 14) && bytes.length >= 12 && String.fromCharCode(...bytes.subarray(8, 12)) === '.FIT';
}

function degrees(semicircles: number | undefined): number | undefined {
  return semicircles === undefined ? undefined : semicircles * DEGREES_PER_SEMICIRCLE;
}

function time(value: unknown): number | undefined {
  return value instanceof Date && Number.isFinite(value.getTime()) ? value.getTime() : undefined;
}

function sportName(sport: unknown): string | undefined {
  return typeof sport === 'string' ? sport : undefined;
}

/**
 * Speed and distance from `compressed_speed_distance` (record field 8, FIT Profile `Profile.xlsx`):
 * three bytes, least significant bit first: bits 0–11 speed in 1/100 m/s, bits 12–23 distance in
 * 1/16 m as a counter that rolls over every 4096 (256 m), so distance is accumulated from the first
 * value. Decoded here rather than by fitsdk's component expansion, which returns e.g. 2.029 m/s for a
 * raw 203 because it rescales through 2.03 × 1000 in floating point.
 */
export function createCompressedSpeedDistanceDecoder() {
  let lastRaw: number | undefined;
  let total = 0;
  return (bytes: readonly (number | null)[]): { speed: number; distance: number } | undefined => {
    const [b0, b1, b2] = bytes;
    if (typeof b0 !== 'number' || typeof b1 !== 'number' || typeof b2 !== 'number' || (b0 & b1 & b2) === 0xff) return undefined;
    const distanceRaw = (b1 >> 4) | (b2 << 4);
    total = lastRaw === undefined ? distanceRaw : total + ((distanceRaw - lastRaw) & 0xfff);
    lastRaw = distanceRaw;
    return { speed: (b0 | ((b1 & 0x0f) << 8)) / 100, distance: total / 16 };
  };
}

function toRecord(m: RecordMesg, t: number, compressed: ReturnType<typeof createCompressedSpeedDistanceDecoder>) {
  const packed = Array.isArray(m.compressedSpeedDistance) ? compressed(m.compressedSpeedDistance) : undefined;
  return compactRecord({
    t,
    hr: m.heartRate,
    lat: degrees(m.positionLat),
    lon: degrees(m.positionLong),
    speed: packed?.speed ?? m.enhancedSpeed ?? m.speed,
    distance: packed?.distance ?? m.distance,
    altitude: m.enhancedAltitude ?? m.altitude,
    cadence: m.cadence,
    power: m.power,
  });
}

function toSegment(m: LapMesg | SessionMesg): WorkoutSegment | undefined {
  const start = time(m.startTime);
  const end = time(m.timestamp);
  if (start === undefined || end === undefined) return undefined;
  const segment: WorkoutSegment = { start, end };
  if (typeof m.totalElapsedTime === 'number') segment.elapsedS = m.totalElapsedTime;
  if (typeof m.totalTimerTime === 'number') segment.timerS = m.totalTimerTime;
  if (typeof m.totalDistance === 'number') segment.distanceM = m.totalDistance;
  if (typeof m.avgHeartRate === 'number') segment.avgHr = m.avgHeartRate;
  if (typeof m.maxHeartRate === 'number') segment.maxHr = m.maxHeartRate;
  const sport = sportName(m.sport);
  if (sport) segment.sport = sport;
  return segment;
}

export function importFit(bytes: Uint8Array): Workout {
  const size = { bytes: bytes.length };
  const decoder = new Decoder(Stream.fromByteArray(bytes));
  if (!decoder.isFIT()) {
    throw new TouchlineError('TL_ERR_FIT_CORRUPT', 'Not a FIT file: the 12- or 14-byte header with ".FIT" is missing or the file is shorter than a header.', size);
  }
  if (!decoder.checkIntegrity()) {
    throw new TouchlineError('TL_ERR_FIT_CORRUPT', 'The FIT file is truncated or its CRC does not match: it was cut short or damaged in transfer.', size);
  }
  const expanded = expandCompressedTimestamps(bytes);
  const { messages, errors } = (expanded === bytes ? decoder : new Decoder(Stream.fromByteArray(expanded))).read();
  if (errors.length > 0) {
    throw new TouchlineError('TL_ERR_FIT_CORRUPT', `The FIT file could not be decoded: ${errors[0]!.message}`, { ...size, errors: errors.map((e) => e.message) });
  }

  const compressed = createCompressedSpeedDistanceDecoder();
  const records = (messages.recordMesgs ?? []).flatMap((m) => {
    const t = time(m.timestamp);
    return t === undefined ? [] : [toRecord(m, t, compressed)];
  }).filter(hasMeasurement);
  if (records.length === 0) {
    throw new TouchlineError('TL_ERR_FIT_NO_RECORDS', 'The FIT file holds no timestamped records with heart rate, position, speed, distance, altitude, cadence or power (it may be a course, workout plan or settings file).', {
      fileType: messages.fileIdMesgs?.[0]?.type,
    });
  }
  const sessions = (messages.sessionMesgs ?? []).flatMap((m) => toSegment(m) ?? []);
  const laps = (messages.lapMesgs ?? []).flatMap((m) => toSegment(m) ?? []);
  // FIT stores RR in seconds with a scale of 1000; 0xFFFF (null after decoding) pads unused slots.
  const rr = (messages.hrvMesgs ?? []).flatMap((m) => (m.time ?? []).filter((s) => typeof s === 'number').map((s) => Math.round(s * 1000)));

  const offset = records[0]!.t < SYSTEM_TIME_LIMIT_MS ? FIT_EPOCH_MS : 0;
  const shift = (segment: WorkoutSegment) => ({ ...segment, start: segment.start - offset, end: segment.end - offset });
  return assembleWorkout({
    format: 'fit',
    sport: sportOfSessions(sessions, sportName(messages.sportMesgs?.[0]?.sport)),
    timeBase: offset === 0 ? 'unix' : 'elapsed',
    records: records.map((r) => ({ ...r, t: r.t - offset })),
    laps: laps.map(shift),
    sessions: sessions.map(shift),
    rr,
  });
}
