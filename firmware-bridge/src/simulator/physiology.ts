/**
 * What the body does with the movement: heart rate with first-order kinetics, individual beats with
 * beat-to-beat variability that shrinks with effort, and the accelerometer load of running.
 * These are simulation models, tuned to look right on a dashboard, not metrics.
 */
import type { Random } from './random.ts';

export interface HeartProfile {
  hrRest: number;
  hrMax: number;
  /** RMSSD (ms) when standing still and rested. */
  rmssdRest: number;
  /** Scales the effort an athlete feels; above 1 is less fit. */
  effortFactor: number;
}

export interface Heart {
  /** Heart rate (bpm) driven by effort, before beat-to-beat noise. */
  hr: number;
  /** Slow bpm fluctuation around `hr` (thermoregulation, blood pressure waves, posture). */
  drift: number;
  /** Two slow sinusoids make up the drift: amplitudes (bpm), periods (ms) and phases (rad). */
  driftWaves: readonly { amplitude: number; periodMs: number; phase: number }[];
  lastBeatMs: number;
  nextBeatMs: number;
  /** AR(1) state of the RR deviation from 60000/HR (ms). */
  rrDeviation: number;
}

/** Heart-rate kinetics time constants (s): faster to rise than to recover. */
export const HR_TAU_ON_S = 30;
export const HR_TAU_OFF_S = 60;
/** Highest steady heart rate effort drives toward, as a fraction of HRmax. */
export const HR_CEILING_FRACTION = 0.95;
/** RR intervals are kept within what a strap reports for 30..250 bpm. */
const RR_MIN_MS = 240;
const RR_MAX_MS = 2000;
/** Lag-one autocorrelation of beat-to-beat deviations. */
const RR_AR = 0.3;

/**
 * Fraction of heart-rate reserve the current movement calls for. Steady running maps roughly
 * linearly onto heart rate (walking ≈ 0.4, 3 m/s ≈ 0.7, 4.5 m/s ≈ 1 of the reserve to 95 % HRmax);
 * acceleration and speed above 5 m/s add the anaerobic cost that lets repeated sprints lift heart
 * rate far above what their average speed would. Values above 1 are allowed: the kinetics and the
 * ceiling keep heart rate in range.
 */
export function effortDrive(speed: number, acceleration: number, effortFactor: number): number {
  return effortFactor * (0.2 + 0.17 * speed + 0.1 * acceleration + 0.2 * Math.max(0, speed - 5));
}

export function createHeart(profile: HeartProfile, nowMs: number, rng: Random): Heart {
  const hr = profile.hrRest + 0.2 * (HR_CEILING_FRACTION * profile.hrMax - profile.hrRest);
  const rr = Math.round(60000 / hr);
  // Start part-way through a beat, so that the first interval reported is a whole one.
  const lastBeatMs = nowMs - Math.round(rng.uniform(0, rr));
  // Smooth, so that it shifts heart rate over tens of seconds without adding beat-to-beat jumps.
  const driftWaves = [
    { amplitude: rng.uniform(0.8, 1.5), periodMs: rng.uniform(30_000, 60_000), phase: rng.uniform(0, 2 * Math.PI) },
    { amplitude: rng.uniform(0.8, 1.5), periodMs: rng.uniform(90_000, 180_000), phase: rng.uniform(0, 2 * Math.PI) },
  ];
  return { hr, drift: 0, driftWaves, lastBeatMs, nextBeatMs: lastBeatMs + rr, rrDeviation: 0 };
}

/** Heart rate right now (bpm), within [hrRest, hrMax]. */
export function heartRate(heart: Heart, profile: HeartProfile): number {
  return Math.min(profile.hrMax, Math.max(profile.hrRest, heart.hr + heart.drift));
}

/**
 * RMSSD falls roughly exponentially as exercise intensity rises and vagal tone withdraws, to a few
 * ms near maximal effort (Michael, Graham & Davis 2017, Front Physiol 8:301, review). `reserve` is
 * the fraction of heart-rate reserve in use.
 */
export function rmssdAt(reserve: number, rmssdRest: number): number {
  const floor = 3;
  return floor + (rmssdRest - floor) * Math.exp(-Math.max(0, reserve) / 0.2);
}

/**
 * Moves the heart on by `dtS` to `endMs` under `drive` and returns the RR intervals (ms, oldest
 * first) of the beats that fell in the step.
 */
export function stepHeart(heart: Heart, profile: HeartProfile, drive: number, dtS: number, endMs: number, rng: Random): number[] {
  const ceiling = HR_CEILING_FRACTION * profile.hrMax;
  const target = profile.hrRest + drive * (ceiling - profile.hrRest);
  const tau = target > heart.hr ? HR_TAU_ON_S : HR_TAU_OFF_S;
  heart.hr += (target - heart.hr) * (1 - Math.exp(-dtS / tau));
  heart.hr = Math.min(ceiling, Math.max(profile.hrRest, heart.hr));
  heart.drift = heart.driftWaves.reduce((sum, wave) => sum + wave.amplitude * Math.sin((2 * Math.PI * endMs) / wave.periodMs + wave.phase), 0);

  const beats: number[] = [];
  while (heart.nextBeatMs <= endMs) {
    beats.push(heart.nextBeatMs - heart.lastBeatMs);
    heart.lastBeatMs = heart.nextBeatMs;
    const bpm = heartRate(heart, profile);
    const reserve = (bpm - profile.hrRest) / (profile.hrMax - profile.hrRest);
    // An AR(1) series with innovation SD s has RMSSD = s·√(2/(1+φ)); solve for s.
    const innovationSd = rmssdAt(reserve, profile.rmssdRest) * Math.sqrt((1 + RR_AR) / 2);
    heart.rrDeviation = RR_AR * heart.rrDeviation + rng.normal(0, innovationSd);
    const rr = Math.round(Math.min(RR_MAX_MS, Math.max(RR_MIN_MS, 60000 / bpm + heart.rrDeviation)));
    heart.nextBeatMs = heart.lastBeatMs + rr;
  }
  return beats;
}

/**
 * Rate of Catapult PlayerLoad (AU/min) for a player moving at `speed` (m/s) with `acceleration`
 * (m/s²). PlayerLoad sums changes in acceleration, which foot strikes, accelerations and changes of
 * direction produce; standing still gives almost none.
 */
export function playerLoadRate(speed: number, acceleration: number): number {
  return 0.6 + 3.2 * speed + 1.5 * acceleration;
}
