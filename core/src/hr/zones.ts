/**
 * Heart-rate zones. A zone model is a value object: the kind of bound and the ascending lower bound of
 * each zone. Any number of zones is allowed.
 *
 * - 'percent-hrmax': bounds in % of HRmax. The default five zones 50/60/70/80/90 %HRmax are Edwards'
 *   (Edwards 1993, The Heart Rate Monitor Book; tabulated at http://www.trainingimpulse.com/edwards-trimp).
 * - 'hrr': bounds in % of heart-rate reserve, bpm = HRrest + f·(HRmax − HRrest) (Karvonen, Kentala &
 *   Mustala 1957, Ann Med Exp Biol Fenn 35(3):307–315).
 * - 'bpm': bounds in beats per minute, for thresholds set from a lab or field test.
 *
 * Zone n (1-based) covers [bounds[n−1], bounds[n]); a rate exactly on a bound belongs to the higher zone,
 * the top zone is open-ended, and a rate below the first bound is zone 0 ("below zone 1").
 */
import { TouchlineError } from '../errors.ts';
import type { AthleteProfile } from '../types.ts';
import { checkProfile, requireFinite } from './profile.ts';

export type ZoneModelKind = 'percent-hrmax' | 'hrr' | 'bpm';

export interface ZoneModel {
  readonly kind: ZoneModelKind;
  readonly bounds: readonly number[];
}

/** One stretch of time at one heart rate: the unit the session integrals (zones, TRIMP, energy) sum over. */
export interface HrInterval {
  bpm: number;
  seconds: number;
}

/** Builds a validated, frozen zone model. */
export function createZoneModel(kind: ZoneModelKind, bounds: readonly number[]): ZoneModel {
  if (kind !== 'percent-hrmax' && kind !== 'hrr' && kind !== 'bpm') {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `zone model kind must be percent-hrmax, hrr or bpm, got ${String(kind)}`, {
      argument: 'kind',
    });
  }
  if (!Array.isArray(bounds) || bounds.length === 0) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', 'a zone model needs at least one bound', { argument: 'bounds' });
  }
  bounds.forEach((b, i) => {
    requireFinite(b, `bounds[${i}]`, (n) => n >= 0, '>= 0');
    if (i > 0 && b <= (bounds[i - 1] as number)) {
      throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `zone bounds must be strictly ascending, got ${bounds.join(', ')}`, {
        argument: 'bounds',
      });
    }
  });
  return Object.freeze({ kind, bounds: Object.freeze([...bounds]) });
}

export const DEFAULT_ZONE_MODEL: ZoneModel = createZoneModel('percent-hrmax', [50, 60, 70, 80, 90]);

/** The lower bound of each zone in bpm for this athlete. */
export function zoneThresholdsBpm(model: ZoneModel, profile: AthleteProfile): number[] {
  const checked = createZoneModel(model.kind, model.bounds);
  checkProfile(profile);
  const { hrMax, hrRest } = profile;
  return checked.bounds.map((b) => {
    if (checked.kind === 'percent-hrmax') return (hrMax * b) / 100;
    if (checked.kind === 'hrr') return hrRest + (b / 100) * (hrMax - hrRest);
    return b;
  });
}

/** Zone number for a rate given precomputed thresholds; the hot path of the live accumulator. */
export function zoneAtThresholds(bpm: number, thresholdsBpm: readonly number[]): number {
  let zone = 0;
  while (zone < thresholdsBpm.length && bpm >= (thresholdsBpm[zone] as number)) zone++;
  return zone;
}

/** The zone (1…n, or 0 below zone 1) that a heart rate falls in. */
export function zoneOf(bpm: number, model: ZoneModel, profile: AthleteProfile): number {
  requireFinite(bpm, 'bpm', (n) => n >= 0, '>= 0');
  return zoneAtThresholds(bpm, zoneThresholdsBpm(model, profile));
}

/** Seconds spent in each zone; index 0 is time below zone 1, index n is zone n. */
export function timeInZones(intervals: readonly HrInterval[], model: ZoneModel, profile: AthleteProfile): number[] {
  const thresholds = zoneThresholdsBpm(model, profile);
  const seconds = new Array<number>(thresholds.length + 1).fill(0);
  for (const { bpm, seconds: s } of checkIntervals(intervals)) {
    const zone = zoneAtThresholds(bpm, thresholds);
    seconds[zone] = (seconds[zone] as number) + s;
  }
  return seconds;
}

export function checkIntervals(intervals: readonly HrInterval[]): readonly HrInterval[] {
  if (!Array.isArray(intervals)) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', 'intervals must be an array of { bpm, seconds }', { argument: 'intervals' });
  }
  intervals.forEach((interval, i) => {
    requireFinite(interval?.bpm, `intervals[${i}].bpm`, (n) => n >= 0, '>= 0');
    requireFinite(interval?.seconds, `intervals[${i}].seconds`, (n) => n >= 0, '>= 0');
  });
  return intervals;
}
