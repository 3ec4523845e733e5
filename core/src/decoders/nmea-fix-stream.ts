/**
 * Serial NMEA → GnssFix, for a GNSS pod on a serial port. A receiver reports each epoch in several
 * sentences: RMC has the date and speed, GGA the fix quality, satellites, HDOP and altitude. This
 * joins the sentences of one epoch (same UTC time of day) into one fix, dates GGA-only epochs from
 * the last RMC date (or a date the caller gives), and counts rather than throws on bad input so a
 * noisy line never stops the stream.
 */
import { isTouchlineError } from '../errors.ts';
import type { GnssFix } from '../types.ts';
import { NmeaLineSplitter, parseNmeaSentence, type NmeaGga, type NmeaRmc } from './nmea.ts';

const DAY_MS = 86_400_000;

export interface NmeaFixStreamOptions {
  /** UTC midnight (Unix ms) of the session's first day, for receivers that send GGA but no RMC. */
  dayStartMs?: number;
  maxLineLength?: number;
}

export interface NmeaFixStreamStats {
  sentences: number;
  fixes: number;
  checksumErrors: number;
  malformed: number;
  /** Valid sentences of other types (GSA, GSV, VTG…), ignored. */
  otherSentences: number;
  /** Epochs the receiver marked as having no fix (RMC status V, GGA quality 0) or without a position. */
  noFix: number;
  /** Epochs dropped because no date was known yet (GGA only, before any RMC or dayStartMs). */
  undated: number;
  /** Repeats of a sentence type within one epoch, or sentences of an epoch already emitted. */
  skippedSentences: number;
}

interface Epoch {
  timeOfDayMs: number;
  gga?: NmeaGga;
  rmc?: NmeaRmc;
}

export class NmeaFixStream {
  readonly stats: NmeaFixStreamStats = {
    sentences: 0,
    fixes: 0,
    checksumErrors: 0,
    malformed: 0,
    otherSentences: 0,
    noFix: 0,
    undated: 0,
    skippedSentences: 0,
  };
  readonly splitter: NmeaLineSplitter;
  #pending: Epoch | undefined;
  #lastEmitted: number | undefined;
  /**
   * Which sentence types this receiver sends, so an epoch is complete as soon as all have come. Known
   * only after a first epoch has ended: until then an epoch waits for the next one to begin.
   */
  readonly #sends = { gga: false, rmc: false, known: false };
  /** The current UTC day, carried across midnight by watching the time of day wrap. */
  #day: { startMs: number; lastTimeOfDayMs: number } | undefined;

  constructor(options: NmeaFixStreamOptions = {}) {
    this.splitter = new NmeaLineSplitter(options.maxLineLength);
    if (options.dayStartMs !== undefined) this.#day = { startMs: options.dayStartMs, lastTimeOfDayMs: 0 };
  }

  /** Feeds one serial read (bytes or text); returns the fixes it completed. */
  push(chunk: string | Uint8Array): GnssFix[] {
    const fixes: GnssFix[] = [];
    for (const line of this.splitter.push(chunk)) this.#line(line, fixes);
    return fixes;
  }

  /** Ends the stream: processes a final unterminated line and emits the epoch still held. */
  flush(): GnssFix[] {
    const fixes: GnssFix[] = [];
    for (const line of this.splitter.flush()) this.#line(line, fixes);
    if (this.#pending) this.#emit(this.#pending, fixes);
    this.#pending = undefined;
    return fixes;
  }

  #line(line: string, fixes: GnssFix[]): void {
    let sentence;
    try {
      sentence = parseNmeaSentence(line);
    } catch (err) {
      if (!isTouchlineError(err)) throw err;
      if (err.detail?.reason === 'checksum') this.stats.checksumErrors++;
      else this.stats.malformed++;
      return;
    }
    this.stats.sentences++;
    if (sentence.kind === 'other') {
      this.stats.otherSentences++;
      return;
    }
    const timeOfDayMs = sentence.timeOfDayMs;
    if (timeOfDayMs === undefined) {
      this.stats.noFix++;
      return;
    }
    if (sentence.kind === 'RMC' && sentence.dayStartMs !== undefined) this.#day = { startMs: sentence.dayStartMs, lastTimeOfDayMs: timeOfDayMs };
    if (timeOfDayMs === this.#lastEmitted) {
      this.stats.skippedSentences++;
      return;
    }
    if (this.#pending && this.#pending.timeOfDayMs !== timeOfDayMs) {
      this.#emit(this.#pending, fixes);
      this.#pending = undefined;
      this.#sends.known = true;
    }
    const epoch = (this.#pending ??= { timeOfDayMs });
    if (sentence.kind === 'GGA') {
      this.#sends.gga = true;
      if (epoch.gga) this.stats.skippedSentences++;
      else epoch.gga = sentence;
    } else {
      this.#sends.rmc = true;
      if (epoch.rmc) this.stats.skippedSentences++;
      else epoch.rmc = sentence;
    }
    if (this.#sends.known && (!this.#sends.gga || epoch.gga) && (!this.#sends.rmc || epoch.rmc)) {
      this.#emit(epoch, fixes);
      this.#pending = undefined;
    }
  }

  #emit({ timeOfDayMs, gga, rmc }: Epoch, fixes: GnssFix[]): void {
    this.#lastEmitted = timeOfDayMs;
    const t = rmc?.t ?? this.#date(timeOfDayMs);
    const lat = gga?.lat ?? rmc?.lat;
    const lon = gga?.lon ?? rmc?.lon;
    if ((rmc && !rmc.valid) || (gga && gga.quality === 0) || lat === undefined || lon === undefined) {
      this.stats.noFix++;
      return;
    }
    if (t === undefined) {
      this.stats.undated++;
      return;
    }
    const fix: GnssFix = { t, lat, lon };
    if (rmc?.speedMps !== undefined) fix.speed = rmc.speedMps;
    if (gga?.hdop !== undefined) fix.hdop = gga.hdop;
    if (gga?.sats !== undefined) fix.sats = gga.sats;
    if (gga?.altitudeM !== undefined) fix.altitude = gga.altitudeM;
    this.stats.fixes++;
    fixes.push(fix);
  }

  /** Dates a time of day from the known day; a wrap of more than 12 h backwards is midnight passing. */
  #date(timeOfDayMs: number): number | undefined {
    const day = this.#day;
    if (!day) return undefined;
    if (timeOfDayMs < day.lastTimeOfDayMs - DAY_MS / 2) day.startMs += DAY_MS;
    day.lastTimeOfDayMs = timeOfDayMs;
    return day.startMs + timeOfDayMs;
  }
}

/** Batch form: every fix in a whole NMEA log, with the same counts the stream keeps. */
export function decodeNmeaLog(input: string | Uint8Array, options: NmeaFixStreamOptions = {}): { fixes: GnssFix[]; stats: NmeaFixStreamStats } {
  const stream = new NmeaFixStream(options);
  const fixes = [...stream.push(input), ...stream.flush()];
  return { fixes, stats: stream.stats };
}
