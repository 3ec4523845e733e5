/** Heart rate: zones, HRmax estimates, TRIMP, session-RPE, energy, and the live/batch session summary. */
export {
  DEFAULT_ZONE_MODEL,
  createZoneModel,
  timeInZones,
  zoneOf,
  zoneThresholdsBpm,
  type HrInterval,
  type ZoneModel,
  type ZoneModelKind,
} from './zones.ts';
export { estimateHrMax, type HrMaxFormula } from './hr-max.ts';
export {
  banisterConstants,
  banisterTrimp,
  edwardsTrimp,
  luciaTrimp,
  sessionRpeLoad,
  type BanisterConventions,
  type BanisterFemalePrefactor,
  type BanisterOptions,
  type LuciaThresholds,
} from './trimp.ts';
export {
  DEFAULT_ENERGY_FLOOR_PERCENT_HRMAX,
  KJ_PER_KCAL,
  energyRate,
  hrEnergy,
  keytelKjPerMin,
  type EnergyConventions,
  type EnergyOptions,
  type KeytelEquation,
  type KeytelInput,
} from './energy.ts';
export {
  DEFAULT_MAX_GAP_S,
  HrSessionAccumulator,
  PLAUSIBLE_BPM,
  hrIntervals,
  judgeSample,
  summarizeHrSession,
  type HrIntervalSeries,
  type HrSessionConventions,
  type HrSessionOptions,
  type HrSessionSummary,
  type IgnoredSamples,
  type SampleVerdict,
  type SkippedGaps,
} from './session.ts';
