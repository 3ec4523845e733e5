/** Training load over days: rolling and EWMA ACWR, monotony and strain, CTL/ATL/TSB, Banister's model. */
export { dateOfDayNumber, dayNumberOf, fillDailyLoads, type DailyLoad } from './daily-load.ts';
export {
  SD_CONVENTIONS,
  WINDOW_FILLS,
  loadRatio,
  monotonyAndStrain,
  rollingAcwr,
  rollingMean,
  type AcwrSeries,
  type SdConvention,
  type WindowFill,
} from './rolling.ts';
export { EWMA_SEEDS, ewma, ewmaAcwr, type EwmaSeed } from './ewma.ts';
export {
  PMC_DECAYS,
  TSB_TIMINGS,
  decayFactor,
  performanceManagement,
  type PmcDay,
  type PmcDecay,
  type PmcParameters,
  type TsbTiming,
} from './performance-management.ts';
export { banisterImpulseResponse, type ImpulseResponseDay, type ImpulseResponseParameters } from './impulse-response.ts';
export {
  DEFAULT_LOAD_CONVENTIONS,
  LOAD_DAY_COLUMNS,
  loadMetricsByDay,
  resolveLoadConventions,
  type LoadConventions,
  type LoadDayRow,
} from './load-table.ts';
export { normalizeLoadDate, parseDailyLoadCsv } from './load-csv.ts';
