/**
 * The daily load table: one row per calendar day from the first to the last date, rest days filled with 0,
 * carrying every load model in this folder under one set of named conventions.
 */
import { checkChoice, checkDays } from './checks.ts';
import { fillDailyLoads, type DailyLoad } from './daily-load.ts';
import { EWMA_SEEDS, ewmaAcwr, type EwmaSeed } from './ewma.ts';
import { PMC_DECAYS, TSB_TIMINGS, performanceManagement, type PmcDecay, type TsbTiming } from './performance-management.ts';
import { SD_CONVENTIONS, WINDOW_FILLS, loadRatio, monotonyAndStrain, rollingMean, type SdConvention, type WindowFill } from './rolling.ts';

export interface LoadConventions {
  /** Rolling averages and monotony in the first weeks (see rolling.ts). */
  windowFill: WindowFill;
  /** SD in monotony. */
  sd: SdConvention;
  ewmaAcuteDays: number;
  ewmaChronicDays: number;
  ewmaSeed: EwmaSeed;
  /** CTL/ATL decay per day, and their time constants. */
  decay: PmcDecay;
  ctlDays: number;
  atlDays: number;
  tsb: TsbTiming;
}

/**
 * Defaults: the rolling models follow SoccerMon's published files (zero-padded windows, population SD),
 * which matches how CTL/ATL start from zero; EWMA as Williams 2017 with the reference implementation's
 * seed; CTL/ATL as GoldenCheetah (exponential decay, 42/7 days, TSB going into the day).
 */
export const DEFAULT_LOAD_CONVENTIONS: Readonly<LoadConventions> = Object.freeze({
  windowFill: 'zero-padded',
  sd: 'population',
  ewmaAcuteDays: 7,
  ewmaChronicDays: 28,
  ewmaSeed: 'first-day',
  decay: 'exponential',
  ctlDays: 42,
  atlDays: 7,
  tsb: 'previous-day',
});

/** Rolling windows of the table; fixed because they name its columns. */
const ACUTE_DAYS = 7;
const CHRONIC_DAYS = 28;
const LONG_CHRONIC_DAYS = 42;

export interface LoadDayRow {
  date: string;
  load: number;
  /** Rolling 7-day mean. */
  acute: number | null;
  /** Rolling 28- and 42-day means. */
  chronic28: number | null;
  chronic42: number | null;
  /** acute / chronic28 (coupled). */
  acwr: number | null;
  /** acute / mean of days t−27…t−7. */
  acwr_uncoupled: number | null;
  acwr_ewma: number | null;
  monotony: number | null;
  strain: number | null;
  ctl: number;
  atl: number;
  tsb: number;
}

export const LOAD_DAY_COLUMNS: readonly (keyof LoadDayRow)[] = [
  'date',
  'load',
  'acute',
  'chronic28',
  'chronic42',
  'acwr',
  'acwr_uncoupled',
  'acwr_ewma',
  'monotony',
  'strain',
  'ctl',
  'atl',
  'tsb',
];

export function resolveLoadConventions(options: Partial<LoadConventions> = {}): LoadConventions {
  const merged = { ...DEFAULT_LOAD_CONVENTIONS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  return {
    windowFill: checkChoice(merged.windowFill, 'windowFill', WINDOW_FILLS),
    sd: checkChoice(merged.sd, 'sd', SD_CONVENTIONS),
    ewmaAcuteDays: checkDays(merged.ewmaAcuteDays, 'ewmaAcuteDays'),
    ewmaChronicDays: checkDays(merged.ewmaChronicDays, 'ewmaChronicDays'),
    ewmaSeed: checkChoice(merged.ewmaSeed, 'ewmaSeed', EWMA_SEEDS),
    decay: checkChoice(merged.decay, 'decay', PMC_DECAYS),
    ctlDays: checkDays(merged.ctlDays, 'ctlDays'),
    atlDays: checkDays(merged.atlDays, 'atlDays'),
    tsb: checkChoice(merged.tsb, 'tsb', TSB_TIMINGS),
  };
}

/** Sessions or days of load in (any order, several per date allowed), one row per calendar day out. */
export function loadMetricsByDay(
  entries: readonly DailyLoad[],
  options: Partial<LoadConventions> = {},
): { rows: LoadDayRow[]; conventions: LoadConventions } {
  const conventions = resolveLoadConventions(options);
  const days = fillDailyLoads(entries);
  const loads = days.map((d) => d.load);
  const fill = conventions.windowFill;
  const acute = rollingMean(loads, ACUTE_DAYS, fill);
  const chronic28 = rollingMean(loads, CHRONIC_DAYS, fill);
  const chronic42 = rollingMean(loads, LONG_CHRONIC_DAYS, fill);
  const uncoupledChronic = rollingMean(loads, CHRONIC_DAYS - ACUTE_DAYS, fill, ACUTE_DAYS);
  const ewma = ewmaAcwr(loads, { acuteDays: conventions.ewmaAcuteDays, chronicDays: conventions.ewmaChronicDays, seed: conventions.ewmaSeed });
  const foster = monotonyAndStrain(loads, { days: ACUTE_DAYS, sd: conventions.sd, fill });
  const pmc = performanceManagement(loads, conventions);
  const rows = days.map(({ date, load }, i): LoadDayRow => {
    const a = acute[i] ?? null;
    const form = pmc[i] as (typeof pmc)[number];
    return {
      date,
      load,
      acute: a,
      chronic28: chronic28[i] ?? null,
      chronic42: chronic42[i] ?? null,
      acwr: loadRatio(a, chronic28[i] ?? null),
      acwr_uncoupled: loadRatio(a, uncoupledChronic[i] ?? null),
      acwr_ewma: ewma.acwr[i] ?? null,
      monotony: foster.monotony[i] ?? null,
      strain: foster.strain[i] ?? null,
      ctl: form.ctl,
      atl: form.atl,
      tsb: form.tsb,
    };
  });
  return { rows, conventions };
}
