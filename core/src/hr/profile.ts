/** Checks on the inputs every heart-rate metric shares, so each metric can trust them. */
import { TouchlineError } from '../errors.ts';
import type { AthleteProfile } from '../types.ts';

export function requireFinite(value: unknown, name: string, check: (n: number) => boolean = () => true, rule = ''): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `${name} must be a finite number${rule ? ` ${rule}` : ''}, got ${String(value)}`, {
      argument: name,
      value,
    });
  }
  return value;
}

/** HRmax above HRrest is what makes %HRmax and the heart-rate reserve meaningful. */
export function checkProfile(profile: AthleteProfile): void {
  requireFinite(profile.hrRest, 'hrRest', (n) => n > 0, '> 0');
  requireFinite(profile.hrMax, 'hrMax', (n) => n > profile.hrRest, '> hrRest');
  if (profile.sex !== 'male' && profile.sex !== 'female') {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `sex must be "male" or "female", got ${String(profile.sex)}`, {
      argument: 'sex',
    });
  }
}
