/**
 * Metabolic power of accelerated running (W/kg), after di Prampero et al. 2005 (J Exp Biol
 * 208:2809–2816): running with forward acceleration a on flat ground costs what running at
 * constant speed up an "equivalent slope" ES costs, carrying an "equivalent mass" EM = √(ES² + 1)
 * times body mass (from g′ = √(a² + g²)). Power = energy cost per metre × speed.
 *
 * Two published versions, chosen by `metabolicModel`:
 * - 'osgnach-2010' (Osgnach et al. 2010, Med Sci Sports Exerc 42(1):170–178): ES = a/g and the
 *   Minetti et al. 2002 (J Appl Physiol 93:1039–1046) gradient-running polynomial
 *   EC = (155.4ES⁵ − 30.4ES⁴ − 43.3ES³ + 46.3ES² + 19.5ES + 3.6)·EM·KT, with terrain factor KT
 *   (1.29 on grass). Negative slopes use the same polynomial, which under-costs hard
 *   decelerations (a known criticism, PMC9729919).
 * - 'di-prampero-2018' (di Prampero & Osgnach 2018, Int J Sports Med 39(8):581–587,
 *   doi:10.1055/a-0592-7660): ES = a/g + k·v²/g with air resistance k = 0.0037 m⁻¹; walking below
 *   the walk–run transition speed, costed from their Table 1 polynomials interpolated in ES;
 *   running costed per Minetti & Parvei 2018 (J Exp Biol 221:jeb182303):
 *   EC = (39.5ES + C·e^(−4ES))·EM for ES ≥ 0 and (−8.34ES + C·e^(13ES))·EM below, C = 3.6 J/kg/m.
 *   Constants and structure match floodlight-sports/floodlight `floodlight/models/kinetics.py`
 *   (MIT), whose test values this module is checked against.
 */
import { TouchlineError } from '../errors.ts';

export type MetabolicModel = 'osgnach-2010' | 'di-prampero-2018';
export const METABOLIC_MODELS: readonly MetabolicModel[] = ['osgnach-2010', 'di-prampero-2018'];

export interface MetabolicConventions {
  metabolicModel: MetabolicModel;
  /** Osgnach 2010 terrain factor KT; 1.29 for grass. Unused by the 2018 model. */
  terrainFactor: number;
  /** 2018 model: cost of constant-speed running on flat ground, J/kg/m (3.6; turf-dependent). */
  constantRunningCost: number;
  /** m/s². Osgnach 2010 used 9.81; floodlight uses standard gravity 9.80665. */
  gravity: number;
}

export const DEFAULT_METABOLIC_CONVENTIONS: Readonly<MetabolicConventions> = Object.freeze({
  metabolicModel: 'osgnach-2010',
  terrainFactor: 1.29,
  constantRunningCost: 3.6,
  gravity: 9.80665,
});

/** di Prampero & Osgnach 2018: air-resistance coefficient, m⁻¹. */
const AIR_RESISTANCE_K = 0.0037;

/** di Prampero & Osgnach 2018 Table 1: walking cost a·v⁴ + b·v³ + c·v² + d·v + e at these ES. */
const WALKING_SLOPES = [-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.4] as const;
const WALKING_COEFFICIENTS: readonly (readonly [number, number, number, number, number])[] = [
  [0.28, -1.66, 3.81, -3.96, 4.01],
  [0.03, -0.15, 0.98, -2.25, 3.14],
  [0.69, -3.21, 5.94, -5.07, 2.79],
  [1.25, -6.57, 13.14, -11.15, 5.35],
  [0.68, -4.17, 10.17, -10.31, 8.66],
  [3.8, -14.91, 22.94, -14.53, 11.24],
  [44.95, -122.88, 126.94, -57.46, 21.39],
  [94.62, -213.94, 184.43, -68.49, 25.04],
];

function requireNumber(value: number, name: string, min = -Infinity): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new TouchlineError(
      'TL_ERR_INVALID_ARGUMENT',
      `${name} must be a finite number${min > -Infinity ? ` ≥ ${min}` : ''}, got ${String(value)}`,
      { argument: name, value },
    );
  }
}

