/**
 * Every threshold the GNSS metrics use, as named options with documented defaults. Vendors and
 * papers disagree on nearly all of them (reference §2.15; Varley et al. 2017, Int J Sports Physiol
 * Perform 12(8):1059–1068, show effort counts move with filter and minimum duration), so each
 * result carries the resolved set as `conventions`.
 */
import { TouchlineError } from '../errors.ts';
import { DEFAULT_METABOLIC_CONVENTIONS, METABOLIC_MODELS, type MetabolicConventions } from './metabolic-power.ts';

/** A speed band from `fromSpeed` (m/s, inclusive) up to the next band's `fromSpeed`. */
export interface SpeedZone {
  name: string;
  fromSpeed: number;
}

export interface GnssConventions extends MetabolicConventions {
  /** Fixes reporting a larger HDOP are dropped. */
  maxHdop: number;
  /** Fixes reporting fewer satellites are dropped. */
  minSatellites: number;
  /** m/s. A fix implying a faster move from the previous fix, or reporting a faster speed, is dropped. */
  maxSpeed: number;
  /** Seconds. No distance, time or effort is integrated across a longer dropout. */
  maxGapSeconds: number;
  /** m/s. Steps slower than this add no distance (GNSS jitter of a standing athlete). */
  stationarySpeed: number;
  /** Seconds. Time constant of the exponential speed filter; 0 turns smoothing off. */
  speedSmoothingSeconds: number;
  /** Ascending bands; the first starts at 0, the last is open-ended. */
  speedZones: readonly SpeedZone[];
  /** m/s. High-speed running distance and efforts at or above this speed. */
  highSpeedRunningSpeed: number;
  /** m/s. Sprint distance and efforts at or above this speed. */
  sprintSpeed: number;
  /** Seconds a speed effort must last to count. */
  speedEffortMinSeconds: number;
  /** A speed effort ends when speed falls below entry speed × this fraction (1 = no hysteresis). */
  speedEffortExitFraction: number;
  /** m/s². Acceleration efforts at or above this. */
  accelerationThreshold: number;
  /** m/s², a magnitude. Deceleration efforts at or below minus this. */
  decelerationThreshold: number;
  /** Seconds an acceleration or deceleration effort must last to count. */
  accelerationEffortMinSeconds: number;
}

export type GnssOptions = Partial<GnssConventions>;

/**
 * Bands after the Prozone categories of Bradley et al. 2009 (J Sports Sci 27(2):159–168): standing
 * < 0.7 km/h, walking < 7.2, jogging < 14.4, running < 19.8, high-speed running < 25.2, sprinting
 * above; in m/s, rounded. HSR then equals STATSports' ≥ 5.5 m/s and Catapult's bands 5 + 6 (§2.15).
 */
export const DEFAULT_SPEED_ZONES: readonly SpeedZone[] = Object.freeze([
  { name: 'standing', fromSpeed: 0 },
  { name: 'walking', fromSpeed: 0.2 },
  { name: 'jogging', fromSpeed: 2 },
  { name: 'running', fromSpeed: 4 },
  { name: 'high-speed running', fromSpeed: 5.5 },
  { name: 'sprinting', fromSpeed: 7 },
]);

export const DEFAULT_GNSS_CONVENTIONS: Readonly<GnssConventions> = Object.freeze({
  // No team-sport standard exists: Delves et al. 2021 (Sports Med Open 7:45,
  // doi:10.1186/s40798-021-00332-8) found HDOP and satellite counts rarely reported. These are
  // Touchline's own defaults, lenient enough for stadiums.
  maxHdop: 2,
  minSatellites: 6,
  // Above the fastest human sprinting (Bolt's 2009 Berlin 100 m peaked at about 12.3 m/s).
  maxSpeed: 12.5,
  // Touchline's default for 10 Hz pods; watch files with Garmin "smart recording" (fixes up to
  // ~10 s apart) need a longer bridge.
  maxGapSeconds: 5,
  // The top of the standing band, so distance is only credited to moving athletes.
  stationarySpeed: 0.2,
  // Exponential smoothing of speed as studied for 10 Hz units by Varley et al. 2017 and Ellens et
  // al. 2024 (Appl Sci 14(22):10573), neither of which settles a constant; Touchline's τ = 0.2 s
  // is α ≈ 0.39 at 10 Hz and barely smooths 1 Hz data.
  speedSmoothingSeconds: 0.2,
  speedZones: DEFAULT_SPEED_ZONES,
  // STATSports glossary, HSR ≥ 5.5 m/s:
  // https://support.statsports.com/hc/en-us/articles/360008980191-Glossary
  highSpeedRunningSpeed: 5.5,
  // Sprinting > 25.2 km/h (Bradley et al. 2009); Catapult One's default is > 5 m/s:
  // https://onesupport.catapultsports.com/hc/en-us/articles/7443807365775
  sprintSpeed: 7,
  // STATSports sprint minimum duration default 1.0 s:
  // https://elitesupport.statsports.com/hc/en-us/articles/13326663967005
  speedEffortMinSeconds: 1,
  speedEffortExitFraction: 1,
  // STATSports glossary: accelerations/decelerations ≥ 3 m/s² held ≥ 0.5 s.
  accelerationThreshold: 3,
  decelerationThreshold: 3,
  accelerationEffortMinSeconds: 0.5,
  ...DEFAULT_METABOLIC_CONVENTIONS,
});

