import { describe, expect, it } from 'vitest';
import { HrSessionAccumulator, createZoneModel, hrIntervals, summarizeHrSession, type HrSessionSummary } from '../src/hr/index.ts';
import type { AthleteProfile, HrSample } from '../src/types.ts';

const athlete: AthleteProfile = { hrMax: 200, hrRest: 50, sex: 'male', massKg: 75, ageYears: 30 };
const s = (seconds: number, bpm: number): HrSample => ({ t: 1_700_000_000_000 + seconds * 1000, bpm });

/** A session with every kind of trouble: a duplicate, an out-of-order sample, a strap reading 0, a 30 s dropout. */
const messy: HrSample[] = [
  s(0, 120),
  s(2, 150),
  s(2, 155), // duplicate time
  s(1, 160), // out of order
  s(5, 0), // no skin contact
  s(6, 170),
  s(36, 180), // 30 s after the previous one: not integrated
  s(40, 185),
  s(45, 95),
  s(50, 95),
];

function streamed(samples: readonly HrSample[], profile: AthleteProfile, options = {}): HrSessionSummary {
  const acc = new HrSessionAccumulator(profile, options);
  for (const sample of samples) acc.push(sample);
  return acc.summary();
}

/** Same keys, numbers equal to 1e-9 relative. */
function expectSame(actual: unknown, expected: unknown, path = 'summary'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(Math.abs(actual - expected), path).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
  } else if (expected && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) expectSame((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
  } else {
    expect(actual, path).toEqual(expected);
  }
}

describe('hrIntervals (the sample rules)', () => {
  it('holds each rate until the next sample, skips long gaps and counts what it ignores', () => {
    const series = hrIntervals(messy);
    expect(series.intervals).toEqual([
      { bpm: 120, seconds: 2 },
      { bpm: 150, seconds: 4 },
      { bpm: 180, seconds: 4 },
      { bpm: 185, seconds: 5 },
      { bpm: 95, seconds: 5 },
    ]);
    expect(series.ignored).toEqual({ duplicate: 1, outOfOrder: 1, invalid: 1 });
    expect(series.gaps).toEqual({ count: 1, seconds: 30 });
    expect(series.samples).toHaveLength(7);
  });

  it('integrates a gap no longer than maxGapS', () => {
    expect(hrIntervals(messy, 30).gaps.count).toBe(0);
    expect(hrIntervals(messy, 29.9).gaps.count).toBe(1);
  });

  it('rejects a non-positive max gap and input that is not an array', () => {
    expect(() => hrIntervals(messy, 0)).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
    expect(() => hrIntervals({} as HrSample[])).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
  });
});

describe('HR session summary', () => {
  it('gives independently computed values for the messy session', () => {
    const summary = summarizeHrSession(messy, athlete);
    // Intervals as above; zones for HRmax 200 start at 100/120/140/160/180 bpm; values by hand and numpy:
    expect(summary.secondsInZone).toEqual([5, 0, 2, 4, 0, 9]);
    expect(summary.integratedSeconds).toBe(20);
    expect(summary.meanBpm).toBeCloseTo(148, 10); // (120·2 + 150·4 + 180·4 + 185·5 + 95·5) / 20
    expect(summary.maxBpm).toBe(185);
    expect(summary.edwardsTrimp).toBeCloseTo(61 / 60, 10); // (2·2 + 4·3 + 9·5) s·weight / 60
    // Σ s/60 · x · 0.64·e^(1.92x), x = (bpm − 50)/150, numpy: 0.6206234418400636
    expect(summary.banisterTrimp).toBeCloseTo(0.6206234418, 9);
    // Keytel (men) on the four intervals at >= 100 bpm, numpy: 17.5958 kJ = 4.205497 kcal
    expect(summary.energyKj).toBeCloseTo(17.5958, 4);
    expect(summary.energyKcal).toBeCloseTo(4.205497, 5);
    expect(summary).toMatchObject({
      acceptedSamples: 7,
      bpm: 95,
      percentHrMax: 47.5,
      zone: 0,
      firstT: s(0, 0).t,
      lastT: s(50, 0).t,
      ignored: { duplicate: 1, outOfOrder: 1, invalid: 1 },
      gaps: { count: 1, seconds: 30 },
    });
    expect(summary.conventions).toMatchObject({
      maxGapS: 10,
      hold: 'previous-sample',
      banister: { a: 0.64, b: 1.92, method: 'per-sample' },
      energy: { equation: 'keytel-2005', floorPercentHrMax: 50 },
    });
  });

  it('applies the female prefactor option and a custom zone model', () => {
    const female = { ...athlete, sex: 'female' as const };
    const zones = createZoneModel('bpm', [140]);
    // numpy: Σ s/60 · x · 0.64·e^(1.67x) = 0.5076961428; with 0.86: 0.6822166919
    const gc = summarizeHrSession(messy, female, { femalePrefactor: 'goldencheetah-0.64', zoneModel: zones });
    expect(gc.banisterTrimp).toBeCloseTo(0.5076961428, 9);
    expect(summarizeHrSession(messy, female).banisterTrimp).toBeCloseTo(0.6822166919, 9);
    expect(gc.secondsInZone).toEqual([7, 13]);
    expect(gc.zone).toBe(0);
  });

  it('reports energy as null, not NaN, when the profile has no age', () => {
    const { ageYears: _age, ...noAge } = athlete;
    const summary = summarizeHrSession(messy, noAge);
    expect(summary.energyKj).toBeNull();
    expect(summary.energyKcal).toBeNull();
    expect(summary.conventions.energy).toBeNull();
    expect(streamed(messy, noAge).energyKj).toBeNull();
  });

  it('is empty, not NaN, before any sample', () => {
    const summary = new HrSessionAccumulator(athlete).summary();
    expect(summary).toMatchObject({ acceptedSamples: 0, bpm: null, zone: null, meanBpm: null, maxBpm: null, banisterTrimp: 0, energyKj: 0 });
    expectSame(summary, summarizeHrSession([], athlete));
  });

  it('rejects a bad profile or options up front', () => {
    const invalid = expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' });
    expect(() => new HrSessionAccumulator({ ...athlete, hrMax: 40 })).toThrow(invalid);
    expect(() => new HrSessionAccumulator(athlete, { maxGapS: -1 })).toThrow(invalid);
    expect(() => summarizeHrSession([], athlete, { energyFloorPercentHrMax: 120 })).toThrow(invalid);
  });
});

