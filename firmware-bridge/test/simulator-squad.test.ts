import { haversineDistance } from '@touchline/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ORIGIN, pitchToLatLon } from '../src/simulator/pitch.ts';
import { createRandom } from '../src/simulator/random.ts';
import { DEFAULT_SESSION_SCRIPT, phaseAt, scriptDurationS } from '../src/simulator/session-script.ts';
import { createSquadModel } from '../src/simulator/squad-model.ts';
import { SPARE_STRAP_ID, demoSquad } from '../src/simulator/squad.ts';
import { T0 } from './simulator-run.ts';

describe('demoSquad', () => {
  const squad = demoSquad(24, 1, { asOfYear: 2026 });

  it('numbers the sensors two-digit from 01', () => {
    expect(squad.map((a) => a.hrSensorId)).toEqual(Array.from({ length: 24 }, (_, i) => `sim-hr-${String(i + 1).padStart(2, '0')}`));
    expect(squad[0]!.podSensorId).toBe('sim-pod-01');
    expect(squad[23]!.podSensorId).toBe('sim-pod-24');
    expect(demoSquad(99, 1).at(-1)!.hrSensorId).toBe('sim-hr-99');
    expect(SPARE_STRAP_ID).toBe('sim-hr-spare');
  });

  it('gives unique names and shirt numbers, the first keeper wearing 1', () => {
    expect(new Set(squad.map((a) => a.name)).size).toBe(24);
    expect(new Set(squad.map((a) => a.number)).size).toBe(24);
    for (const a of squad) {
      expect(a.number).toBeGreaterThanOrEqual(1);
      expect(a.number).toBeLessThanOrEqual(99);
    }
    expect(squad.find((a) => a.position === 'goalkeeper')!.number).toBe(1);
  });

  it('has a football squad’s shape: 3 keepers, 8 defenders, 8 midfielders, 5 forwards', () => {
    const count = (position: string) => squad.filter((a) => a.position === position).length;
    expect([count('goalkeeper'), count('defender'), count('midfielder'), count('forward')]).toEqual([3, 8, 8, 5]);
  });

  it('draws plausible physiology', () => {
    for (const a of squad) {
      const age = 2026 - a.birthYear;
      expect(age).toBeGreaterThanOrEqual(18);
      expect(age).toBeLessThanOrEqual(34);
      // Tanaka et al. 2001: 208 − 0.7·age, individual SD ≈ 7 bpm; 3.5 SD either side.
      expect(Math.abs(a.hrMax - (208 - 0.7 * age))).toBeLessThanOrEqual(25);
      expect(a.hrRest).toBeGreaterThanOrEqual(40);
      expect(a.hrRest).toBeLessThanOrEqual(65);
      expect(a.massKg).toBeGreaterThan(55);
      expect(a.massKg).toBeLessThan(100);
      expect(a.sex).toBe('male');
    }
    const women = demoSquad(24, 1, { sex: 'female' });
    expect(women.every((a) => a.sex === 'female' && a.massKg < 85)).toBe(true);
  });

  it('is reproducible from its seed and matches the simulated squad', () => {
    expect(demoSquad(24, 1, { asOfYear: 2026 })).toEqual(squad);
    expect(demoSquad(24, 2, { asOfYear: 2026 })).not.toEqual(squad);
    expect(createSquadModel({ startTime: T0, athletes: 24, seed: 1 }).squad).toEqual(demoSquad(24, 1));
  });

  it('rejects impossible squads', () => {
    for (const count of [0, 100, 2.5, Number.NaN]) {
      expect(() => demoSquad(count)).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
    }
    expect(() => demoSquad(5, 0.5)).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
    expect(() => demoSquad(5, 1, { sex: 'other' as never })).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
  });
});

