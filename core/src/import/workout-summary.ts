/**
 * The summary of one imported workout: totals, heart-rate zones and TRIMP (hr module), speed-zone
 * distances (gnss module) and HRV from the file's beat-to-beat intervals (hrv module). Every profile
 * value the caller does not give is assumed from WORKOUT_PROFILE_DEFAULTS and listed in `assumed`.
 */
import { TouchlineError, isTouchlineError } from '../errors.ts';
import { summarizeGnss, type GnssConventions, type GnssOptions, type ZoneTotals } from '../gnss/index.ts';
import {
  DEFAULT_MAX_GAP_S,
  estimateHrMax,
  summarizeHrSession,
  zoneThresholdsBpm,
  type HrMaxFormula,
  type HrSessionConventions,
  type HrSessionOptions,
} from '../hr/index.ts';
import { analyzeHrv, rrIntervalProblem, type FrequencyDomainResult, type HrvAnalysisOptions, type TimeDomainConventions, type TimeDomainResult } from '../hrv/index.ts';
import type { AthleteProfile, GnssFix, HrSample, Sex } from '../types.ts';
import type { TimeBase, Workout, WorkoutFormat, WorkoutRecord } from './workout.ts';

/**
 * Assumed when not given: a resting HR of 60 bpm (the worked example of reference §2.1), male (the
 * Banister constants most TRIMP calculators default to), 30 years and 75 kg. HRmax, when not given,
 * is predicted from age (Tanaka, Monahan & Seals 2001, J Am Coll Cardiol 37(1):153–156, via
 * `estimateHrMax`) and raised to the highest rate in the file if that is higher, as Myzone does
 * (reference §2.1 [M5]): a recorded rate above the predicted maximum proves the prediction low.
 */
export const WORKOUT_PROFILE_DEFAULTS = Object.freeze({ hrRest: 60, sex: 'male' as Sex, ageYears: 30, massKg: 75 });

/**
 * Sports in which a body moves under its own power on foot, where the GNSS module's team-sport spike
 * filter (12.5 m/s) applies. Anything else (cycling, skiing, a file of unknown sport) may
 * legitimately move faster, so its filter is raised to FAST_SPORT_MAX_SPEED.
 */
const FOOT_SPORTS = new Set(['running', 'walking', 'hiking', 'soccer', 'rugby', 'american_football', 'basketball', 'tennis', 'training']);
/** m/s, 126 km/h: above any descent a bicycle or skier records, below a GNSS position spike. */
const FAST_SPORT_MAX_SPEED = 35;

export interface WorkoutSummaryOptions {
  hrMax?: number;
  hrRest?: number;
  sex?: Sex;
  ageYears?: number;
  massKg?: number;
  /** How to predict HRmax from age when it is not given (default 'tanaka'). */
  hrMaxFormula?: HrMaxFormula;
  hr?: HrSessionOptions;
  gnss?: GnssOptions;
  hrv?: Partial<HrvAnalysisOptions>;
}

export type ProfileField = 'hrMax' | 'hrRest' | 'sex' | 'ageYears' | 'massKg';

export interface HrZoneTime {
  zone: number;
  /** bpm; zone 0 (below zone 1) starts at 0 and the top zone is open-ended (null). */
  fromBpm: number;
  toBpm: number | null;
  seconds: number;
}

export interface WorkoutHrv {
  /** Intervals analysed, after dropping those outside the plausible range. */
  rrCount: number;
  droppedOutOfRange: number;
  /** Intervals changed by artifact correction (Lipponen & Tarvainen 2019). */
  artifactsCorrected: number;
  timeDomain: TimeDomainResult;
  frequencyDomain: FrequencyDomainResult | null;
  frequencyDomainSkipped: string | null;
}

export interface WorkoutSummary {
  format: WorkoutFormat;
  sport: string;
  /** ISO 8601 in UTC; null when the file gave only elapsed time. */
  start: string | null;
  timeBase: TimeBase;
  /** First to last record, s. */
  durationS: number;
  distanceM: number | null;
  /** 'device': the file's own cumulative distance; 'gnss': measured along the positions. */
  distanceSource: 'device' | 'gnss' | null;
  /** Time-weighted over the integrated time (hr module); null without heart rate. */
  avgHr: number | null;
  maxHr: number | null;
  records: number;
  laps: number;
  sessions: number;
  rrCount: number;
  /** Banister TRIMP, integrated per sample; null without heart rate. */
  trimp: number | null;
  edwardsTrimp: number | null;
  /** Keytel et al. 2005 (hr module); null without heart rate. */
  energyKcal: number | null;
  hrZones: HrZoneTime[] | null;
  /** Distance and time per speed band; null without positions. */
  speedZones: ZoneTotals[] | null;
  hrv: WorkoutHrv | null;
  /** Why `hrv` is null although the file has beat-to-beat data. */
  hrvSkipped: string | null;
  profile: AthleteProfile & { ageYears: number };
  assumed: ProfileField[];
  hrMaxSource: 'given' | 'age-predicted' | 'observed';
  conventions: {
    distance: string;
    hr: HrSessionConventions | null;
    gnss: Readonly<GnssConventions> | null;
    hrv: { correction: HrvAnalysisOptions['correction']; timeDomain: TimeDomainConventions } | null;
  };
}

/**
 * The distance the device reported: the sum of its positive steps, so a counter that restarts (a new
 * session in a multisport file) adds its new distance instead of subtracting the old.
 */
function deviceDistance(records: readonly WorkoutRecord[]): number | null {
  let total = 0;
  let last: number | undefined;
  for (const { distance } of records) {
    if (distance === undefined) continue;
    if (last !== undefined && distance > last) total += distance - last;
    last = distance;
  }
  return last === undefined ? null : total;
}

