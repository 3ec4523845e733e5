import { describe, expect, it } from 'vitest';
import type { GnssFix } from '../src/types.ts';
import {
  EARTH_MEAN_RADIUS_M,
  GnssAccumulator,
  haversineDistance,
  summarizeGnss,
  type GnssOptions,
} from '../src/gnss/index.ts';

const T0 = Date.UTC(2026, 2, 1, 10, 0, 0);
const DEG = 180 / Math.PI;

/** A fix x metres north of (48°N, 11°E), at k tenths of a second. */
function northFix(k: number, xM: number, speed?: number): GnssFix {
  return { t: T0 + k * 100, lat: 48 + (xM / EARTH_MEAN_RADIUS_M) * DEG, lon: 11, speed, hdop: 0.8, sats: 12 };
}

/** 10 Hz fixes with the given reported speeds, positions integrated from them. */
function trackFromSpeeds(speeds: number[]): GnssFix[] {
  let x = 0;
  return speeds.map((v, k) => {
    if (k > 0) x += v * 0.1;
    return northFix(k, x, v);
  });
}

/** Deterministic uniform numbers in [0, 1) (mulberry32), so the noisy tests are reproducible. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(next: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

function naiveDistance(fixes: GnssFix[]): number {
  return fixes.slice(1).reduce((sum, fix, i) => sum + haversineDistance(fixes[i]!, fix), 0);
}

/** Every number anywhere in a result, to prove no NaN leaks out. */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

describe('distance and speed on a straight run', () => {
  it('sums haversine steps of a run due east at 51.5°N without reported speed', () => {
    // 601 fixes at 10 Hz, 7e-6° of longitude apart. python3 (independent haversine, R = 6371008.8):
    // total 290.726373 m; speed R·radians(7e-6)·cos(51.5°)/0.1 = 4.845439548 m/s.
    const fixes = Array.from({ length: 601 }, (_, k) => ({ t: T0 + k * 100, lat: 51.5, lon: -0.12 + k * 7e-6 }));
    const summary = summarizeGnss(fixes);
    expect(summary.distanceM).toBeCloseTo(290.726373, 5);
    expect(summary.durationS).toBeCloseTo(60, 9);
    expect(summary.maxSpeed).toBeCloseTo(4.845439548, 6);
    const running = summary.zones.find((z) => z.name === 'running')!;
    expect(running).toMatchObject({ fromSpeed: 4, toSpeed: 5.5 });
    expect(running.durationS).toBeCloseTo(60, 9);
    expect(running.distanceM).toBeCloseTo(290.726373, 5);
    expect(summary.fixes).toMatchObject({ received: 601, used: 601, gaps: 0 });
  });

  it('smooths reported speed exponentially with time constant speedSmoothingSeconds', () => {
    // From rest to a reported 5 m/s at 10 Hz with τ = 0.2 s: 5·(1 − e^(−n·0.1/0.2)) after n fixes
    // (python3: 1.9673467, 3.1606028, 4.5895750).
    const speeds = [0, 0, 0, 5, 5, 5, 5, 5];
    const accumulator = new GnssAccumulator();
    const seen = trackFromSpeeds(speeds).map((fix) => {
      accumulator.push(fix);
      return accumulator.snapshot().speed;
    });
    expect(seen[3]).toBeCloseTo(1.9673467, 6);
    expect(seen[4]).toBeCloseTo(3.1606028, 6);
    expect(seen[7]).toBeCloseTo(4.589575, 6);
  });
});

