/**
 * Exponentially weighted moving averages of daily load and the EWMA acute:chronic workload ratio
 * (Williams et al. 2017, "Better way to determine the acute:chronic workload ratio?", BJSM 51(3):209–210,
 * https://bjsm.bmj.com/content/51/3/209): EWMA_t = λ·L_t + (1 − λ)·EWMA_{t−1}, λ = 2/(N + 1), so N = 7
 * gives λ = 0.25 and N = 28 gives λ = 2/29.
 *
 * The letter does not say how to start the average. 'first-day' seeds it with the first day's load, as the
 * reference implementation does (JorgeDelro/ACWR R/EWMA.R); 'zero' starts from no load, like CTL/ATL.
 */
import { checkChoice, checkDays, checkLoads } from './checks.ts';
import { loadRatio } from './rolling.ts';

export type EwmaSeed = 'first-day' | 'zero';
export const EWMA_SEEDS: readonly EwmaSeed[] = ['first-day', 'zero'];

export function ewma(loads: readonly number[], spanDays: number, seed: EwmaSeed): number[] {
  checkLoads(loads);
  const lambda = 2 / (checkDays(spanDays, 'spanDays') + 1);
  let value = checkChoice(seed, 'seed', EWMA_SEEDS) === 'first-day' ? (loads[0] ?? 0) : 0;
  return loads.map((load) => (value = lambda * load + (1 - lambda) * value));
}

export function ewmaAcwr(
  loads: readonly number[],
  options: { acuteDays: number; chronicDays: number; seed: EwmaSeed },
): { acute: number[]; chronic: number[]; acwr: (number | null)[] } {
  const acute = ewma(loads, options.acuteDays, options.seed);
  const chronic = ewma(loads, options.chronicDays, options.seed);
  return { acute, chronic, acwr: acute.map((a, i) => loadRatio(a, chronic[i] ?? 0)) };
}
