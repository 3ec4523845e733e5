import { localOffset } from '@touchline/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ORIGIN, PITCH_LENGTH_M, PITCH_WIDTH_M } from '../src/simulator/pitch.ts';
import { DEFAULT_SESSION_SCRIPT, scriptDurationS } from '../src/simulator/session-script.ts';
import { createSquadModel, type AthleteTruth } from '../src/simulator/squad-model.ts';
import { T0, runTicks, type Tick } from './simulator-run.ts';

const ATHLETES = 8;
const DT_S = 0.1;

interface Effort {
  peak: number;
  distance: number;
}

describe('squad movement over a whole session', () => {
  let maxSpeed = 0;
  let maxFiniteDifferenceAcc = 0;
  let maxIntegrationError = 0;
  const bounds = { minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity };
  const sprintPeak = new Array<number>(ATHLETES).fill(0);
  const sprintEfforts: Effort[][] = Array.from({ length: ATHLETES }, () => []);
  const fixErrors: number[] = [];
  const speedErrors: number[] = [];

  beforeAll(() => {
    const model = createSquadModel({ startTime: T0, athletes: ATHLETES, seed: 3, faults: { malformedRate: 0, dropoutRate: 0 } });
    let previous: AthleteTruth[] = model.truth();
    const open: (Effort | null)[] = new Array<Effort | null>(ATHLETES).fill(null);
    runTicks(model, scriptDurationS(DEFAULT_SESSION_SCRIPT), ({ truth, phase, messages }: Tick) => {
      truth.forEach((now, i) => {
        const before = previous[i]!;
        maxSpeed = Math.max(maxSpeed, now.speed);
        // Acceleration from the change in velocity, independent of the model's own ax/ay.
        maxFiniteDifferenceAcc = Math.max(maxFiniteDifferenceAcc, Math.hypot(now.vx - before.vx, now.vy - before.vy) / DT_S);
        // Position must be the integral of velocity (trapezoid rule over the tick).
        maxIntegrationError = Math.max(
          maxIntegrationError,
          Math.abs(now.x - before.x - ((now.vx + before.vx) / 2) * DT_S),
          Math.abs(now.y - before.y - ((now.vy + before.vy) / 2) * DT_S),
        );
        bounds.minX = Math.min(bounds.minX, now.x);
        bounds.maxX = Math.max(bounds.maxX, now.x);
        bounds.minY = Math.min(bounds.minY, now.y);
        bounds.maxY = Math.max(bounds.maxY, now.y);
        if (phase.phase.kind === 'sprint-drill') {
          sprintPeak[i] = Math.max(sprintPeak[i]!, now.speed);
          // An effort: moving faster than 1 m/s continuously; a sprint if it passed 6 m/s.
          const step = Math.hypot(now.x - before.x, now.y - before.y);
          if (now.speed > 1) {
            const effort = open[i] ?? { peak: 0, distance: 0 };
            effort.peak = Math.max(effort.peak, now.speed);
            effort.distance += step;
            open[i] = effort;
          } else if (open[i]) {
            if (open[i]!.peak > 6) sprintEfforts[i]!.push(open[i]!);
            open[i] = null;
          }
        }
      });
      previous = truth;

      const fix = messages.find((m) => m.sensorId === 'sim-pod-01' && m.stream === 'gnss');
      if (fix) {
        const reported = JSON.parse(fix.payload) as { lat: number; lon: number; speed: number };
        // Back to pitch metres with core's projection, not the simulator's.
        const offset = localOffset(DEFAULT_ORIGIN, reported);
        const athlete = truth[0]!;
        fixErrors.push(Math.hypot(offset.east + PITCH_LENGTH_M / 2 - athlete.x, offset.north + PITCH_WIDTH_M / 2 - athlete.y));
        speedErrors.push(Math.abs(reported.speed - athlete.speed));
      }
    });
  });

  it('never runs faster than a footballer can (≤ 10 m/s)', () => {
    expect(maxSpeed).toBeGreaterThan(7);
    expect(maxSpeed).toBeLessThanOrEqual(10);
  });

  it('keeps accelerations within ±4 m/s²', () => {
    expect(maxFiniteDifferenceAcc).toBeGreaterThan(3.5);
    expect(maxFiniteDifferenceAcc).toBeLessThanOrEqual(4 + 1e-9);
  });

  it('moves positions by the integral of velocity', () => {
    expect(maxIntegrationError).toBeLessThan(1e-9);
  });

  it('stays on the 105 × 68 m pitch or just beside it', () => {
    expect(bounds.minX).toBeGreaterThanOrEqual(-5);
    expect(bounds.maxX).toBeLessThanOrEqual(PITCH_LENGTH_M + 5);
    expect(bounds.minY).toBeGreaterThanOrEqual(-5);
    expect(bounds.maxY).toBeLessThanOrEqual(PITCH_WIDTH_M + 5);
    // ...and uses it: the warm-up laps span most of it.
    expect(bounds.maxX - bounds.minX).toBeGreaterThan(70);
  });

  it('sprints 30–40 m to 7–9 m/s, repeatedly, in the sprint drill', () => {
    for (let i = 0; i < ATHLETES; i++) {
      expect(sprintPeak[i]).toBeGreaterThanOrEqual(7);
      expect(sprintPeak[i]).toBeLessThanOrEqual(9.05);
      // Reps every 60 s from 40 s into an 8-minute drill: at least 6 each.
      expect(sprintEfforts[i]!.length).toBeGreaterThanOrEqual(6);
      for (const effort of sprintEfforts[i]!) {
        // 30–40 m of sprint plus the run-up below 1 m/s and braking at ≤ 4 m/s² (≤ 9²/8 ≈ 10 m).
        expect(effort.distance).toBeGreaterThan(30);
        expect(effort.distance).toBeLessThan(52);
      }
    }
  });

  it('reports positions with sub-metre, slowly wandering error and Doppler speed within centimetres per second', () => {
    const rms = Math.sqrt(fixErrors.reduce((sum, e) => sum + e * e, 0) / fixErrors.length);
    expect(rms).toBeGreaterThan(0.2);
    expect(rms).toBeLessThan(1.2);
    expect(Math.max(...fixErrors)).toBeLessThan(3.5);
    const meanSpeedError = speedErrors.reduce((sum, e) => sum + e, 0) / speedErrors.length;
    expect(meanSpeedError).toBeLessThan(0.1);
    expect(Math.max(...speedErrors)).toBeLessThan(0.4);
  });
});
