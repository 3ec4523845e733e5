/**
 * The one shape every workout importer (FIT, GPX, TCX, CSV) produces. Units are SI with the unit in
 * the name where it is not obvious; times are milliseconds on the workout's time base.
 */

export type WorkoutFormat = 'fit' | 'gpx' | 'tcx' | 'csv';

/**
 * `unix`: times are Unix milliseconds. `elapsed`: the source has no wall-clock time (a CSV of elapsed
 * seconds, a FIT file from a device without a clock fix), so times are milliseconds from an arbitrary
 * zero and the date is unknown.
 */
export type TimeBase = 'unix' | 'elapsed';

/** One sample of the recording; a field is absent when the source did not record it at that time. */
export interface WorkoutRecord {
  t: number;
  /** Heart rate, bpm. */
  hr?: number;
  /** WGS84 degrees. */
  lat?: number;
  lon?: number;
  /** Speed over ground, m/s. */
  speed?: number;
  /** Cumulative distance reported by the device, m. */
  distance?: number;
  /** Metres above mean sea level. */
  altitude?: number;
  /** Revolutions (cycling) or strides (running, one per two steps) per minute, as FIT and TCX define it. */
  cadence?: number;
  /** Watts. */
  power?: number;
}

/** A lap or session as the device summarised it; fields the file lacks are absent. */
export interface WorkoutSegment {
  start: number;
  end: number;
  /** Wall-clock time including pauses, s. */
  elapsedS?: number;
  /** Timer time excluding pauses, s. */
  timerS?: number;
  distanceM?: number;
  avgHr?: number;
  maxHr?: number;
  sport?: string;
}

export interface Workout {
  format: WorkoutFormat;
  /** Lower-case FIT sport name where the source has one ('running', 'cycling', …), else 'generic'. */
  sport: string;
  timeBase: TimeBase;
  /** Time of the first record. */
  start: number;
  /** Sorted by `t`. */
  records: WorkoutRecord[];
  laps: WorkoutSegment[];
  sessions: WorkoutSegment[];
  /** Beat-to-beat (RR) intervals in ms, in order, when the file carries them. */
  rr: number[];
}

const SPORT_ALIASES: Record<string, string> = {
  run: 'running',
  biking: 'cycling',
  bike: 'cycling',
  ride: 'cycling',
  walk: 'walking',
  hike: 'hiking',
  other: 'generic',
};

/** Maps a sport label from GPX `<type>` or TCX `Sport` onto FIT's lower-case sport names where one fits. */
export function normaliseSport(label: string | undefined): string {
  const key = (label ?? '').trim().toLowerCase().replace(/[\s-]+/g, '_');
  return SPORT_ALIASES[key] ?? (key || 'generic');
}

/** One sport for the whole file: the sessions' sport, 'multisport' when they differ. */
export function sportOfSessions(sessions: WorkoutSegment[], fallback?: string): string {
  const sports = new Set(sessions.flatMap((s) => s.sport ?? []));
  if (sports.size > 1) return 'multisport';
  return [...sports][0] ?? fallback ?? 'generic';
}

/** Keeps only the fields that hold finite numbers, so no NaN or null reaches a record. */
export function compactRecord(fields: { t: number } & { [K in keyof WorkoutRecord]?: number | null | undefined }): WorkoutRecord {
  const record: WorkoutRecord = { t: fields.t };
  for (const key of ['hr', 'lat', 'lon', 'speed', 'distance', 'altitude', 'cadence', 'power'] as const) {
    const value = fields[key];
    if (typeof value === 'number' && Number.isFinite(value)) record[key] = value;
  }
  return record;
}

/** False for a record that carries only a time, such as a FIT record holding just a battery level. */
export function hasMeasurement(record: WorkoutRecord): boolean {
  return Object.keys(record).length > 1;
}

/** Builds a Workout from importer output, which has at least one record: sorts records by time (stable). */
export function assembleWorkout(parts: Omit<Workout, 'start' | 'timeBase'> & { timeBase?: TimeBase }): Workout {
  const records = [...parts.records].sort((a, b) => a.t - b.t);
  return {
    format: parts.format,
    sport: parts.sport,
    timeBase: parts.timeBase ?? 'unix',
    start: records[0]?.t ?? 0,
    records,
    laps: parts.laps,
    sessions: parts.sessions,
    rr: parts.rr,
  };
}
