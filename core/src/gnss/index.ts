/** GNSS kinematics: distance, speed zones, high-speed and sprint efforts, accelerations, metabolic power. */
export { EARTH_MEAN_RADIUS_M, haversineDistance, isValidLatLon, localOffset, type LatLon, type LocalOffset } from './geodesy.ts';
export {
  DEFAULT_METABOLIC_CONVENTIONS,
  METABOLIC_MODELS,
  energyCost,
  equivalentMass,
  equivalentSlope,
  metabolicPower,
  steadyRunningCost,
  walkRunTransitionSpeed,
  type MetabolicConventions,
  type MetabolicModel,
} from './metabolic-power.ts';
export {
  DEFAULT_GNSS_CONVENTIONS,
  DEFAULT_SPEED_ZONES,
  resolveGnssConventions,
  type GnssConventions,
  type GnssOptions,
  type SpeedZone,
} from './gnss-conventions.ts';
export type { Effort } from './effort-detector.ts';
export {
  GnssAccumulator,
  summarizeGnss,
  type EffortKind,
  type FixCounts,
  type FixVerdict,
  type GnssLiveState,
  type GnssSummary,
  type MetabolicTotals,
  type SpeedBandTotals,
  type ZoneTotals,
} from './gnss-accumulator.ts';