function invalid(name: string, rule: string, value: unknown): TouchlineError {
  return new TouchlineError('TL_ERR_INVALID_ARGUMENT', `GNSS option ${name} must be ${rule}, got ${JSON.stringify(value) ?? String(value)}`, {
    argument: name,
    value,
  });
}

function checkNumber(c: GnssConventions, name: keyof GnssConventions, rule: string, ok: (n: number) => boolean): void {
  const value = c[name];
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) throw invalid(name, rule, value);
}

function checkZones(zones: unknown): readonly SpeedZone[] {
  if (!Array.isArray(zones) || zones.length === 0) throw invalid('speedZones', 'a non-empty array', zones);
  let previous = -1;
  const copy = zones.map((zone: unknown, i) => {
    const { name, fromSpeed } = (zone ?? {}) as Partial<SpeedZone>;
    if (typeof name !== 'string' || name.trim() === '') throw invalid(`speedZones[${i}].name`, 'a non-empty string', name);
    if (typeof fromSpeed !== 'number' || !Number.isFinite(fromSpeed) || fromSpeed <= previous) {
      throw invalid(`speedZones[${i}].fromSpeed`, `a finite number above the previous band's (${previous})`, fromSpeed);
    }
    if (i === 0 && fromSpeed !== 0) throw invalid('speedZones[0].fromSpeed', '0, so every speed has a band', fromSpeed);
    previous = fromSpeed;
    return Object.freeze({ name, fromSpeed });
  });
  return Object.freeze(copy);
}

/** Merges options over the defaults and checks them once, so the hot path can trust them. */
export function resolveGnssConventions(options: GnssOptions = {}): Readonly<GnssConventions> {
  if (options === null || typeof options !== 'object') throw invalid('options', 'an object', options);
  const c: GnssConventions = { ...DEFAULT_GNSS_CONVENTIONS, ...options };
  const positive = (n: number) => n > 0;
  const nonNegative = (n: number) => n >= 0;
  checkNumber(c, 'maxHdop', '> 0', positive);
  checkNumber(c, 'minSatellites', '≥ 0', nonNegative);
  checkNumber(c, 'maxSpeed', '> 0', positive);
  checkNumber(c, 'maxGapSeconds', '> 0', positive);
  checkNumber(c, 'stationarySpeed', '≥ 0', nonNegative);
  checkNumber(c, 'speedSmoothingSeconds', '≥ 0', nonNegative);
  checkNumber(c, 'highSpeedRunningSpeed', '> 0', positive);
  checkNumber(c, 'sprintSpeed', '> 0', positive);
  checkNumber(c, 'speedEffortMinSeconds', '≥ 0', nonNegative);
  checkNumber(c, 'speedEffortExitFraction', 'in (0, 1]', (n) => n > 0 && n <= 1);
  checkNumber(c, 'accelerationThreshold', '> 0', positive);
  checkNumber(c, 'decelerationThreshold', '> 0 (a magnitude)', positive);
  checkNumber(c, 'accelerationEffortMinSeconds', '≥ 0', nonNegative);
  checkNumber(c, 'terrainFactor', '> 0', positive);
  checkNumber(c, 'constantRunningCost', '> 0', positive);
  checkNumber(c, 'gravity', '> 0', positive);
  if (!METABOLIC_MODELS.includes(c.metabolicModel)) {
    throw invalid('metabolicModel', `one of ${METABOLIC_MODELS.join(', ')}`, c.metabolicModel);
  }
  c.speedZones = checkZones(c.speedZones);
  return Object.freeze(c);
}
