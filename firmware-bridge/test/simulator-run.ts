/** Drives a squad model tick by tick for tests, handing each tick's messages and ground truth to a callback. */
import type { PhasePosition } from '../src/simulator/session-script.ts';
import { TICK_MS, type AthleteTruth, type SimMessage, type SquadModel } from '../src/simulator/squad-model.ts';

export const T0 = Date.UTC(2026, 2, 1, 10, 0, 0);

export interface Tick {
  t: number;
  /** The phase the athletes moved under during this tick. */
  phase: PhasePosition;
  messages: SimMessage[];
  truth: AthleteTruth[];
}

export function runTicks(model: SquadModel, durationS: number, onTick: (tick: Tick) => void): void {
  const end = model.startTime + durationS * 1000;
  while (model.now + TICK_MS <= end) {
    const phase = model.phase;
    const messages = model.advanceTo(model.now + TICK_MS);
    onTick({ t: model.now, phase, messages, truth: model.truth() });
  }
}
