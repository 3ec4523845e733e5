/**
 * NMEA 0183 sentences from GNSS pods: `$<talker><type>,f1,…,fn*HH`, HH being the XOR of every
 * character between `$` and `*` (101100/nmea-simple `helpers.ts`, Knio/pynmea2). GGA and RMC are
 * decoded whatever the talker (GP, GN, GL, GA, II…); other types come back as raw fields.
 * Field layouts: nmea-simple `codecs/GGA.ts` and `codecs/RMC.ts`.
 */
import { TouchlineError } from '../errors.ts';

/** 1 knot = 1 international nautical mile (1852 m, exact) per hour (BIPM SI Brochure, 9th ed., Table 8). */
export const METRES_PER_SECOND_PER_KNOT = 1852 / 3600;

/** GGA field 6; 0 means no fix. */
export const GGA_FIX_QUALITY = ['invalid', 'gps', 'dgps', 'pps', 'rtk', 'float-rtk', 'estimated', 'manual', 'simulation'] as const;
export type GgaFixQuality = (typeof GGA_FIX_QUALITY)[number];

export interface NmeaGga {
  kind: 'GGA';
  talker: string;
  /** UTC time of day of the fix in ms; undefined when the receiver has no time yet. */
  timeOfDayMs?: number;
  /** Unix ms, only when a date was supplied: GGA carries no date. */
  t?: number;
  lat?: number;
  lon?: number;
  quality: number;
  fix: GgaFixQuality | 'unknown';
  /** Satellites used in the fix. */
  sats?: number;
  hdop?: number;
  /** Antenna altitude above mean sea level, m. */
  altitudeM?: number;
  /** Geoid height above the WGS84 ellipsoid, m. */
  geoidSeparationM?: number;
  dgpsAgeS?: number;
  dgpsStationId?: string;
}

export interface NmeaRmc {
  kind: 'RMC';
  talker: string;
  timeOfDayMs?: number;
  /** Unix ms from the sentence's own date and time. */
  t?: number;
  /** UTC midnight of the sentence's date, Unix ms; gives GGA sentences their date. */
  dayStartMs?: number;
  /** Status A; V (void) means the receiver has no valid fix. */
  valid: boolean;
  lat?: number;
  lon?: number;
  speedMps?: number;
  speedKnots?: number;
  /** Course over ground, degrees true. */
  courseDeg?: number;
  /** Magnetic variation, degrees, east positive. */
  magneticVariationDeg?: number;
  /** NMEA 2.3+ mode indicator (A autonomous, D differential, E estimated, N not valid…). */
  mode?: string;
}

export interface NmeaOther {
  kind: 'other';
  talker: string;
  type: string;
  fields: string[];
}

export type NmeaSentence = NmeaGga | NmeaRmc | NmeaOther;

export interface NmeaParseOptions {
  /** UTC midnight (Unix ms) of the day GGA sentences belong to; without it a GGA has no `t`. */
  dayStartMs?: number;
}

export type NmeaProblem = 'checksum' | 'malformed';

function sentenceError(line: string, reason: NmeaProblem, problem: string): TouchlineError {
  return new TouchlineError('TL_ERR_NMEA_SENTENCE', `NMEA sentence ${problem}: ${JSON.stringify(line)}`, { sentence: line, reason });
}

export function nmeaChecksum(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return sum;
}

/** Reads one decoded field or fails with a message naming it. */
class Fields {
  readonly line: string;
  readonly values: string[];

  constructor(line: string, values: string[]) {
    this.line = line;
    this.values = values;
  }

  fail(problem: string): TouchlineError {
    return sentenceError(this.line, 'malformed', problem);
  }

  text(i: number): string | undefined {
    const value = this.values[i];
    return value === undefined || value === '' ? undefined : value;
  }