describe('a synthetic sprint with known threshold crossings', () => {
  // Standing 1 s, +4 m/s² for 2 s to 8 m/s, 8 m/s for 2 s, −4 m/s² for 2 s, standing 1 s; 10 Hz,
  // reported speed exact, positions from x(t). Expected values by hand from v(t) and x(t):
  // v ≥ 5.5 from t = 2.4 to 5.6 s (steps from 2.3 s), v ≥ 7 from 2.8 to 5.2 s (steps from 2.7 s);
  // x(2.3) = 3.38, x(2.7) = 5.78, x(5.2) = 25.52, x(5.6) = 28.08, x(8) = 32.
  const v = (t: number) => (t <= 1 ? 0 : t <= 3 ? 4 * (t - 1) : t <= 5 ? 8 : t <= 7 ? 8 - 4 * (t - 5) : 0);
  const x = (t: number) => (t <= 1 ? 0 : t <= 3 ? 2 * (t - 1) ** 2 : t <= 5 ? 8 + 8 * (t - 3) : t <= 7 ? 24 + 8 * (t - 5) - 2 * (t - 5) ** 2 : 32);
  const fixes = Array.from({ length: 81 }, (_, k) => northFix(k, x(k / 10), v(k / 10)));
  const exact: GnssOptions = { speedSmoothingSeconds: 0, stationarySpeed: 0 };

  it('finds distance, max speed and zone totals', () => {
    const summary = summarizeGnss(fixes, exact);
    expect(summary.distanceM).toBeCloseTo(32, 6);
    expect(summary.maxSpeed).toBe(8);
    // python3 from v(t), x(t) per 0.1 s step, binned by the step's end speed.
    const durations = [2.1, 0.8, 1.0, 0.8, 0.8, 2.5];
    const distances = [0.02, 0.8, 2.8, 3.68, 4.96, 19.74];
    summary.zones.forEach((zone, i) => {
      expect(zone.durationS).toBeCloseTo(durations[i]!, 9);
      expect(zone.distanceM).toBeCloseTo(distances[i]!, 6);
    });
  });

  it('finds high-speed running and sprint distance and efforts', () => {
    const summary = summarizeGnss(fixes, exact);
    expect(summary.highSpeedRunning.distanceM).toBeCloseTo(24.7, 6);
    expect(summary.highSpeedRunning.effortCount).toBe(1);
    const [hsr] = summary.highSpeedRunning.efforts;
    expect(hsr!.start).toBe(T0 + 2300);
    expect(hsr!.durationS).toBeCloseTo(3.3, 9);
    expect(hsr!.distanceM).toBeCloseTo(24.7, 6);
    expect(hsr!.peak).toBe(8);
    expect(summary.sprint.distanceM).toBeCloseTo(19.74, 6);
    expect(summary.sprint.efforts).toHaveLength(1);
    expect(summary.sprint.efforts[0]!.start).toBe(T0 + 2700);
    expect(summary.sprint.efforts[0]!.durationS).toBeCloseTo(2.5, 9);
    expect(summary.sprint.efforts[0]!.distanceM).toBeCloseTo(19.74, 6);
  });

  it('finds one acceleration and one deceleration of 2 s at 4 m/s²', () => {
    const summary = summarizeGnss(fixes, exact);
    expect(summary.accelerations.effortCount).toBe(1);
    expect(summary.accelerations.efforts[0]).toMatchObject({ start: T0 + 1000, durationS: 2 });
    expect(summary.accelerations.efforts[0]!.distanceM).toBeCloseTo(8, 6);
    expect(summary.accelerations.efforts[0]!.peak).toBeCloseTo(4, 9);
    expect(summary.decelerations.effortCount).toBe(1);
    expect(summary.decelerations.efforts[0]).toMatchObject({ start: T0 + 5000, durationS: 2 });
    expect(summary.decelerations.efforts[0]!.peak).toBeCloseTo(4, 9);
  });

  it('integrates metabolic power as published (2010 default, 2018 option)', () => {
    // python3, published equations per step with a = Δv/0.1 s, g = 9.80665 (see metabolic-power.ts):
    // 2010: work 315.046789 J/kg, mean 39.380849 W/kg, equivalent distance work/(3.6·1.29) = 67.839532 m;
    // 2018: work 251.500342 J/kg, equivalent distance work/3.6 = 69.861206 m.
    const model2010 = summarizeGnss(fixes, exact).metabolic;
    expect(model2010.workJPerKg).toBeCloseTo(315.046789, 4);
    expect(model2010.averagePower).toBeCloseTo(39.380849, 5);
    expect(model2010.equivalentDistanceM).toBeCloseTo(67.839532, 4);
    const model2018 = summarizeGnss(fixes, { ...exact, metabolicModel: 'di-prampero-2018' }).metabolic;
    expect(model2018.workJPerKg).toBeCloseTo(251.500342, 4);
    expect(model2018.equivalentDistanceM).toBeCloseTo(69.861206, 4);
  });

  it('follows the thresholds it is given and reports them', () => {
    const summary = summarizeGnss(fixes, { ...exact, sprintSpeed: 5, accelerationThreshold: 4.5 });
    // v ≥ 5 from t = 2.3 to 5.7 s: steps from 2.2 s, 3.5 s long.
    expect(summary.sprint.efforts[0]).toMatchObject({ start: T0 + 2200 });
    expect(summary.sprint.efforts[0]!.durationS).toBeCloseTo(3.5, 9);
    expect(summary.accelerations.effortCount).toBe(0);
    expect(summary.conventions).toMatchObject({ sprintSpeed: 5, accelerationThreshold: 4.5, highSpeedRunningSpeed: 5.5 });
  });
});

