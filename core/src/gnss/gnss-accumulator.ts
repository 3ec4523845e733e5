/**
 * GNSS kinematics for one athlete, fix by fix: the hub pushes fixes live (up to 10 Hz, O(1) each,
 * constant memory) and `summarizeGnss` runs the same pipeline over a recorded array, so live and
 * post-session totals agree by construction.
 *
 * Pipeline per fix:
 * 1. Drop what cannot be trusted, counting each reason: malformed fixes (non-finite time,
 *    lat/lon out of range, (0, 0) which receivers report before their first fix); HDOP above
 *    `maxHdop` or fewer than `minSatellites`; time not after the last used fix; a reported speed,
 *    or a move from the last used fix, faster than `maxSpeed` (a position spike).
 * 2. After a dropout longer than `maxGapSeconds` start a new segment: nothing is integrated
 *    across the gap and open efforts end.
 * 3. Speed: the receiver's Doppler speed when the fix has one (more accurate than differentiated
 *    positions: Townshend et al. 2008, Med Sci Sports Exerc 40(1):124–132), else the velocity
 *    vector from the local tangent-plane displacement. Either is smoothed by a first-order
 *    exponential filter with time constant `speedSmoothingSeconds` (α = 1 − e^(−Δt/τ), so it
 *    behaves the same at 1 Hz and 10 Hz); exponential filtering of 10 Hz velocity is one of the
 *    methods Varley et al. 2017 (Int J Sports Physiol Perform 12(8):1059–1068) compare. The vector
 *    is smoothed, not its length, because position jitter cancels in a vector average.
 * 4. Acceleration: change of smoothed speed over the step.
 * 5. Distance: haversine length of the step, credited only when the smoothed speed is at least
 *    `stationarySpeed` (a deadband for a standing athlete's jitter).
 * 6. Each step's time and distance go to the speed zone of its smoothed speed, to HSR and sprint
 *    totals, to effort detectors, and to metabolic power (metabolic-power.ts).
 */
import type { GnssFix } from '../types.ts';
import { TouchlineError } from '../errors.ts';
import { EffortDetector, type Effort } from './effort-detector.ts';
import { haversineDistance, isValidLatLon, localOffset } from './geodesy.ts';
import { resolveGnssConventions, type GnssConventions, type GnssOptions } from './gnss-conventions.ts';
import { metabolicPower, steadyRunningCost } from './metabolic-power.ts';

export type FixVerdict = 'used' | 'invalid' | 'poor-signal' | 'out-of-order' | 'duplicate' | 'implausible-speed';

export type EffortKind = 'highSpeedRunning' | 'sprint' | 'acceleration' | 'deceleration';

export interface FixCounts {
  received: number;
  used: number;
  invalid: number;
  poorSignal: number;
  outOfOrder: number;
  duplicate: number;
  implausibleSpeed: number;
  /** Dropouts longer than maxGapSeconds, across which nothing was integrated. */
  gaps: number;
}

export interface ZoneTotals {
  name: string;
  fromSpeed: number;
  /** Exclusive upper bound in m/s; null for the open-ended top band. */
  toSpeed: number | null;
  distanceM: number;
  durationS: number;
}

export interface SpeedBandTotals {
  distanceM: number;
  effortCount: number;
}

export interface MetabolicTotals {
  /** Mean metabolic power over the covered time, W/kg; null before any time is covered. */
  averagePower: number | null;
  /** Metabolic work per kg of body mass, J/kg. */
  workJPerKg: number;
  /** Work ÷ the cost of steady running: the distance the same energy would have run (m). */
  equivalentDistanceM: number;
}

interface GnssTotals {
  distanceM: number;
  /** Time covered by usable fixes (s), dropouts excluded. */
  durationS: number;
  maxSpeed: number;
  zones: ZoneTotals[];
  fixes: FixCounts;
  conventions: Readonly<GnssConventions>;
}

export interface GnssLiveState extends GnssTotals {
  /** Time of the last used fix (Unix ms); null before the first. */
  t: number | null;
  /** Smoothed speed at the last used fix, m/s (0 at the start of a segment without a reported speed). */
  speed: number;
  acceleration: number;
  highSpeedRunning: SpeedBandTotals;
  sprint: SpeedBandTotals;
  accelerations: { effortCount: number };
  decelerations: { effortCount: number };
  metabolic: MetabolicTotals & { currentPower: number };
}

export interface GnssSummary extends GnssTotals {
  highSpeedRunning: SpeedBandTotals & { efforts: Effort[] };
  sprint: SpeedBandTotals & { efforts: Effort[] };
  accelerations: { effortCount: number; efforts: Effort[] };
  decelerations: { effortCount: number; efforts: Effort[] };
  metabolic: MetabolicTotals;
}

const COUNTER_OF = {
  used: 'used',
  invalid: 'invalid',
  'poor-signal': 'poorSignal',
  'out-of-order': 'outOfOrder',
  duplicate: 'duplicate',
  'implausible-speed': 'implausibleSpeed',
} as const satisfies Record<FixVerdict, keyof FixCounts>;