  number(i: number, name: string): number | undefined {
    const value = this.text(i);
    if (value === undefined) return undefined;
    if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(value)) throw this.fail(`has a bad ${name} "${value}"`);
    return Number(value);
  }

  integer(i: number, name: string): number | undefined {
    const value = this.text(i);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw this.fail(`has a bad ${name} "${value}"`);
    return Number(value);
  }

  /** hhmmss with optional fraction → ms since UTC midnight. */
  timeOfDay(i: number): number | undefined {
    const value = this.text(i);
    if (value === undefined) return undefined;
    const m = /^(\d{2})(\d{2})(\d{2}(?:\.\d+)?)$/.exec(value);
    const [hh, mm, ss] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [NaN, NaN, NaN];
    // 60 allows a leap second.
    if (!(hh < 24 && mm < 60 && ss < 61)) throw this.fail(`has a bad UTC time "${value}"`);
    return (hh * 3600 + mm * 60) * 1000 + Math.round(ss * 1000);
  }

  /**
   * ddmmyy → Unix ms of that UTC midnight. Two-digit years 80–99 are 1980–1999 and 00–79 are
   * 2000–2079: no GNSS fix predates the GPS epoch (6 January 1980).
   */
  date(i: number): number | undefined {
    const value = this.text(i);
    if (value === undefined) return undefined;
    const m = /^(\d{2})(\d{2})(\d{2})$/.exec(value);
    if (!m) throw this.fail(`has a bad date "${value}"`);
    const [day, month, yy] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const year = yy >= 80 ? 1900 + yy : 2000 + yy;
    const ms = Date.UTC(year, month - 1, day);
    if (month < 1 || month > 12 || day < 1 || new Date(ms).getUTCDate() !== day) throw this.fail(`has a bad date "${value}"`);
    return ms;
  }

  /** (d)ddmm.mmmm + hemisphere → signed decimal degrees. */
  coordinate(i: number, axis: 'latitude' | 'longitude'): number | undefined {
    const value = this.text(i);
    const hemisphere = this.text(i + 1);
    if (value === undefined && hemisphere === undefined) return undefined;
    const [positive, negative, maxDegrees] = axis === 'latitude' ? ['N', 'S', 90] : ['E', 'W', 180];
    const m = value === undefined ? null : /^(\d{1,3})(\d{2}(?:\.\d*)?)$/.exec(value);
    const degrees = m ? Number(m[1]) + Number(m[2]) / 60 : NaN;
    if (!m || Number(m[2]) >= 60 || !(degrees <= maxDegrees) || (hemisphere !== positive && hemisphere !== negative)) {
      throw this.fail(`has a bad ${axis} "${value ?? ''},${hemisphere ?? ''}"`);
    }
    return hemisphere === negative ? -degrees : degrees;
  }
}

function assign<T extends object>(target: T, values: Partial<T>): T {
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  }
  return target;
}

function parseGga(f: Fields, talker: string, options: NmeaParseOptions): NmeaGga {
  if (f.values.length < 14) throw f.fail(`has ${f.values.length} GGA fields, expected 14`);
  const quality = f.integer(5, 'fix quality');
  if (quality === undefined) throw f.fail('has no fix quality');
  const timeOfDayMs = f.timeOfDay(0);
  return assign<NmeaGga>(
    { kind: 'GGA', talker, quality, fix: GGA_FIX_QUALITY[quality] ?? 'unknown' },
    {
      timeOfDayMs,
      t: timeOfDayMs !== undefined && options.dayStartMs !== undefined ? options.dayStartMs + timeOfDayMs : undefined,
      lat: f.coordinate(1, 'latitude'),
      lon: f.coordinate(3, 'longitude'),
      sats: f.integer(6, 'satellite count'),
      hdop: f.number(7, 'HDOP'),
      altitudeM: f.number(8, 'altitude'),
      geoidSeparationM: f.number(10, 'geoid separation'),
      dgpsAgeS: f.number(12, 'DGPS age'),
      dgpsStationId: f.text(13),
    },
  );
}

function parseRmc(f: Fields, talker: string): NmeaRmc {
  if (f.values.length < 11) throw f.fail(`has ${f.values.length} RMC fields, expected at least 11`);
  const status = f.text(1);
  if (status !== 'A' && status !== 'V') throw f.fail(`has status "${status ?? ''}", expected A or V`);
  const timeOfDayMs = f.timeOfDay(0);
  const dayStartMs = f.date(8);
  const speedKnots = f.number(6, 'speed');
  const variation = f.number(9, 'magnetic variation');
  const variationSide = f.text(10);
  if (variation !== undefined && variationSide !== 'E' && variationSide !== 'W') {
    throw f.fail(`has magnetic variation without E/W`);
  }
  return assign<NmeaRmc>(
    { kind: 'RMC', talker, valid: status === 'A' },
    {
      timeOfDayMs,
      t: timeOfDayMs !== undefined && dayStartMs !== undefined ? dayStartMs + timeOfDayMs : undefined,
      dayStartMs,
      lat: f.coordinate(2, 'latitude'),
      lon: f.coordinate(4, 'longitude'),
      speedKnots,
      speedMps: speedKnots === undefined ? undefined : speedKnots * METRES_PER_SECOND_PER_KNOT,
      courseDeg: f.number(7, 'course'),
      magneticVariationDeg: variation === undefined ? undefined : variationSide === 'W' ? -variation : variation,
      mode: f.text(11),
    },
  );
}

