/**
 * Chronic and acute training load (CTL, ATL) and training stress balance (TSB): the performance
 * management chart. Each load is an exponentially weighted average of daily load,
 * X_d = X_{d−1} + k·(S_d − X_{d−1}), with one of two decay conventions:
 * - 'exponential': k = 1 − e^(−1/τ), GoldenCheetah src/Metrics/PMCData.cpp (lte = exp(−1/ltsDays)).
 * - 'linear': k = 1/τ, the common "TrainingPeaks-style" recurrence CTL_d = CTL_{d−1} + (S_d − CTL_{d−1})/42.
 * Defaults τ = 42 days (CTL) and 7 days (ATL), as GoldenCheetah.
 *
 * TSB timing: 'previous-day' gives TSB_d = CTL_{d−1} − ATL_{d−1}, the form going into day d, which is
 * GoldenCheetah's default (sb[d+1] = lts[d] − sts[d]); 'same-day' gives CTL_d − ATL_d.
 */
import { checkChoice, checkDays, checkLoads, checkNumber } from './checks.ts';

export type PmcDecay = 'exponential' | 'linear';
export const PMC_DECAYS: readonly PmcDecay[] = ['exponential', 'linear'];

export type TsbTiming = 'previous-day' | 'same-day';
export const TSB_TIMINGS: readonly TsbTiming[] = ['previous-day', 'same-day'];

export interface PmcParameters {
  ctlDays: number;
  atlDays: number;
  decay: PmcDecay;
  tsb: TsbTiming;
  /** Loads carried in from before the series (a season's start); 0 by default. */
  initialCtl?: number;
  initialAtl?: number;
}

export interface PmcDay {
  ctl: number;
  atl: number;
  tsb: number;
}

export function decayFactor(tauDays: number, decay: PmcDecay): number {
  return decay === 'exponential' ? 1 - Math.exp(-1 / tauDays) : 1 / tauDays;
}

export function performanceManagement(loads: readonly number[], params: PmcParameters): PmcDay[] {
  checkLoads(loads);
  const decay = checkChoice(params.decay, 'decay', PMC_DECAYS);
  const timing = checkChoice(params.tsb, 'tsb', TSB_TIMINGS);
  const kCtl = decayFactor(checkDays(params.ctlDays, 'ctlDays'), decay);
  const kAtl = decayFactor(checkDays(params.atlDays, 'atlDays'), decay);
  let ctl = checkNumber(params.initialCtl ?? 0, 'initialCtl', (n) => n >= 0, '>= 0');
  let atl = checkNumber(params.initialAtl ?? 0, 'initialAtl', (n) => n >= 0, '>= 0');
  return loads.map((load) => {
    const formGoingIn = ctl - atl;
    ctl += kCtl * (load - ctl);
    atl += kAtl * (load - atl);
    return { ctl, atl, tsb: timing === 'previous-day' ? formGoingIn : ctl - atl };
  });
}