function optionalNonNegative(value: unknown): boolean {
  return value == null || (typeof value === 'number' && Number.isFinite(value) && value >= 0);
}

function isWellFormed(fix: GnssFix): boolean {
  if (fix === null || typeof fix !== 'object') return false;
  if (typeof fix.t !== 'number' || !Number.isFinite(fix.t)) return false;
  if (!isValidLatLon(fix.lat, fix.lon) || (fix.lat === 0 && fix.lon === 0)) return false;
  return optionalNonNegative(fix.speed) && optionalNonNegative(fix.hdop) && optionalNonNegative(fix.sats);
}

export class GnssAccumulator {
  readonly conventions: Readonly<GnssConventions>;
  readonly #zoneDistance: Float64Array;
  readonly #zoneDuration: Float64Array;
  readonly #steadyRunningCost: number;
  readonly #highSpeedEfforts: EffortDetector;
  readonly #sprintEfforts: EffortDetector;
  readonly #accelerationEfforts: EffortDetector;
  readonly #decelerationEfforts: EffortDetector;
  readonly #fixes: FixCounts = { received: 0, used: 0, invalid: 0, poorSignal: 0, outOfOrder: 0, duplicate: 0, implausibleSpeed: 0, gaps: 0 };

  #last: GnssFix | null = null;
  #segmentOpen = false;
  #deviceSpeed: number | null = null;
  #velocityEast = 0;
  #velocityNorth = 0;
  #hasVelocity = false;
  #previousSpeed: number | null = null;
  #speed = 0;
  #acceleration = 0;
  #power = 0;
  #distanceM = 0;
  #durationS = 0;
  #maxSpeed = 0;
  #highSpeedDistanceM = 0;
  #sprintDistanceM = 0;
  #workJPerKg = 0;

  constructor(options?: GnssOptions, onEffort?: (kind: EffortKind, effort: Effort) => void) {
    const c = resolveGnssConventions(options);
    this.conventions = c;
    this.#zoneDistance = new Float64Array(c.speedZones.length);
    this.#zoneDuration = new Float64Array(c.speedZones.length);
    this.#steadyRunningCost = steadyRunningCost(c);
    const report = (kind: EffortKind) => (onEffort ? (effort: Effort) => onEffort(kind, effort) : undefined);
    const exit = c.speedEffortExitFraction;
    this.#highSpeedEfforts = new EffortDetector(c.highSpeedRunningSpeed, exit, c.speedEffortMinSeconds, report('highSpeedRunning'));
    this.#sprintEfforts = new EffortDetector(c.sprintSpeed, exit, c.speedEffortMinSeconds, report('sprint'));
    this.#accelerationEfforts = new EffortDetector(c.accelerationThreshold, 1, c.accelerationEffortMinSeconds, report('acceleration'));
    this.#decelerationEfforts = new EffortDetector(c.decelerationThreshold, 1, c.accelerationEffortMinSeconds, report('deceleration'));
  }

  /** Adds one fix and says what became of it; never throws on bad data. */
  push(fix: GnssFix): FixVerdict {
    const verdict = this.#accept(fix);
    this.#fixes.received++;
    this.#fixes[COUNTER_OF[verdict]]++;
    return verdict;
  }

  /** Ends open efforts, as at the end of a session; later fixes start a new segment. */
  flush(): void {
    this.#endSegment();
    this.#segmentOpen = false;
  }

