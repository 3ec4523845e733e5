/**
 * HRV-guided readiness: the rolling mean of daily lnRMSSD against a longer baseline ± the smallest
 * worthwhile change (SWC).
 *
 * Plews et al. 2012 (Eur J Appl Physiol 112(11):3729–3741) and 2013 (Sports Med 43(9):773–781) read
 * training status from the 7-day rolling mean of lnRMSSD rather than single days; Plews et al. 2014
 * (Int J Sports Physiol Perform 9(5):783–790) found 3 valid days a week enough. The band is baseline
 * mean ± 0.5·SD, HRV4Training's default after Plews & Laursen
 * (https://www.hrv4training.com/blog2/custom-desirable-range-swc-in-hrv4training-coach); the 4-week
 * baseline follows Javaloyes et al. 2019 (Int J Sports Physiol Perform 14(1):23–32). Sources differ on
 * the baseline length and the SD multiple, so both are options.
 */
import { TouchlineError } from '../errors.ts';
import { mean, standardDeviation } from './stats.ts';

export interface ReadinessOptions {
  /** Days in the rolling mean, today included (7). */
  rollingDays: number;
  /** Days in the baseline, today included (28). */
  baselineDays: number;
  /** SWC = swcFactor · SD of the baseline's daily values (0.5). */
  swcFactor: number;
  /** Fewest measured days for a rolling mean (3, Plews et al. 2014). */
  minRollingValues: number;
  /** Fewest measured days for a baseline (12: three a week over four weeks). */
  minBaselineValues: number;
  /** Delta degrees of freedom of the baseline SD (1: sample SD). */
  sdDdof: 0 | 1;
}

export const PLEWS_READINESS_OPTIONS: Readonly<ReadinessOptions> = {
  rollingDays: 7,
  baselineDays: 28,
  swcFactor: 0.5,
  minRollingValues: 3,
  minBaselineValues: 12,
  sdDdof: 1,
};

export type ReadinessStatus = 'within' | 'above' | 'below' | 'insufficient-data';

export interface ReadinessDay {
  /** Index of the day in the input. */
  day: number;
  lnRmssd: number | null;
  rollingMean: number | null;
  rollingCount: number;
  baselineMean: number | null;
  baselineSd: number | null;
  swc: number | null;
  /** baselineMean − swc and baselineMean + swc. */
  lower: number | null;
  upper: number | null;
  /** Where the rolling mean lies against the band; the band's edges count as within. */
  status: ReadinessStatus;
}

function resolveOptions(options: Partial<ReadinessOptions>): ReadinessOptions {
  const o = { ...PLEWS_READINESS_OPTIONS, ...options };
  const bad = (argument: string, rule: string) =>
    new TouchlineError('TL_ERR_INVALID_ARGUMENT', `${argument} must be ${rule}`, { argument });
  for (const name of ['rollingDays', 'baselineDays', 'minRollingValues', 'minBaselineValues'] as const) {
    if (!Number.isInteger(o[name]) || o[name] < 1) throw bad(name, 'a whole number of at least 1');
  }
  if (o.minRollingValues > o.rollingDays) throw bad('minRollingValues', 'at most rollingDays');
  if (o.minBaselineValues > o.baselineDays || o.minBaselineValues < 2) throw bad('minBaselineValues', 'between 2 and baselineDays');
  if (!(o.swcFactor >= 0 && Number.isFinite(o.swcFactor))) throw bad('swcFactor', 'zero or a positive number');
  if (o.sdDdof !== 0 && o.sdDdof !== 1) throw bad('sdDdof', '0 or 1');
  return o;
}

/**
 * `daily` holds one lnRMSSD per consecutive calendar day, null where nothing was measured. Returns
 * one entry per day; a day whose windows hold too few measurements is 'insufficient-data'.
 */
export function hrvReadiness(
  daily: readonly (number | null)[],
  options: Partial<ReadinessOptions> = {},
): { days: ReadinessDay[]; conventions: ReadinessOptions } {
  const o = resolveOptions(options);
  if (!Array.isArray(daily)) throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', 'daily lnRMSSD values must be an array');
  daily.forEach((value, day) => {
    if (value !== null && !Number.isFinite(value)) {
      throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `Day ${day}: lnRMSSD must be a finite number or null, got ${String(value)}`, {
        day,
        value,
      });
    }
  });

  const measuredIn = (day: number, length: number) =>
    daily.slice(Math.max(0, day - length + 1), day + 1).filter((v): v is number => v !== null);

  const days = daily.map((lnRmssd, day): ReadinessDay => {
    const rolling = measuredIn(day, o.rollingDays);
    const baseline = measuredIn(day, o.baselineDays);
    const rollingMean = rolling.length >= o.minRollingValues ? mean(rolling) : null;
    const baselineReady = baseline.length >= o.minBaselineValues;
    const baselineMean = baselineReady ? mean(baseline) : null;
    const baselineSd = baselineReady ? standardDeviation(baseline, o.sdDdof) : null;
    const swc = baselineSd === null ? null : o.swcFactor * baselineSd;
    const lower = baselineMean === null || swc === null ? null : baselineMean - swc;
    const upper = baselineMean === null || swc === null ? null : baselineMean + swc;
    let status: ReadinessStatus = 'insufficient-data';
    if (rollingMean !== null && lower !== null && upper !== null) {
      status = rollingMean > upper ? 'above' : rollingMean < lower ? 'below' : 'within';
    }
    return { day, lnRmssd, rollingMean, rollingCount: rolling.length, baselineMean, baselineSd, swc, lower, upper, status };
  });
  return { days, conventions: o };
}
