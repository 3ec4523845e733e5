/** Argument checks shared by the load models, so each model states its rule in one line. */
import { TouchlineError } from '../errors.ts';

export function checkDays(value: unknown, name: string, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `${name} must be a whole number of days >= ${min}, got ${String(value)}`, { argument: name });
  }
  return value;
}

export function checkChoice<T extends string>(value: unknown, name: string, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `${name} must be one of ${choices.join(', ')}, got ${String(value)}`, { argument: name });
  }
  return value as T;
}

export function checkNumber(value: unknown, name: string, rule: (n: number) => boolean = () => true, ruleText = ''): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !rule(value)) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `${name} must be a finite number${ruleText ? ` ${ruleText}` : ''}, got ${String(value)}`, {
      argument: name,
    });
  }
  return value;
}

/** Daily loads as the models take them: finite and >= 0, one per consecutive day. */
export function checkLoads(loads: readonly number[]): readonly number[] {
  if (!Array.isArray(loads)) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', 'loads must be an array of daily loads', { argument: 'loads' });
  }
  loads.forEach((load, i) => checkNumber(load, `loads[${i}]`, (n) => n >= 0, '>= 0'));
  return loads;
}
