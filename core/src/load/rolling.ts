/**
 * Rolling-average load models over consecutive daily loads (rest days 0): acute and chronic load, the
 * acute:chronic workload ratio (coupled and uncoupled), and Foster's monotony and strain.
 *
 * Window-fill convention (sources differ on the first weeks of a series):
 * - 'zero-padded': days before the series count as 0 and the divisor is the window length from day one
 *   (SoccerMon's derived files, Midoglu et al. 2024, Sci Data, doi:10.1038/s41597-024-03386-x).
 * - 'partial': average over the days of the window that exist so far.
 * - 'complete-only': null until the window is full (R package ACWR, JorgeDelro/ACWR R/RAU.R, sets the
 *   uncoupled chronic load of the first week to NA).
 *
 * Windows are summed afresh for each day rather than with a running sum, so an all-rest window is exactly 0
 * and its ratio is null, never a ratio of rounding residues.
 */
import { checkChoice, checkDays, checkLoads } from './checks.ts';

export type WindowFill = 'zero-padded' | 'partial' | 'complete-only';
export const WINDOW_FILLS: readonly WindowFill[] = ['zero-padded', 'partial', 'complete-only'];

export type SdConvention = 'population' | 'sample';
export const SD_CONVENTIONS: readonly SdConvention[] = ['population', 'sample'];

/** The loads of days [i − lag − days + 1, i − lag] that exist, and how many days the window wants. */
function windowAt(loads: readonly number[], i: number, days: number, lag: number, fill: WindowFill): number[] | null {
  const end = i - lag;
  const start = end - days + 1;
  if (fill === 'complete-only' && start < 0) return null;
  const values = end < 0 ? [] : loads.slice(Math.max(0, start), end + 1);
  if (fill === 'zero-padded') while (values.length < days) values.push(0);
  return values.length ? values : null;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * The mean of `windowAt(loads, i, days, lag, fill)` without building the window (a season of series
 * would otherwise allocate one array per day and window): the same sum in the same order, the
 * padding zeros adding nothing, over the same count.
 */
function windowMeanAt(loads: readonly number[], i: number, days: number, lag: number, fill: WindowFill): number | null {
  const end = i - lag;
  const start = end - days + 1;
  if (fill === 'complete-only' && start < 0) return null;
  let sum = 0;
  for (let j = Math.max(0, start); j <= end; j++) sum += loads[j]!;
  const count = fill === 'zero-padded' ? days : Math.max(0, end - Math.max(0, start) + 1);
  return count > 0 ? sum / count : null;
}

/**
 * Mean daily load over days i − lag − days + 1 … i − lag, for every day i. With lag 0 this is the acute
 * (7 d) or chronic (28 d, 42 d) load; the uncoupled chronic load is `rollingMean(loads, 21, fill, 7)`.
 */
export function rollingMean(loads: readonly number[], days: number, fill: WindowFill, lag = 0): (number | null)[] {
  checkLoads(loads);
  checkDays(days, 'days');
  checkDays(lag, 'lag', 0);
  checkChoice(fill, 'fill', WINDOW_FILLS);
  return loads.map((_, i) => windowMeanAt(loads, i, days, lag, fill));
}

/** acute / chronic, or null when either is missing or the chronic load is 0 (the ratio is undefined). */
export function loadRatio(acute: number | null, chronic: number | null): number | null {
  if (acute === null || chronic === null || chronic === 0) return null;
  return acute / chronic;
}

export interface AcwrSeries {
  acute: (number | null)[];
  chronic: (number | null)[];
  acwr: (number | null)[];
}

/**
 * Rolling-average ACWR. Coupled: chronic = mean of days t−27…t, so today's week is in both terms.
 * Uncoupled: chronic = mean of days t−27…t−7, which removes that shared week (Windt & Gabbett 2018, BJSM
 * doi:10.1136/bjsports-2017-098925; Lolli et al. 2019, BJSM doi:10.1136/bjsports-2017-098110; formula as
 * shown at https://hareshsuppiah.github.io/tools/ewma-load.html).
 */
export function rollingAcwr(
  loads: readonly number[],
  options: { acuteDays: number; chronicDays: number; coupling: 'coupled' | 'uncoupled'; fill: WindowFill },
): AcwrSeries {
  const acuteDays = checkDays(options.acuteDays, 'acuteDays');
  const chronicDays = checkDays(options.chronicDays, 'chronicDays', acuteDays + 1);
  const coupling = checkChoice(options.coupling, 'coupling', ['coupled', 'uncoupled'] as const);
  const acute = rollingMean(loads, acuteDays, options.fill);
  const chronic =
    coupling === 'coupled' ? rollingMean(loads, chronicDays, options.fill) : rollingMean(loads, chronicDays - acuteDays, options.fill, acuteDays);
  return { acute, chronic, acwr: acute.map((a, i) => loadRatio(a, chronic[i] ?? null)) };
}

function standardDeviation(values: readonly number[], sd: SdConvention): number | null {
  const n = values.length;
  const divisor = sd === 'population' ? n : n - 1;
  if (divisor <= 0) return null;
  const m = mean(values);
  let squares = 0;
  for (const v of values) squares += (v - m) ** 2;
  return Math.sqrt(squares / divisor);
}

/**
 * Monotony = mean / SD of the daily loads of the last `days` days (7 in Foster's definition); strain =
 * weekly load × monotony, with weekly load = that mean × `days` (the 7-day sum when the window is full).
 * Foster 1998, Med Sci Sports Exerc 30(7):1164–1168. The SD convention is not fixed in the sources:
 * 'population' (ddof 0: calculatorhub, SoccerMon) or 'sample' (ddof 1). A window with SD 0 (a constant
 * week, or all rest) has no monotony: null, and so is its strain.
 */
export function monotonyAndStrain(
  loads: readonly number[],
  options: { days: number; sd: SdConvention; fill: WindowFill },
): { monotony: (number | null)[]; strain: (number | null)[] } {
  checkLoads(loads);
  const days = checkDays(options.days, 'days', 2);
  const sd = checkChoice(options.sd, 'sd', SD_CONVENTIONS);
  const fill = checkChoice(options.fill, 'fill', WINDOW_FILLS);
  const monotony: (number | null)[] = [];
  const strain: (number | null)[] = [];
  for (let i = 0; i < loads.length; i++) {
    const values = windowAt(loads, i, days, 0, fill);
    const m = values ? mean(values) : 0;
    const spread = values ? standardDeviation(values, sd) : null;
    // A constant week of fractional loads leaves an SD of rounding residue, not of training variation.
    if (spread === null || spread <= 1e-12 * Math.max(1, m)) {
      monotony.push(null);
      strain.push(null);
      continue;
    }
    monotony.push(m / spread);
    strain.push(m * days * (m / spread));
  }
  return { monotony, strain };
}
