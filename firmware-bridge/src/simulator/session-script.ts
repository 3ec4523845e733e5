/** The training session the squad runs through, phase by phase; it repeats when it ends. */
import { TouchlineError } from '@touchline/core/metrics';

export const PHASE_KINDS = ['warm-up', 'rondo', 'sprint-drill', 'small-sided-game', 'rest', 'cool-down'] as const;
export type PhaseKind = (typeof PHASE_KINDS)[number];

export interface SessionPhase {
  kind: PhaseKind;
  durationS: number;
}

/** A 57-minute session: the usual shape of a football training day. */
export const DEFAULT_SESSION_SCRIPT: readonly SessionPhase[] = Object.freeze([
  { kind: 'rest', durationS: 60 },
  { kind: 'warm-up', durationS: 600 },
  { kind: 'rest', durationS: 120 },
  { kind: 'rondo', durationS: 720 },
  { kind: 'rest', durationS: 120 },
  { kind: 'sprint-drill', durationS: 480 },
  { kind: 'rest', durationS: 180 },
  { kind: 'small-sided-game', durationS: 900 },
  { kind: 'cool-down', durationS: 240 },
]);

export interface PhasePosition {
  /** Index into the script. */
  index: number;
  phase: SessionPhase;
  /** How many times the script has run through before this pass (0 on the first). */
  session: number;
  /** Seconds since this phase started. */
  elapsedS: number;
}

export function checkScript(script: unknown): readonly SessionPhase[] {
  if (!Array.isArray(script) || script.length === 0) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', 'script must be a non-empty array of { kind, durationS }', { argument: 'script' });
  }
  script.forEach((phase: Partial<SessionPhase> | null, i) => {
    if (!PHASE_KINDS.includes(phase?.kind as PhaseKind)) {
      throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `script[${i}].kind must be one of ${PHASE_KINDS.join(', ')}`, { argument: 'script' });
    }
    const durationS = phase?.durationS;
    if (typeof durationS !== 'number' || !Number.isFinite(durationS) || durationS <= 0) {
      throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `script[${i}].durationS must be a positive number of seconds`, { argument: 'script' });
    }
  });
  return script as readonly SessionPhase[];
}

export function scriptDurationS(script: readonly SessionPhase[]): number {
  return script.reduce((sum, phase) => sum + phase.durationS, 0);
}

/** Where `elapsedS` seconds after the first session started falls in the (repeating) script. */
export function phaseAt(script: readonly SessionPhase[], elapsedS: number): PhasePosition {
  const total = scriptDurationS(script);
  const session = Math.floor(elapsedS / total);
  let remaining = elapsedS - session * total;
  for (let index = 0; index < script.length; index++) {
    const phase = script[index]!;
    if (remaining < phase.durationS) return { index, phase, session, elapsedS: remaining };
    remaining -= phase.durationS;
  }
  // Floating-point rounding at the very end of a session: it is the last phase's final instant.
  const index = script.length - 1;
  const phase = script[index]!;
  return { index, phase, session, elapsedS: phase.durationS };
}