describe('pitch coordinates', () => {
  it('puts the centre spot at the origin and lays out a 105 × 68 m pitch (checked with haversine)', () => {
    expect(pitchToLatLon(DEFAULT_ORIGIN, { x: 52.5, y: 34 })).toEqual(DEFAULT_ORIGIN);
    const corner = pitchToLatLon(DEFAULT_ORIGIN, { x: 0, y: 0 });
    expect(haversineDistance(corner, pitchToLatLon(DEFAULT_ORIGIN, { x: 105, y: 0 }))).toBeCloseTo(105, 2);
    expect(haversineDistance(corner, pitchToLatLon(DEFAULT_ORIGIN, { x: 0, y: 68 }))).toBeCloseTo(68, 2);
    // √(105² + 68²) = 125.0960
    expect(haversineDistance(corner, pitchToLatLon(DEFAULT_ORIGIN, { x: 105, y: 68 }))).toBeCloseTo(125.096, 2);
    // x runs east, y north.
    expect(pitchToLatLon(DEFAULT_ORIGIN, { x: 105, y: 34 }).lon).toBeGreaterThan(DEFAULT_ORIGIN.lon);
    expect(pitchToLatLon(DEFAULT_ORIGIN, { x: 52.5, y: 68 }).lat).toBeGreaterThan(DEFAULT_ORIGIN.lat);
  });
});

describe('session script', () => {
  it('lasts 57 minutes and walks through its phases, then starts again', () => {
    expect(scriptDurationS(DEFAULT_SESSION_SCRIPT)).toBe(3420);
    expect(phaseAt(DEFAULT_SESSION_SCRIPT, 0)).toMatchObject({ index: 0, session: 0, elapsedS: 0, phase: { kind: 'rest' } });
    expect(phaseAt(DEFAULT_SESSION_SCRIPT, 60)).toMatchObject({ index: 1, elapsedS: 0, phase: { kind: 'warm-up' } });
    // 60 + 600 + 120 + 720 + 120 = 1620 s: the sprint drill starts.
    expect(phaseAt(DEFAULT_SESSION_SCRIPT, 1625)).toMatchObject({ index: 5, elapsedS: 5, phase: { kind: 'sprint-drill' } });
    expect(phaseAt(DEFAULT_SESSION_SCRIPT, 3420 + 61)).toMatchObject({ index: 1, session: 1, elapsedS: 1 });
  });

  it('recharges batteries when the session starts again', () => {
    const script = [{ kind: 'rest' as const, durationS: 120 }];
    const model = createSquadModel({ startTime: T0, athletes: 1, seed: 4, script, batteryDrainPctPerMinute: 20, faults: { malformedRate: 0, dropoutRate: 0 } });
    const reports = model
      .advanceTo(T0 + 200_000)
      .filter((m) => m.stream === 'battery' && m.sensorId === 'sim-hr-01')
      .map((m) => ({ t: m.t - T0, pct: JSON.parse(m.payload).pct as number }));
    const before = reports.filter((r) => r.t <= 120_000);
    const after = reports.find((r) => r.t > 120_000)!;
    // Started at 70–100 %, 20 %/min: at least 30 points gone by the last report (≥ 90 s in).
    expect(before[0]!.pct - before.at(-1)!.pct).toBeGreaterThanOrEqual(28);
    // Back on charge: 85–100 %, less at most 10 points in the ≤ 30 s before the next report.
    expect(after.pct).toBeGreaterThanOrEqual(75);
    expect(after.pct).toBeGreaterThan(before.at(-1)!.pct);
  });
});

describe('seeded random numbers', () => {
  it('repeats a stream for the same seed and label, and differs otherwise', () => {
    const draw = (seed: number, label: string) => Array.from({ length: 5 }, createRandom(seed, label).next);
    expect(draw(1, 'a')).toEqual(draw(1, 'a'));
    expect(draw(1, 'a')).not.toEqual(draw(1, 'b'));
    expect(draw(1, 'a')).not.toEqual(draw(2, 'a'));
  });

  it('has the moments of U(0, 1) and N(0, 1)', () => {
    const rng = createRandom(42, 'moments');
    const n = 100_000;
    const u = Array.from({ length: n }, () => rng.next());
    const z = Array.from({ length: n }, () => rng.normal());
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Standard errors: U mean 0.289/√n ≈ 0.0009, N mean 1/√n ≈ 0.003; 5 SE bounds.
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(0.0046);
    expect(Math.abs(mean(u.map((x) => x * x)) - 1 / 3)).toBeLessThan(0.005);
    expect(Math.abs(mean(z))).toBeLessThan(0.016);
    expect(Math.abs(mean(z.map((x) => x * x)) - 1)).toBeLessThan(0.025);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
  });
});