describe('effort rules', () => {
  const exact: GnssOptions = { speedSmoothingSeconds: 0 };
  const repeat = (value: number, n: number) => Array.from({ length: n }, () => value);

  it('counts a sprint only once it has lasted the minimum duration, live and in batch', () => {
    const tooShort = trackFromSpeeds([0, ...repeat(7.5, 9), ...repeat(0, 5)]);
    const summary = summarizeGnss(tooShort, exact);
    expect(summary.sprint.effortCount).toBe(0);
    expect(summary.sprint.distanceM).toBeCloseTo(9 * 0.75, 9);

    const live = new GnssAccumulator(exact);
    for (const fix of trackFromSpeeds([0, ...repeat(7.5, 10)])) live.push(fix);
    expect(live.snapshot().sprint.effortCount).toBe(1);
  });

  it('joins two sprints across a short dip when an exit fraction is set', () => {
    const speeds = [0, ...repeat(7.5, 15), ...repeat(6.8, 3), ...repeat(7.5, 15), ...repeat(0, 5)];
    const strict = summarizeGnss(trackFromSpeeds(speeds), exact).sprint.efforts;
    expect(strict.map((e) => e.durationS)).toEqual([1.5, 1.5]);
    const lenient = summarizeGnss(trackFromSpeeds(speeds), { ...exact, speedEffortExitFraction: 0.9 }).sprint.efforts;
    expect(lenient).toHaveLength(1);
    expect(lenient[0]!.durationS).toBeCloseTo(3.3, 9);
    // 15·0.75 + 3·0.68 + 15·0.75
    expect(lenient[0]!.distanceM).toBeCloseTo(24.54, 6);
  });
});