describe('HrSessionAccumulator (streaming)', () => {
  it('judges each sample', () => {
    const acc = new HrSessionAccumulator(athlete);
    expect(messy.map((sample) => acc.push(sample))).toEqual([
      'accepted',
      'accepted',
      'duplicate',
      'out-of-order',
      'invalid',
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'accepted',
    ]);
    expect(acc.push({ t: Number.NaN, bpm: 120 })).toBe('invalid');
    expect(acc.push({ t: s(60, 0).t, bpm: 300 })).toBe('invalid');
    expect(acc.push(null as unknown as HrSample)).toBe('invalid');
  });

  it('agrees with the batch form on the messy session', () => {
    expectSame(streamed(messy, athlete), summarizeHrSession(messy, athlete));
  });

  it('agrees with the batch form on a long noisy session, and at every snapshot', () => {
    // Deterministic generator (mulberry32) so the case is the same on every run.
    let seed = 42;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let r = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
      return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
    };
    const samples: HrSample[] = [];
    let t = 1_700_000_000_000;
    let bpm = 90;
    for (let i = 0; i < 5000; i++) {
      const roll = random();
      t += roll < 0.02 ? 15_000 : roll < 0.2 ? 250 : 1000;
      bpm = Math.min(205, Math.max(55, bpm + (random() - 0.5) * 8));
      samples.push({ t, bpm });
      if (roll > 0.98) samples.push({ t, bpm: bpm + 1 });
      if (roll > 0.97 && roll <= 0.98) samples.push({ t: t - 3000, bpm });
      if (roll > 0.96 && roll <= 0.97) samples.push({ t: t + 1, bpm: 0 });
    }
    const options = { zoneModel: createZoneModel('hrr', [50, 60, 70, 80, 90]), femalePrefactor: 'goldencheetah-0.64' as const };
    const profile = { ...athlete, sex: 'female' as const };
    const acc = new HrSessionAccumulator(profile, options);
    samples.forEach((sample, i) => {
      acc.push(sample);
      if (i === 1234) expectSame(acc.summary(), summarizeHrSession(samples.slice(0, i + 1), profile, options), 'snapshot');
    });
    const batch = summarizeHrSession(samples, profile, options);
    expect(batch.ignored.duplicate + batch.ignored.outOfOrder + batch.ignored.invalid).toBeGreaterThan(100);
    expect(batch.gaps.count).toBeGreaterThan(50);
    expectSame(acc.summary(), batch);
  });

  it('keeps its own copy of a sample, so a reused object cannot rewrite history', () => {
    const acc = new HrSessionAccumulator(athlete);
    const sample = { t: 0, bpm: 150 };
    acc.push(sample);
    sample.bpm = 60;
    sample.t = 1000;
    acc.push({ t: 1000, bpm: 150 });
    expect(acc.summary().secondsInZone[3]).toBe(1);
  });
});
