/**
 * Training impulse (TRIMP) from heart rate, and session-RPE load. The heart-rate forms integrate over
 * intervals of constant heart rate: pass one interval at the session's mean HR for the classic
 * "average HR × duration" form (GoldenCheetah's), or the per-sample intervals from `hrIntervals` for the
 * integrated form. The two differ: the Banister weighting is convex, so per-sample gives more.
 */
import { TouchlineError } from '../errors.ts';
import type { AthleteProfile, Sex } from '../types.ts';
import { checkProfile, requireFinite } from './profile.ts';
import { DEFAULT_ZONE_MODEL, checkIntervals, zoneAtThresholds, zoneThresholdsBpm, type HrInterval, type ZoneModel } from './zones.ts';

/**
 * The female Banister prefactor differs between sources: 0.86 in the literature (Morton, Fitz-Clarke &
 * Banister 1990, J Appl Physiol 69(3):1171–1177, as quoted by https://afitpilot.com/training-lexicon/trimp),
 * 0.64 in GoldenCheetah src/Metrics/TRIMPPoints.cpp ("Morton/Banister with Green et al coefficient").
 */
export type BanisterFemalePrefactor = 'literature-0.86' | 'goldencheetah-0.64';

export interface BanisterConventions {
  femalePrefactor: BanisterFemalePrefactor;
  /** Prefactor a and exponent b of the weighting a·e^(b·x). */
  a: number;
  b: number;
}

export interface BanisterOptions {
  femalePrefactor?: BanisterFemalePrefactor;
}

/** Banister 1991 constants: men 0.64·e^(1.92x), women 0.86·e^(1.67x) (or 0.64, see BanisterFemalePrefactor). */
export function banisterConstants(sex: Sex, femalePrefactor: BanisterFemalePrefactor = 'literature-0.86'): BanisterConventions {
  if (femalePrefactor !== 'literature-0.86' && femalePrefactor !== 'goldencheetah-0.64') {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `femalePrefactor must be literature-0.86 or goldencheetah-0.64, got ${String(femalePrefactor)}`, {
      argument: 'femalePrefactor',
    });
  }
  if (sex === 'male') return { femalePrefactor, a: 0.64, b: 1.92 };
  return { femalePrefactor, a: femalePrefactor === 'literature-0.86' ? 0.86 : 0.64, b: 1.67 };
}

/**
 * Banister TRIMP of one interval: minutes · x · a·e^(b·x), x = (HR − HRrest)/(HRmax − HRrest), the
 * fractional heart-rate reserve. A rate below HRrest scores 0 rather than a negative load.
 */
export function banisterIncrement(bpm: number, seconds: number, profile: AthleteProfile, constants: BanisterConventions): number {
  const x = Math.max(0, (bpm - profile.hrRest) / (profile.hrMax - profile.hrRest));
  return (seconds / 60) * x * constants.a * Math.exp(constants.b * x);
}

export function banisterTrimp(
  intervals: readonly HrInterval[],
  profile: AthleteProfile,
  options: BanisterOptions = {},
): { trimp: number; conventions: BanisterConventions } {
  checkProfile(profile);
  const conventions = banisterConstants(profile.sex, options.femalePrefactor);
  let trimp = 0;
  for (const { bpm, seconds } of checkIntervals(intervals)) trimp += banisterIncrement(bpm, seconds, profile, conventions);
  return { trimp, conventions };
}

/**
 * Edwards TRIMP: Σ minutes in zone × zone number, weights 1…5 for 50–60 … 90–100 %HRmax (Edwards 1993,
 * The Heart Rate Monitor Book; weights as tabulated at http://www.trainingimpulse.com/edwards-trimp).
 * Time below zone 1 scores 0. Some code bins by %HRR instead (R package TrainingLoad, eTRIM): pass an
 * 'hrr' zone model for that variant, or any model to weight its zones 1…n (GoldenCheetah's zonal TRIMP idea).
 */
export function edwardsTrimp(
  intervals: readonly HrInterval[],
  profile: AthleteProfile,
  zoneModel: ZoneModel = DEFAULT_ZONE_MODEL,
): { trimp: number; conventions: { zoneModel: ZoneModel } } {
  const thresholds = zoneThresholdsBpm(zoneModel, profile);
  let trimp = 0;
  for (const { bpm, seconds } of checkIntervals(intervals)) trimp += (seconds / 60) * zoneAtThresholds(bpm, thresholds);
  return { trimp, conventions: { zoneModel } };
}

/** Ventilatory thresholds from a lab test, as heart rates. */
export interface LuciaThresholds {
  /** First ventilatory threshold (VT1). */
  vt1Bpm: number;
  /** Respiratory compensation point (RCP, VT2). */
  rcpBpm: number;
}

/**
 * Lucia TRIMP: minutes below VT1 × 1, from VT1 to RCP × 2, at or above RCP × 3 (Lucia et al. 2003, Med Sci
 * Sports Exerc 35(5):872–878, Tour vs Vuelta; zones as explained at
 * https://bikeradar.com/advice/fitness-and-training/training-measuring-work-rate).
 */
export function luciaTrimp(intervals: readonly HrInterval[], thresholds: LuciaThresholds): number {
  const vt1 = requireFinite(thresholds?.vt1Bpm, 'vt1Bpm', (n) => n > 0, '> 0');
  const rcp = requireFinite(thresholds?.rcpBpm, 'rcpBpm', (n) => n > vt1, '> vt1Bpm');
  let trimp = 0;
  for (const { bpm, seconds } of checkIntervals(intervals)) trimp += (seconds / 60) * (1 + zoneAtThresholds(bpm, [vt1, rcp]));
  return trimp;
}

/**
 * Session-RPE load in arbitrary units: CR-10 RPE × session minutes (Foster et al. 2001, J Strength Cond Res
 * 15(1):109–115). The athlete rates the whole session, ideally about 30 minutes after it ends.
 */
export function sessionRpeLoad(rpe: number, durationMin: number): number {
  requireFinite(rpe, 'rpe', (n) => n >= 0 && n <= 10, 'on the CR-10 scale (0–10)');
  requireFinite(durationMin, 'durationMin', (n) => n >= 0, '>= 0');
  return rpe * durationMin;
}