describe('jitter, spikes and dropouts', () => {
  function stationary(hz: number, minutes: number, noiseM: number, withSpeed: boolean): GnssFix[] {
    const normal = gaussian(random(7));
    const n = hz * 60 * minutes;
    return Array.from({ length: n }, (_, k) => {
      const t = k / hz;
      // Slow wander of a receiver at rest, white noise, and every 500th fix a 30 m spike.
      const east = 1.5 * Math.sin((2 * Math.PI * t) / 120) + noiseM * normal() + (k % 500 === 250 ? 30 : 0);
      const north = 1.0 * Math.cos((2 * Math.PI * t) / 90) + noiseM * normal();
      return {
        t: T0 + Math.round((k * 1000) / hz),
        lat: 40 + (north / EARTH_MEAN_RADIUS_M) * DEG,
        lon: -3.7 + (east / (EARTH_MEAN_RADIUS_M * Math.cos((40 * Math.PI) / 180))) * DEG,
        speed: withSpeed ? Math.abs(0.05 * normal()) : undefined,
      };
    });
  }

  it('keeps a standing athlete with a 10 Hz Doppler-speed pod near zero distance', () => {
    const fixes = stationary(10, 10, 0.02, true);
    expect(naiveDistance(fixes)).toBeGreaterThan(500);
    const summary = summarizeGnss(fixes);
    expect(summary.distanceM).toBeLessThan(0.5);
    expect(summary.fixes.implausibleSpeed).toBe(12);
    expect(summary.highSpeedRunning.distanceM).toBe(0);
  });

  it('keeps a standing athlete near zero from 1 Hz positions alone', () => {
    const fixes = stationary(1, 30, 0.03, false);
    expect(naiveDistance(fixes)).toBeGreaterThan(200);
    const summary = summarizeGnss(fixes);
    expect(summary.distanceM).toBeLessThan(5);
    expect(summary.fixes.implausibleSpeed).toBe(4);
  });

  it('does not integrate across a dropout longer than maxGapSeconds', () => {
    // 4 m/s north; fixes 0–10 s and 20–30 s: 40 + 40 m, 20 s covered, one gap.
    const fixes = Array.from({ length: 301 }, (_, k) => northFix(k, 0.4 * k, 4)).filter((_, k) => k <= 100 || k >= 200);
    const summary = summarizeGnss(fixes);
    expect(summary.distanceM).toBeCloseTo(80, 6);
    expect(summary.durationS).toBeCloseTo(20, 9);
    expect(summary.fixes.gaps).toBe(1);
  });

  it('bridges a dropout shorter than maxGapSeconds with the straight line', () => {
    // 4 m/s north with fixes missing between 10 and 12 s: 120 m over 30 s.
    const fixes = Array.from({ length: 301 }, (_, k) => northFix(k, 0.4 * k, 4)).filter((_, k) => k <= 100 || k >= 120);
    const summary = summarizeGnss(fixes);
    expect(summary.distanceM).toBeCloseTo(120, 6);
    expect(summary.durationS).toBeCloseTo(30, 9);
    expect(summary.fixes.gaps).toBe(0);
  });

  it('ends an effort at a dropout', () => {
    // 0.6 s at 8 m/s, 6 s without fixes, 0.6 s at 8 m/s: two halves too short to be a sprint;
    // bridging the gap (maxGapSeconds 10) makes one 7.2 s sprint.
    const fixes = Array.from({ length: 73 }, (_, k) => northFix(k, 0.8 * k, 8)).filter((_, k) => k <= 6 || k >= 66);
    expect(summarizeGnss(fixes).sprint.effortCount).toBe(0);
    const bridged = summarizeGnss(fixes, { maxGapSeconds: 10 }).sprint.efforts;
    expect(bridged).toHaveLength(1);
    expect(bridged[0]!.durationS).toBeCloseTo(7.2, 9);
  });
});