export function equivalentSlope(
  speed: number,
  acceleration: number,
  conventions: MetabolicConventions = DEFAULT_METABOLIC_CONVENTIONS,
): number {
  requireNumber(speed, 'speed', 0);
  requireNumber(acceleration, 'acceleration');
  const g = conventions.gravity;
  return conventions.metabolicModel === 'di-prampero-2018'
    ? acceleration / g + (AIR_RESISTANCE_K * speed * speed) / g
    : acceleration / g;
}

export function equivalentMass(slope: number): number {
  return Math.sqrt(slope * slope + 1);
}

/** di Prampero & Osgnach 2018: the speed (m/s) above which walking at slope ES turns to running. */
export function walkRunTransitionSpeed(slope: number): number {
  const es = slope;
  return -107.05 * es ** 5 + 113.13 * es ** 4 - 1.13 * es ** 3 - 15.84 * es ** 2 - 1.7 * es + 2.27;
}

function walkingCostAtRow(row: number, speed: number): number {
  const [a, b, c, d, e] = WALKING_COEFFICIENTS[row]!;
  return (((a * speed + b) * speed + c) * speed + d) * speed + e;
}

function walkingCost(slope: number, speed: number): number {
  const last = WALKING_SLOPES.length - 1;
  if (slope <= WALKING_SLOPES[0]) return walkingCostAtRow(0, speed);
  if (slope >= WALKING_SLOPES[last]!) return walkingCostAtRow(last, speed);
  let row = 0;
  while (slope > WALKING_SLOPES[row + 1]!) row++;
  const lower = WALKING_SLOPES[row]!;
  const weight = (slope - lower) / (WALKING_SLOPES[row + 1]! - lower);
  return (1 - weight) * walkingCostAtRow(row, speed) + weight * walkingCostAtRow(row + 1, speed);
}

function runningCost2018(slope: number, constantRunningCost: number): number {
  return slope >= 0
    ? 39.5 * slope + constantRunningCost * Math.exp(-4 * slope)
    : -8.34 * slope + constantRunningCost * Math.exp(13 * slope);
}

function gradientRunningCost2010(slope: number): number {
  const es = slope;
  return 155.4 * es ** 5 - 30.4 * es ** 4 - 43.3 * es ** 3 + 46.3 * es ** 2 + 19.5 * es + 3.6;
}

/** Energy cost of locomotion (J·kg⁻¹·m⁻¹) at equivalent slope ES and speed, equivalent mass included. */
export function energyCost(
  slope: number,
  speed: number,
  conventions: MetabolicConventions = DEFAULT_METABOLIC_CONVENTIONS,
): number {
  requireNumber(slope, 'slope');
  requireNumber(speed, 'speed', 0);
  const mass = equivalentMass(slope);
  if (conventions.metabolicModel === 'osgnach-2010') {
    return gradientRunningCost2010(slope) * mass * conventions.terrainFactor;
  }
  const running = speed >= walkRunTransitionSpeed(slope) || speed > 2.5;
  return (running ? runningCost2018(slope, conventions.constantRunningCost) : walkingCost(slope, speed)) * mass;
}

/** Metabolic power in W/kg: energy cost per metre at the equivalent slope times speed. */
export function metabolicPower(
  speed: number,
  acceleration: number,
  conventions: MetabolicConventions = DEFAULT_METABOLIC_CONVENTIONS,
): number {
  return energyCost(equivalentSlope(speed, acceleration, conventions), speed, conventions) * speed;
}

/**
 * The cost per metre of steady running that turns metabolic work into "equivalent distance"
 * (Osgnach et al. 2010): 3.6·KT for the 2010 model, so that steady running on grass gives an
 * equivalent distance equal to the distance run; the flat-ground constant for 2018 (floodlight's
 * `eccr`).
 */
export function steadyRunningCost(conventions: MetabolicConventions = DEFAULT_METABOLIC_CONVENTIONS): number {
  return conventions.metabolicModel === 'osgnach-2010' ? 3.6 * conventions.terrainFactor : conventions.constantRunningCost;
}
