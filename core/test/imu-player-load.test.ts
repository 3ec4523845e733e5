import { describe, expect, it } from 'vitest';
import type { AccelSample } from '../src/types.ts';
import { PlayerLoadAccumulator, playerLoadStep, summarizePlayerLoad } from '../src/imu/index.ts';

const T0 = Date.UTC(2026, 2, 1, 10, 0, 0);

/** Samples at `hz` from T0, one [x, y, z] in g each. */
function samplesAt(hz: number, xyz: [number, number, number][], from = T0): AccelSample[] {
  return xyz.map(([x, y, z], i) => ({ t: from + (i * 1000) / hz, x, y, z }));
}

describe('PlayerLoad (Catapult)', () => {
  // Reference §2.13 computed example; python3: Σ√(Δx²+Δy²+Δz²) = 0.739193893 → PL 0.0073919389.
  const example = samplesAt(100, [
    [0, 0, 1],
    [0.1, 0, 1.2],
    [0.3, 0.1, 0.9],
    [0.2, 0.1, 1.0],
  ]);

  it('matches the worked example', () => {
    const result = summarizePlayerLoad(example);
    expect(result.playerLoad).toBeCloseTo(0.0073919389, 10);
    expect(result.durationS).toBeCloseTo(0.03, 12);
    expect(result.conventions).toEqual({ maxGapSeconds: 5, divisor: 100 });
  });

  it('divides the root by 100, not the sum of squares (the factor-10 bug in an R package)', () => {
    // python3: Σ√(Σ(Δ²)/100) = 0.0739193893, ten times Catapult's value.
    const buggy = 0.0739193893;
    const result = summarizePlayerLoad(example);
    expect(result.playerLoad).toBeCloseTo(buggy / 10, 10);
    expect(Math.abs(result.playerLoad - buggy)).toBeGreaterThan(0.06);
    expect(playerLoadStep(example[0]!, example[1]!)).toBeCloseTo(Math.sqrt(0.05) / 100, 12);
  });

  it('gives PlayerLoad per minute of covered time', () => {
    // 100 Hz for 6000 samples, z alternating 1.0 / 1.1 g: 5999 steps of 0.1/100 = 5.999 AU over
    // 59.99 s, i.e. exactly 6 AU/min.
    const result = summarizePlayerLoad(samplesAt(100, Array.from({ length: 6000 }, (_, i) => [0, 0, i % 2 ? 1.1 : 1.0])));
    expect(result.playerLoad).toBeCloseTo(5.999, 9);
    expect(result.durationS).toBeCloseTo(59.99, 9);
    expect(result.perMinute).toBeCloseTo(6, 9);
  });

  it('does not difference across a dropout', () => {
    // Two runs of 3 samples with 1 g of x change between them, 10 s apart: only the in-run steps
    // (each 0.1 g) count: 4 × 0.001 AU.
    const first = samplesAt(100, [[0, 0, 1], [0.1, 0, 1], [0.2, 0, 1]]);
    const second = samplesAt(100, [[1.2, 0, 1], [1.3, 0, 1], [1.4, 0, 1]], T0 + 10_000);
    const result = summarizePlayerLoad([...first, ...second]);
    expect(result.playerLoad).toBeCloseTo(0.004, 12);
    expect(result.readings.gaps).toBe(1);
    expect(result.durationS).toBeCloseTo(0.04, 12);
  });

  it('skips and counts invalid, out-of-order and duplicate samples without losing good ones', () => {
    const bad = [
      example[0]!,
      { ...example[1]!, x: Number.NaN },
      example[1]!,
      { ...example[0]! },
      example[2]!,
      { ...example[2]! },
      null as unknown as AccelSample,
      example[3]!,
    ];
    const result = summarizePlayerLoad(bad);
    expect(result.playerLoad).toBeCloseTo(0.0073919389, 10);
    expect(result.readings).toEqual({ received: 8, used: 4, invalid: 2, outOfOrder: 1, duplicate: 1, gaps: 0 });
  });

  it('returns zero and a null rate, not NaN, without samples', () => {
    expect(summarizePlayerLoad([])).toMatchObject({ playerLoad: 0, durationS: 0, perMinute: null });
    expect(summarizePlayerLoad([example[0]!])).toMatchObject({ playerLoad: 0, perMinute: null });
  });

  it('rejects bad arguments with a coded error', () => {
    expect(() => summarizePlayerLoad('samples' as unknown as AccelSample[])).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
    expect(() => new PlayerLoadAccumulator({ maxGapSeconds: 0 })).toThrow(/maxGapSeconds/);
    expect(() => playerLoadStep(example[0]!, { t: T0, x: 0, y: Number.NaN, z: 1 })).toThrow(/current sample/);
    expect(() => new PlayerLoadAccumulator().pushBlock(T0, 0, [[0, 0, 1]])).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
  });
});

describe('streaming PlayerLoad', () => {
  it('agrees with the batch form when fed the imu stream’s blocks', () => {
    // 20 s of a bouncing, swaying pod at 100 Hz, sent as 10-sample blocks.
    const xyz = Array.from({ length: 2000 }, (_, i): [number, number, number] => [
      0.3 * Math.sin(i / 7),
      0.2 * Math.cos(i / 3),
      1 + 0.5 * Math.sin(i / 2) ** 3,
    ]);
    const batch = summarizePlayerLoad(samplesAt(100, xyz));
    const live = new PlayerLoadAccumulator();
    for (let i = 0; i < xyz.length; i += 10) live.pushBlock(T0 + i * 10, 100, xyz.slice(i, i + 10));
    const state = live.snapshot();
    expect(state.playerLoad).toBeCloseTo(batch.playerLoad, 12);
    expect(state.durationS).toBeCloseTo(batch.durationS, 9);
    expect(state.perMinute).toBeCloseTo(batch.perMinute!, 9);
    expect(state.t).toBeCloseTo(T0 + 19_990, 6);
  });

  it('counts malformed samples inside a block and keeps the rest', () => {
    const live = new PlayerLoadAccumulator();
    live.pushBlock(T0, 100, [[0, 0, 1], [0.1, 0, 1.2, 9], [0.1, 0, 1.2], [0.3, 0.1, Number.NaN], [0.3, 0.1, 0.9]]);
    const state = live.snapshot();
    // Used: (0,0,1) → (0.1,0,1.2) → (0.3,0.1,0.9): √0.05 + √0.14 = 0.597773 → /100.
    expect(state.playerLoad).toBeCloseTo((Math.sqrt(0.05) + Math.sqrt(0.14)) / 100, 12);
    expect(state.readings).toMatchObject({ received: 5, used: 3, invalid: 2 });
  });

  it('sums device-computed increments and rates them over their time', () => {
    const live = new PlayerLoadAccumulator();
    expect(live.pushIncrement(T0, 0.5)).toBe('used');
    expect(live.pushIncrement(T0 + 1000, 0.8)).toBe('used');
    expect(live.pushIncrement(T0 + 2000, 0.7)).toBe('used');
    expect(live.pushIncrement(T0 + 1500, 0.7)).toBe('out-of-order');
    expect(live.pushIncrement(T0 + 3000, -1)).toBe('invalid');
    expect(live.pushIncrement(T0 + 3000, Number.NaN)).toBe('invalid');
    // 2.0 AU; the last two arrived over 2 s of covered time: 2.0 / (2/60) = 60 AU/min.
    expect(live.snapshot()).toMatchObject({ playerLoad: 2, durationS: 2, perMinute: 60, t: T0 + 2000 });
  });
});