/**
 * Parses one sentence (surrounding whitespace and CR/LF ignored). The checksum is required: every
 * receiver sends it with GGA and RMC, and a line without one cannot be told from line noise.
 * Throws TL_ERR_NMEA_SENTENCE, with `detail.reason` 'checksum' or 'malformed'.
 */
export function parseNmeaSentence(line: string, options: NmeaParseOptions = {}): NmeaSentence {
  const text = line.trim();
  const m = /^\$([\x20-\x7e]*)\*([0-9A-Fa-f]{2})$/.exec(text);
  if (!m) throw sentenceError(line, 'malformed', 'must look like $…*HH');
  const body = m[1] as string;
  const computed = nmeaChecksum(body);
  const sent = Number.parseInt(m[2] as string, 16);
  if (computed !== sent) {
    const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
    throw sentenceError(line, 'checksum', `has checksum ${hex(sent)} but its contents give ${hex(computed)}`);
  }
  const [address = '', ...values] = body.split(',');
  if (!/^[A-Z][A-Z0-9]{3,5}$/.test(address)) throw sentenceError(line, 'malformed', `has a bad address field "${address}"`);
  const talker = address.slice(0, -3);
  const type = address.slice(-3);
  const fields = new Fields(line, values);
  if (type === 'GGA') return parseGga(fields, talker, options);
  if (type === 'RMC') return parseRmc(fields, talker);
  return { kind: 'other', talker, type, fields: values };
}

export interface NmeaLineSplitterStats {
  lines: number;
  /** Characters outside any `$…` line: noise, a wrong baud rate, binary protocol frames. */
  discardedChars: number;
  /** Lines dropped for exceeding maxLineLength. */
  overlongLines: number;
}

/**
 * Cuts a serial byte stream into candidate sentences: keeps partial lines across reads, accepts
 * CR, LF or CRLF, starts each sentence at its last `$` (so noise before it on the same line is
 * dropped) and bounds memory. It never validates; parseNmeaSentence does.
 */
export class NmeaLineSplitter {
  readonly stats: NmeaLineSplitterStats = { lines: 0, discardedChars: 0, overlongLines: 0 };
  /** NMEA 0183 caps a sentence at 82 characters, but some receivers exceed it in high-precision modes. */
  readonly maxLineLength: number;
  #partial = '';
  readonly #decoder = new TextDecoder('latin1');

  constructor(maxLineLength = 256) {
    this.maxLineLength = maxLineLength;
  }

  push(chunk: string | Uint8Array): string[] {
    const text = this.#partial + (typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk));
    const pieces = text.split(/\r\n|\r|\n/);
    this.#partial = this.#sentenceStart(pieces.pop() ?? '');
    if (this.#partial.length > this.maxLineLength) {
      this.stats.overlongLines++;
      this.stats.discardedChars += this.#partial.length;
      this.#partial = '';
    }
    const lines: string[] = [];
    for (const piece of pieces) {
      const line = this.#sentenceStart(piece);
      if (line === '') continue;
      if (line.length > this.maxLineLength) {
        this.stats.overlongLines++;
        this.stats.discardedChars += line.length;
        continue;
      }
      this.stats.lines++;
      lines.push(line);
    }
    return lines;
  }

  /** Hands back a final line that had no line ending. */
  flush(): string[] {
    const last = this.#partial;
    this.#partial = '';
    if (last === '') return [];
    this.stats.lines++;
    return [last];
  }

  #sentenceStart(piece: string): string {
    const start = piece.lastIndexOf('$');
    const kept = start < 0 ? '' : piece.slice(start);
    this.stats.discardedChars += piece.length - kept.length;
    return kept;
  }

  /** Whether a partial line is being held, and how long. */
  get pendingChars(): number {
    return this.#partial.length;
  }
}
