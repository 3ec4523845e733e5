/**
 * Time-domain and Poincaré HRV metrics of an NN (normal-to-normal) interval series in ms.
 *
 * Definitions: Task Force of the ESC and NASPE 1996, "Heart rate variability: standards of
 * measurement…", Circulation 93(5):1043–1065 (SDNN, RMSSD, SDSD, NN50, pNN50); Mietus et al. 2002,
 * Heart 88:378–380 (pNNx with x = 20 ms); Brennan, Palaniswami & Kamen 2001, IEEE Trans Biomed Eng
 * 48(11):1342–1347 (SD1, SD2 as the spreads of the Poincaré plot along the rotated axes
 * (RRₙ₊₁ − RRₙ)/√2 and (RRₙ₊₁ + RRₙ)/√2). The defaults are Kubios HRV's conventions (Tarvainen et al.
 * 2014, Comput Methods Programs Biomed 113(1):210–220), which other tools depart from in the ways
 * `TimeDomainConventions` names.
 */
import { TouchlineError } from '../errors.ts';
import { assertRrIntervals } from './rr-intervals.ts';
import { mean, standardDeviation } from './stats.ts';

/** pNNx over the N−1 successive differences (Kubios, hrv-analysis ≥ 1.0.4) or over the N intervals (older hrv-analysis). */
export type PnnDenominator = 'differences' | 'intervals';

/** Mean HR as 60000 / mean RR (Kubios) or as the mean of the beat-by-beat rates 60000 / RRᵢ (hrv-analysis `mean_hr`). */
export type MeanHrConvention = 'from-mean-rr' | 'mean-of-beats';

/**
 * SD2 as the SD along the rotated axis (RRₙ₊₁ + RRₙ)/√2 (Kubios, to 1e−5), or by the identity
 * SD2² = 2·SDNN² − ½·SDSD² (Brennan et al. 2001, eq. 7; hrv-analysis), which differs slightly because
 * SDNN spans all N intervals and the axis only N−1 pairs. SD1 = SDSD/√2 either way.
 */
export type PoincareConvention = 'rotated-axes' | 'sdnn-sdsd-identity';

export interface TimeDomainConventions {
  /** Delta degrees of freedom of every standard deviation (SDNN, SDSD, SD1, SD2): 1 in Kubios, 0 for hrv-analysis' SDSD. */
  ddof: 0 | 1;
  pnnDenominator: PnnDenominator;
  meanHr: MeanHrConvention;
  poincare: PoincareConvention;
}

export const KUBIOS_TIME_DOMAIN_CONVENTIONS: Readonly<TimeDomainConventions> = {
  ddof: 1,
  pnnDenominator: 'differences',
  meanHr: 'from-mean-rr',
  poincare: 'rotated-axes',
};

export interface TimeDomainResult {
  n: number;
  meanRrMs: number;
  sdnnMs: number;
  rmssdMs: number;
  /** ln(RMSSD in ms); null when RMSSD is 0, whose logarithm does not exist. */
  lnRmssd: number | null;
  sdsdMs: number;
  nn50: number;
  pnn50Pct: number;
  nn20: number;
  pnn20Pct: number;
  meanHrBpm: number;
  /** 60000 / the longest interval: the lowest beat-by-beat rate. */
  minHrBpm: number;
  /** 60000 / the shortest interval: the highest beat-by-beat rate. */
  maxHrBpm: number;
  sd1Ms: number;
  sd2Ms: number;
  conventions: TimeDomainConventions;
}

/** Fewest intervals for which every metric exists: SDSD and SD1 with ddof 1 need two differences. */
export const TIME_DOMAIN_MIN_INTERVALS = 3;

function resolveConventions(options: Partial<TimeDomainConventions>): TimeDomainConventions {
  const conventions = { ...KUBIOS_TIME_DOMAIN_CONVENTIONS, ...options };
  const bad = (argument: string, allowed: string) =>
    new TouchlineError('TL_ERR_INVALID_ARGUMENT', `${argument} must be ${allowed}`, { argument });
  if (conventions.ddof !== 0 && conventions.ddof !== 1) throw bad('ddof', '0 or 1');
  if (conventions.pnnDenominator !== 'differences' && conventions.pnnDenominator !== 'intervals') throw bad('pnnDenominator', 'differences or intervals');
  if (conventions.meanHr !== 'from-mean-rr' && conventions.meanHr !== 'mean-of-beats') throw bad('meanHr', 'from-mean-rr or mean-of-beats');
  if (conventions.poincare !== 'rotated-axes' && conventions.poincare !== 'sdnn-sdsd-identity') {
    throw bad('poincare', 'rotated-axes or sdnn-sdsd-identity');
  }
  return conventions;
}

export function hrvTimeDomain(nn: readonly number[], options: Partial<TimeDomainConventions> = {}): TimeDomainResult {
  const conventions = resolveConventions(options);
  assertRrIntervals(nn, TIME_DOMAIN_MIN_INTERVALS);
  const { ddof } = conventions;

  const differences: number[] = [];
  const poincareMinor: number[] = [];
  const poincareMajor: number[] = [];
  let squaredDifferences = 0;
  let nn50 = 0;
  let nn20 = 0;
  let shortest = nn[0] as number;
  let longest = shortest;
  for (let i = 1; i < nn.length; i++) {
    const previous = nn[i - 1] as number;
    const current = nn[i] as number;
    const d = current - previous;
    shortest = Math.min(shortest, current);
    longest = Math.max(longest, current);
    differences.push(d);
    squaredDifferences += d * d;
    // "More than 50 ms" (Task Force 1996): a difference of exactly 50 ms does not count.
    if (Math.abs(d) > 50) nn50++;
    if (Math.abs(d) > 20) nn20++;
    poincareMinor.push(d / Math.SQRT2);
    poincareMajor.push((current + previous) / Math.SQRT2);
  }

  const meanRrMs = mean(nn);
  const rmssdMs = Math.sqrt(squaredDifferences / differences.length);
  const pnnBase = conventions.pnnDenominator === 'differences' ? differences.length : nn.length;
  const sdnnMs = standardDeviation(nn, ddof);
  const sdsdMs = standardDeviation(differences, ddof);
  const sd2Ms =
    conventions.poincare === 'rotated-axes' ? standardDeviation(poincareMajor, ddof) : Math.sqrt(Math.max(0, 2 * sdnnMs ** 2 - 0.5 * sdsdMs ** 2));
  return {
    n: nn.length,
    meanRrMs,
    sdnnMs,
    rmssdMs,
    lnRmssd: rmssdMs > 0 ? Math.log(rmssdMs) : null,
    sdsdMs,
    nn50,
    pnn50Pct: (100 * nn50) / pnnBase,
    nn20,
    pnn20Pct: (100 * nn20) / pnnBase,
    meanHrBpm: conventions.meanHr === 'from-mean-rr' ? 60000 / meanRrMs : mean(nn.map((ms) => 60000 / ms)),
    minHrBpm: 60000 / longest,
    maxHrBpm: 60000 / shortest,
    sd1Ms: standardDeviation(poincareMinor, ddof),
    sd2Ms,
    conventions,
  };
}
