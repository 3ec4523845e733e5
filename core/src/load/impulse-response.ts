/**
 * Banister's impulse–response (fitness–fatigue) model: p(t) = p0 + k1·g(t) − k2·h(t), with
 * g(t) = g(t−1)·e^(−1/τ1) + w(t) and h(t) = h(t−1)·e^(−1/τ2) + w(t), g(0) = h(0) = 0.
 * Morton, Fitz-Clarke & Banister 1990, J Appl Physiol 69(3):1171–1177; Clarke & Skiba 2013, Adv Physiol
 * Educ 37(2):134–152, whose teaching spreadsheet (GoldenCheetah doc/contrib/Clarke_Rationale_2013s.xlsx,
 * sheet "6 - IR model def") counts day t's load in day t's performance, as here.
 *
 * The parameters are fitted per athlete; there are no defaults worth trusting (GoldenCheetah starts its
 * fit from τ1 = 50, τ2 = 11).
 */
import { checkLoads, checkNumber } from './checks.ts';

export interface ImpulseResponseParameters {
  p0: number;
  k1: number;
  k2: number;
  /** Fitness and fatigue time constants in days. */
  tau1: number;
  tau2: number;
}

export interface ImpulseResponseDay {
  fitness: number;
  fatigue: number;
  performance: number;
}

/** One entry per load; entry i is day i + 1 of the model (day 0 is the rested baseline p0). */
export function banisterImpulseResponse(loads: readonly number[], params: ImpulseResponseParameters): ImpulseResponseDay[] {
  checkLoads(loads);
  const p0 = checkNumber(params.p0, 'p0');
  const k1 = checkNumber(params.k1, 'k1', (n) => n >= 0, '>= 0');
  const k2 = checkNumber(params.k2, 'k2', (n) => n >= 0, '>= 0');
  const fitnessDecay = Math.exp(-1 / checkNumber(params.tau1, 'tau1', (n) => n > 0, '> 0'));
  const fatigueDecay = Math.exp(-1 / checkNumber(params.tau2, 'tau2', (n) => n > 0, '> 0'));
  let fitness = 0;
  let fatigue = 0;
  return loads.map((w) => {
    fitness = fitness * fitnessDecay + w;
    fatigue = fatigue * fatigueDecay + w;
    return { fitness, fatigue, performance: p0 + k1 * fitness - k2 * fatigue };
  });
}