function resolveProfile(options: WorkoutSummaryOptions, observedMaxHr: number | null) {
  const assumed: ProfileField[] = [];
  const pick = <K extends keyof typeof WORKOUT_PROFILE_DEFAULTS>(key: K): (typeof WORKOUT_PROFILE_DEFAULTS)[K] => {
    const given = options[key];
    if (given !== undefined) return given as (typeof WORKOUT_PROFILE_DEFAULTS)[K];
    assumed.push(key);
    return WORKOUT_PROFILE_DEFAULTS[key];
  };
  const hrRest = pick('hrRest');
  const sex = pick('sex');
  const ageYears = pick('ageYears');
  const massKg = pick('massKg');
  let hrMax = options.hrMax;
  let hrMaxSource: WorkoutSummary['hrMaxSource'] = 'given';
  if (hrMax === undefined) {
    assumed.push('hrMax');
    hrMax = estimateHrMax(ageYears, options.hrMaxFormula);
    hrMaxSource = 'age-predicted';
    if (observedMaxHr !== null && observedMaxHr > hrMax) {
      hrMax = observedMaxHr;
      hrMaxSource = 'observed';
    }
  }
  return { profile: { hrMax, hrRest, sex, ageYears, massKg }, assumed, hrMaxSource };
}

function hrZoneTimes(secondsInZone: number[], thresholds: number[]): HrZoneTime[] {
  return secondsInZone.map((seconds, zone) => ({ zone, fromBpm: zone === 0 ? 0 : thresholds[zone - 1]!, toBpm: thresholds[zone] ?? null, seconds }));
}

function summarizeRr(rr: readonly number[], options: Partial<HrvAnalysisOptions> | undefined): { hrv: WorkoutHrv | null; skipped: string | null } {
  if (rr.length === 0) return { hrv: null, skipped: null };
  const plausible = rr.filter((ms) => rrIntervalProblem(ms) === undefined);
  try {
    const analysis = analyzeHrv(plausible, options);
    return {
      hrv: {
        rrCount: plausible.length,
        droppedOutOfRange: rr.length - plausible.length,
        artifactsCorrected: analysis.correction?.count ?? 0,
        timeDomain: analysis.timeDomain,
        frequencyDomain: analysis.frequencyDomain,
        frequencyDomainSkipped: analysis.frequencyDomainSkipped,
      },
      skipped: null,
    };
  } catch (err) {
    if (isTouchlineError(err) && err.code === 'TL_ERR_TOO_FEW_SAMPLES') return { hrv: null, skipped: err.message };
    throw err;
  }
}

export function summarizeWorkout(workout: Workout, options: WorkoutSummaryOptions = {}): WorkoutSummary {
  const { records } = workout;
  if (records.length === 0) throw new TouchlineError('TL_ERR_TOO_FEW_SAMPLES', 'The workout has no records to summarise.');

  const hrSamples: HrSample[] = records.flatMap((r) => (r.hr === undefined ? [] : [{ t: r.t, bpm: r.hr }]));
  const observedMaxHr = hrSamples.length > 0 ? Math.max(...hrSamples.map((s) => s.bpm)) : null;
  const { profile, assumed, hrMaxSource } = resolveProfile(options, observedMaxHr);
  const hr = hrSamples.length > 0 ? summarizeHrSession(hrSamples, profile, options.hr) : null;

  const fixes: GnssFix[] = records.flatMap((r) =>
    r.lat === undefined || r.lon === undefined ? [] : [{ t: r.t, lat: r.lat, lon: r.lon, ...(r.speed === undefined ? {} : { speed: r.speed }) }],
  );
  const gnssOptions: GnssOptions = {
    // Watches record every 1–8 s ("smart recording"); the hr module's dropout rule fits files better
    // than the hub's 5 s one, and keeps HR and speed integrated over the same time.
    maxGapSeconds: DEFAULT_MAX_GAP_S,
    ...(FOOT_SPORTS.has(workout.sport) ? {} : { maxSpeed: FAST_SPORT_MAX_SPEED }),
    ...options.gnss,
  };
  const gnss = fixes.length > 0 ? summarizeGnss(fixes, gnssOptions) : null;

  const fromDevice = deviceDistance(records);
  const { hrv, skipped } = summarizeRr(workout.rr, options.hrv);
  const first = records[0]!;
  const last = records.at(-1)!;

  return {
    format: workout.format,
    sport: workout.sport,
    start: workout.timeBase === 'unix' ? new Date(workout.start).toISOString() : null,
    timeBase: workout.timeBase,
    durationS: (last.t - first.t) / 1000,
    distanceM: fromDevice ?? gnss?.distanceM ?? null,
    distanceSource: fromDevice !== null ? 'device' : gnss ? 'gnss' : null,
    avgHr: hr?.meanBpm ?? null,
    maxHr: hr?.maxBpm ?? null,
    records: records.length,
    laps: workout.laps.length,
    sessions: workout.sessions.length,
    rrCount: workout.rr.length,
    trimp: hr?.banisterTrimp ?? null,
    edwardsTrimp: hr?.edwardsTrimp ?? null,
    energyKcal: hr?.energyKcal ?? null,
    hrZones: hr ? hrZoneTimes(hr.secondsInZone, zoneThresholdsBpm(hr.conventions.zoneModel, profile)) : null,
    speedZones: gnss?.zones ?? null,
    hrv,
    hrvSkipped: skipped,
    profile,
    assumed,
    hrMaxSource,
    conventions: {
      distance: 'sum of positive steps of the device distance; else GNSS track length',
      hr: hr?.conventions ?? null,
      gnss: gnss?.conventions ?? null,
      hrv: hrv ? { correction: options.hrv?.correction ?? true, timeDomain: hrv.timeDomain.conventions } : null,
    },
  };
}