describe('bad input', () => {
  const clean = Array.from({ length: 601 }, (_, k): GnssFix => ({ t: T0 + k * 100, lat: 51.5, lon: -0.12 + k * 7e-6, hdop: 0.9, sats: 10 }));
  const between = (k: number, changes: Partial<GnssFix>): GnssFix => ({ ...clean[k]!, t: clean[k]!.t + 50, ...changes });
  const bad: [number, GnssFix][] = [
    [10, between(10, { lat: Number.NaN })],
    [20, between(20, { lat: 91 })],
    [30, between(30, { lon: -181 })],
    [40, between(40, { t: Number.NaN })],
    [50, between(50, { lat: 0, lon: 0 })],
    [60, between(60, { speed: -1 })],
    [70, between(70, { hdop: 5 })],
    [80, between(80, { sats: 3 })],
    [90, between(90, { t: clean[90]!.t - 50 })],
    [100, between(100, { t: clean[100]!.t, lat: 51.50001 })],
    [110, between(110, { lat: 51.5 + 50 / 111195 })],
    [120, between(120, { speed: 20 })],
    [130, null as unknown as GnssFix],
  ];
  const dirty = clean.flatMap((fix, k) => [fix, ...bad.filter(([at]) => at === k).map(([, b]) => b)]);

  it('skips and counts every bad fix, and loses none of the good ones', () => {
    const summary = summarizeGnss(dirty);
    // The clean run's independent total (python3 haversine): 290.726373 m.
    expect(summary.distanceM).toBeCloseTo(290.726373, 5);
    expect(summary.fixes).toEqual({
      received: 614,
      used: 601,
      invalid: 7,
      poorSignal: 2,
      outOfOrder: 1,
      duplicate: 1,
      implausibleSpeed: 2,
      gaps: 0,
    });
    expect(numbersIn(summary).every(Number.isFinite)).toBe(true);
  });

  it('tells the live caller what became of each fix', () => {
    const accumulator = new GnssAccumulator();
    expect(accumulator.push(clean[0]!)).toBe('used');
    expect(accumulator.push({ ...clean[1]!, lon: Number.NaN })).toBe('invalid');
    expect(accumulator.push({ ...clean[1]!, hdop: 3 })).toBe('poor-signal');
    expect(accumulator.push(clean[1]!)).toBe('used');
    expect(accumulator.push(clean[1]!)).toBe('duplicate');
    expect(accumulator.push(clean[0]!)).toBe('out-of-order');
    expect(accumulator.push({ ...clean[2]!, lat: 52 })).toBe('implausible-speed');
    expect(accumulator.push(clean[2]!)).toBe('used');
  });

  it('returns empty totals, not NaN, when nothing usable arrives', () => {
    const summary = summarizeGnss([{ t: T0, lat: Number.NaN, lon: 0 }]);
    expect(summary.distanceM).toBe(0);
    expect(summary.metabolic.averagePower).toBeNull();
    expect(numbersIn(summary).every(Number.isFinite)).toBe(true);
    expect(new GnssAccumulator().snapshot()).toMatchObject({ t: null, speed: 0, distanceM: 0 });
  });

  it('rejects a non-array track and invalid options, naming the option', () => {
    expect(() => summarizeGnss('fixes' as unknown as GnssFix[])).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
    expect(() => summarizeGnss([], { sprintSpeed: -7 })).toThrow(/sprintSpeed/);
    expect(() => summarizeGnss([], { maxGapSeconds: Number.NaN })).toThrow(/maxGapSeconds/);
    expect(() => summarizeGnss([], { speedEffortExitFraction: 1.5 })).toThrow(/speedEffortExitFraction/);
    expect(() => summarizeGnss([], { metabolicModel: 'minetti' as never })).toThrow(/metabolicModel/);
    expect(() => summarizeGnss([], { speedZones: [] })).toThrow(/speedZones/);
    expect(() => summarizeGnss([], { speedZones: [{ name: 'slow', fromSpeed: 1 }] })).toThrow(/speedZones\[0\]\.fromSpeed/);
    expect(() =>
      summarizeGnss([], { speedZones: [{ name: 'a', fromSpeed: 0 }, { name: 'b', fromSpeed: 5 }, { name: 'c', fromSpeed: 4 }] }),
    ).toThrow(/speedZones\[2\]\.fromSpeed/);
  });
});

describe('conventions', () => {
  it('returns the documented defaults with every result', () => {
    const { conventions } = summarizeGnss([]);
    expect(conventions).toMatchObject({
      highSpeedRunningSpeed: 5.5,
      sprintSpeed: 7,
      speedEffortMinSeconds: 1,
      accelerationThreshold: 3,
      decelerationThreshold: 3,
      accelerationEffortMinSeconds: 0.5,
      metabolicModel: 'osgnach-2010',
      terrainFactor: 1.29,
    });
    expect(conventions.speedZones.map((z) => z.fromSpeed)).toEqual([0, 0.2, 2, 4, 5.5, 7]);
    expect(new GnssAccumulator().snapshot().conventions).toEqual(conventions);
  });

  it('gives steady running an equivalent distance equal to its distance (2010) or 4.24 % more (2018, air resistance)', () => {
    const fixes = Array.from({ length: 601 }, (_, k) => northFix(k, 0.4 * k, 4));
    expect(summarizeGnss(fixes).metabolic.equivalentDistanceM).toBeCloseTo(240, 6);
    // python3: cost at ES = 0.0037·4²/9.80665 is 3.752631 J/kg/m, ÷ 3.6 = 1.042398.
    expect(summarizeGnss(fixes, { metabolicModel: 'di-prampero-2018' }).metabolic.equivalentDistanceM).toBeCloseTo(240 * 1.042398, 3);
  });
});

