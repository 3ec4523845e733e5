/**
 * Age-predicted maximal heart rate, for athletes without a measured HRmax. A measured value is always
 * better: every formula below has a standard error of about 7–11 bpm for an individual.
 */
import { TouchlineError } from '../errors.ts';
import { requireFinite } from './profile.ts';

export type HrMaxFormula = 'fox' | 'tanaka' | 'gellish';

const FORMULAS: Record<HrMaxFormula, (age: number) => number> = {
  // 220 − age, usually attributed to Fox, Naughton & Haskell 1971 (Ann Clin Res 3:404–432); "no published record
  // of research for this equation" (https://www.trainasone.com/glossary/). Kept because users expect it.
  fox: (age) => 220 - age,
  // Tanaka, Monahan & Seals 2001, J Am Coll Cardiol 37(1):153–156: meta-analysis of 351 studies, 18,712 subjects.
  tanaka: (age) => 208 - 0.7 * age,
  // Gellish et al. 2007, Med Sci Sports Exerc 39(5):822–829: longitudinal linear model.
  gellish: (age) => 207 - 0.7 * age,
};

/** Predicted HRmax in bpm; Tanaka by default, as the best-supported of the three. */
export function estimateHrMax(ageYears: number, formula: HrMaxFormula = 'tanaka'): number {
  requireFinite(ageYears, 'ageYears', (n) => n > 0 && n < 120, 'in (0, 120)');
  if (!Object.hasOwn(FORMULAS, formula)) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `formula must be fox, tanaka or gellish, got ${String(formula)}`, {
      argument: 'formula',
    });
  }
  return FORMULAS[formula](ageYears);
}
