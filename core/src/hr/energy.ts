/**
 * Energy expenditure from heart rate: Keytel et al. 2005, "Prediction of energy expenditure from heart
 * rate monitoring during submaximal exercise", J Sports Sci 23(3):289–297. Coefficients as reproduced
 * consistently by Hexoskin (https://hexoskin.zendesk.com/hc/en-us/articles/360001582034), Myzone and
 * ifcalculator. Beware the corrupted weight terms seen in the wild (−0.09036 men, −0.05741 women; +0.1263
 * women): the men's weight term is +0.1988 and the women's −0.1263.
 *
 * The regression is valid for steady exercise at about 57–90 %HRmax, ages 18–45. Session energy therefore
 * counts only time at or above a floor of %HRmax (50 % by default, as Myzone does): it is exercise energy,
 * not total daily expenditure.
 */
import type { AthleteProfile, Sex } from '../types.ts';
import { checkProfile, requireFinite } from './profile.ts';
import { checkIntervals, type HrInterval } from './zones.ts';

/** Thermochemical kilocalorie. */
export const KJ_PER_KCAL = 4.184;

export const DEFAULT_ENERGY_FLOOR_PERCENT_HRMAX = 50;

export type KeytelEquation = 'keytel-2005' | 'keytel-2005-vo2max';

export interface KeytelInput {
  bpm: number;
  sex: Sex;
  massKg: number;
  ageYears: number;
  /** ml/kg/min; selects the equation with VO2max when given. */
  vo2max?: number;
}

export function keytelEquation(vo2max: number | undefined): KeytelEquation {
  return vo2max === undefined ? 'keytel-2005' : 'keytel-2005-vo2max';
}

/** kJ per minute at one heart rate; never negative (the regression dips below zero at low heart rates). */
export function keytelKjPerMin(input: KeytelInput): number {
  const hr = requireFinite(input.bpm, 'bpm', (n) => n >= 0, '>= 0');
  const w = requireFinite(input.massKg, 'massKg', (n) => n > 0, '> 0');
  const a = requireFinite(input.ageYears, 'ageYears', (n) => n > 0, '> 0');
  const male = input.sex === 'male';
  let kj: number;
  if (input.vo2max === undefined) {
    kj = male ? -55.0969 + 0.6309 * hr + 0.1988 * w + 0.2017 * a : -20.4022 + 0.4472 * hr - 0.1263 * w + 0.074 * a;
  } else {
    const v = requireFinite(input.vo2max, 'vo2max', (n) => n > 0, '> 0');
    // Keytel's mixed model: −59.3954 + gender·(−36.3781 + …men…) + (1 − gender)·(…women…).
    kj = male
      ? -59.3954 - 36.3781 + 0.634 * hr + 0.404 * v + 0.394 * w + 0.271 * a
      : -59.3954 + 0.45 * hr + 0.38 * v + 0.103 * w + 0.274 * a;
  }
  return Math.max(0, kj);
}

export interface EnergyOptions {
  vo2max?: number;
  floorPercentHrMax?: number;
}

export interface EnergyConventions {
  equation: KeytelEquation;
  floorPercentHrMax: number;
}

/**
 * The energy rate of one athlete as a function of heart rate (kJ/min, 0 below the floor), validated once.
 * Batch and streaming both integrate with it, so they apply one rule.
 */
export function energyRate(profile: AthleteProfile, options: EnergyOptions = {}): { kjPerMin: (bpm: number) => number; conventions: EnergyConventions } {
  checkProfile(profile);
  const ageYears = requireFinite(profile.ageYears, 'ageYears', (n) => n > 0, "> 0 (Keytel's equation needs the athlete's age)");
  const floorPercentHrMax = requireFinite(
    options.floorPercentHrMax ?? DEFAULT_ENERGY_FLOOR_PERCENT_HRMAX,
    'floorPercentHrMax',
    (n) => n >= 0 && n <= 100,
    'in [0, 100]',
  );
  const base = { sex: profile.sex, massKg: profile.massKg, ageYears, vo2max: options.vo2max };
  keytelKjPerMin({ ...base, bpm: profile.hrMax }); // rejects a bad mass or VO2max now, not on the first sample
  const floorBpm = (profile.hrMax * floorPercentHrMax) / 100;
  return {
    kjPerMin: (bpm) => (bpm < floorBpm ? 0 : keytelKjPerMin({ ...base, bpm })),
    conventions: { equation: keytelEquation(options.vo2max), floorPercentHrMax },
  };
}

/** Exercise energy of a session in kJ and kcal. Needs the athlete's age. */
export function hrEnergy(
  intervals: readonly HrInterval[],
  profile: AthleteProfile,
  options: EnergyOptions = {},
): { kj: number; kcal: number; conventions: EnergyConventions } {
  const { kjPerMin, conventions } = energyRate(profile, options);
  let kj = 0;
  for (const { bpm, seconds } of checkIntervals(intervals)) kj += (seconds / 60) * kjPerMin(bpm);
  return { kj, kcal: kj / KJ_PER_KCAL, conventions };
}