describe('live use', () => {
  it('ends open efforts on flush and starts a new segment with the next fix', () => {
    // 1.5 s at 7.5 m/s, flush, then 1 s more: a 1.5 s sprint reported on flush, and no distance
    // or time credited between the last fix before the flush and the first after it.
    const fixes = Array.from({ length: 27 }, (_, k) => northFix(k, 0.75 * k, 7.5));
    const efforts: string[] = [];
    const live = new GnssAccumulator({ speedSmoothingSeconds: 0 }, (kind, effort) => efforts.push(`${kind} ${effort.durationS} s`));
    fixes.slice(0, 16).forEach((fix) => live.push(fix));
    live.flush();
    expect(efforts).toEqual(['highSpeedRunning 1.5 s', 'sprint 1.5 s']);
    fixes.slice(16).forEach((fix) => live.push(fix));
    const state = live.snapshot();
    expect(state.t).toBe(T0 + 2600);
    expect(state.durationS).toBeCloseTo(2.5, 9);
    expect(state.distanceM).toBeCloseTo(2.5 * 7.5, 6);
    expect(state.sprint.effortCount).toBe(2);
    expect(state.fixes.gaps).toBe(0);
  });
});

describe('streaming and batch agree', () => {
  it('gives the same totals fix by fix as over the whole array', () => {
    // Five minutes of noisy play at 10 Hz: jogging at 3 m/s with a burst every 30 s (+4 m/s² to
    // 8.5 m/s, held 3 s, −4 m/s² back), heading turning, speed and position noise.
    const normal = gaussian(random(42));
    const burst = (phase: number) => Math.min(3 + 4 * phase, 8.5, 8.5 - 4 * (phase - 4.375));
    const fixes: GnssFix[] = [];
    let east = 0;
    let north = 0;
    let heading = 0;
    for (let k = 0; k < 3000; k++) {
      const t = k / 10;
      const speed = Math.max(3, burst(t % 30)) + 0.1 * normal();
      heading += 0.05 * normal();
      east += speed * 0.1 * Math.cos(heading);
      north += speed * 0.1 * Math.sin(heading);
      fixes.push({
        t: T0 + k * 100,
        lat: 51 + ((north + 0.05 * normal()) / EARTH_MEAN_RADIUS_M) * DEG,
        lon: 0.5 + ((east + 0.05 * normal()) / (EARTH_MEAN_RADIUS_M * Math.cos((51 * Math.PI) / 180))) * DEG,
        speed,
        hdop: 0.7,
        sats: 14,
      });
    }
    const batch = summarizeGnss(fixes);
    const live = new GnssAccumulator();
    fixes.forEach((fix, k) => {
      live.push(fix);
      if (k % 7 === 0) live.snapshot();
    });
    live.flush();
    const state = live.snapshot();

    // One sprint, one acceleration and one deceleration per burst.
    expect(batch.sprint.effortCount).toBe(10);
    expect(batch.accelerations.effortCount).toBe(10);
    expect(batch.decelerations.effortCount).toBe(10);
    expect(state.distanceM).toBe(batch.distanceM);
    expect(state.durationS).toBe(batch.durationS);
    expect(state.maxSpeed).toBe(batch.maxSpeed);
    expect(state.zones).toEqual(batch.zones);
    expect(state.highSpeedRunning).toEqual({ distanceM: batch.highSpeedRunning.distanceM, effortCount: batch.highSpeedRunning.efforts.length });
    expect(state.sprint).toEqual({ distanceM: batch.sprint.distanceM, effortCount: batch.sprint.efforts.length });
    expect(state.accelerations.effortCount).toBe(batch.accelerations.efforts.length);
    expect(state.decelerations.effortCount).toBe(batch.decelerations.efforts.length);
    expect(state.metabolic).toMatchObject(batch.metabolic);
    expect(state.fixes).toEqual(batch.fixes);

    // The parts add up: zones to the total, the top two default bands to HSR.
    const zoneSum = batch.zones.reduce((sum, z) => sum + z.distanceM, 0);
    expect(zoneSum).toBeCloseTo(batch.distanceM, 6);
    expect(batch.zones[4]!.distanceM + batch.zones[5]!.distanceM).toBeCloseTo(batch.highSpeedRunning.distanceM, 6);
  });
});