  snapshot(): GnssLiveState {
    return {
      ...this.#totals(),
      t: this.#last?.t ?? null,
      speed: this.#speed,
      acceleration: this.#acceleration,
      highSpeedRunning: { distanceM: this.#highSpeedDistanceM, effortCount: this.#highSpeedEfforts.count },
      sprint: { distanceM: this.#sprintDistanceM, effortCount: this.#sprintEfforts.count },
      accelerations: { effortCount: this.#accelerationEfforts.count },
      decelerations: { effortCount: this.#decelerationEfforts.count },
      metabolic: { ...this.#metabolicTotals(), currentPower: this.#power },
    };
  }

  #accept(fix: GnssFix): FixVerdict {
    const c = this.conventions;
    if (!isWellFormed(fix)) return 'invalid';
    if ((fix.hdop != null && fix.hdop > c.maxHdop) || (fix.sats != null && fix.sats < c.minSatellites)) return 'poor-signal';
    const last = this.#last;
    if (last && fix.t < last.t) return 'out-of-order';
    if (last && fix.t === last.t) return 'duplicate';
    if (fix.speed != null && fix.speed > c.maxSpeed) return 'implausible-speed';
    const dtS = last ? (fix.t - last.t) / 1000 : Infinity;
    if (!last || !this.#segmentOpen || dtS > c.maxGapSeconds) {
      if (last && dtS > c.maxGapSeconds) this.#fixes.gaps++;
      this.#startSegment(fix);
      return 'used';
    }
    const stepM = haversineDistance(last, fix);
    if (stepM / dtS > c.maxSpeed) return 'implausible-speed';
    this.#step(last, fix, stepM, dtS);
    return 'used';
  }

  #endSegment(): void {
    this.#highSpeedEfforts.close();
    this.#sprintEfforts.close();
    this.#accelerationEfforts.close();
    this.#decelerationEfforts.close();
  }

  #startSegment(fix: GnssFix): void {
    this.#endSegment();
    this.#segmentOpen = true;
    this.#last = fix;
    this.#deviceSpeed = fix.speed ?? null;
    this.#hasVelocity = false;
    this.#previousSpeed = this.#deviceSpeed;
    this.#speed = this.#deviceSpeed ?? 0;
    this.#acceleration = 0;
    this.#power = 0;
  }

  #step(last: GnssFix, fix: GnssFix, stepM: number, dtS: number): void {
    const c = this.conventions;
    const alpha = c.speedSmoothingSeconds > 0 ? 1 - Math.exp(-dtS / c.speedSmoothingSeconds) : 1;

    const { east, north } = localOffset(last, fix);
    if (this.#hasVelocity) {
      this.#velocityEast += alpha * (east / dtS - this.#velocityEast);
      this.#velocityNorth += alpha * (north / dtS - this.#velocityNorth);
    } else {
      this.#velocityEast = east / dtS;
      this.#velocityNorth = north / dtS;
      this.#hasVelocity = true;
    }
    if (fix.speed != null) {
      this.#deviceSpeed = this.#deviceSpeed === null ? fix.speed : this.#deviceSpeed + alpha * (fix.speed - this.#deviceSpeed);
    } else {
      this.#deviceSpeed = null;
    }

    const speed = this.#deviceSpeed ?? Math.hypot(this.#velocityEast, this.#velocityNorth);
    const acceleration = this.#previousSpeed === null ? 0 : (speed - this.#previousSpeed) / dtS;
    const distanceM = speed >= c.stationarySpeed ? stepM : 0;
    this.#previousSpeed = speed;
    this.#speed = speed;
    this.#acceleration = acceleration;
    this.#last = fix;

    this.#distanceM += distanceM;
    this.#durationS += dtS;
    if (speed > this.#maxSpeed) this.#maxSpeed = speed;
    let zone = c.speedZones.length - 1;
    while (zone > 0 && speed < c.speedZones[zone]!.fromSpeed) zone--;
    this.#zoneDistance[zone]! += distanceM;
    this.#zoneDuration[zone]! += dtS;
    if (speed >= c.highSpeedRunningSpeed) this.#highSpeedDistanceM += distanceM;
    if (speed >= c.sprintSpeed) this.#sprintDistanceM += distanceM;

    this.#highSpeedEfforts.step(last.t, fix.t, speed, distanceM);
    this.#sprintEfforts.step(last.t, fix.t, speed, distanceM);
    this.#accelerationEfforts.step(last.t, fix.t, acceleration, distanceM);
    this.#decelerationEfforts.step(last.t, fix.t, -acceleration, distanceM);

    this.#power = metabolicPower(speed, acceleration, c);
    this.#workJPerKg += this.#power * dtS;
  }

  #metabolicTotals(): MetabolicTotals {
    return {
      averagePower: this.#durationS > 0 ? this.#workJPerKg / this.#durationS : null,
      workJPerKg: this.#workJPerKg,
      equivalentDistanceM: this.#workJPerKg / this.#steadyRunningCost,
    };
  }

  #totals(): GnssTotals {
    const zones = this.conventions.speedZones.map((zone, i, all) => ({
      name: zone.name,
      fromSpeed: zone.fromSpeed,
      toSpeed: all[i + 1]?.fromSpeed ?? null,
      distanceM: this.#zoneDistance[i]!,
      durationS: this.#zoneDuration[i]!,
    }));
    return {
      distanceM: this.#distanceM,
      durationS: this.#durationS,
      maxSpeed: this.#maxSpeed,
      zones,
      fixes: { ...this.#fixes },
      conventions: this.conventions,
    };
  }
}

/**
 * Batch form: the same pipeline over a recorded track, with every effort listed. Fixes should be
 * in time order; out-of-order and duplicate fixes are counted and skipped, as live.
 */
export function summarizeGnss(fixes: readonly GnssFix[], options?: GnssOptions): GnssSummary {
  if (!Array.isArray(fixes)) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', 'fixes must be an array of GNSS fixes', { argument: 'fixes' });
  }
  const efforts: Record<EffortKind, Effort[]> = { highSpeedRunning: [], sprint: [], acceleration: [], deceleration: [] };
  const accumulator = new GnssAccumulator(options, (kind, effort) => efforts[kind].push(effort));
  for (const fix of fixes) accumulator.push(fix);
  accumulator.flush();
  const { t: _t, speed: _speed, acceleration: _acceleration, metabolic, highSpeedRunning, sprint, accelerations, decelerations, ...totals } =
    accumulator.snapshot();
  const { currentPower: _currentPower, ...metabolicTotals } = metabolic;
  return {
    ...totals,
    highSpeedRunning: { ...highSpeedRunning, efforts: efforts.highSpeedRunning },
    sprint: { ...sprint, efforts: efforts.sprint },
    accelerations: { ...accelerations, efforts: efforts.acceleration },
    decelerations: { ...decelerations, efforts: efforts.deceleration },
    metabolic: metabolicTotals,
  };
}
