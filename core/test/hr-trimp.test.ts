import { describe, expect, it } from 'vitest';
import {
  KJ_PER_KCAL,
  banisterConstants,
  banisterTrimp,
  createZoneModel,
  edwardsTrimp,
  hrEnergy,
  keytelKjPerMin,
  luciaTrimp,
  sessionRpeLoad,
} from '../src/hr/index.ts';
import type { AthleteProfile } from '../src/types.ts';

const invalid = expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' });
const calculatorhub: AthleteProfile = { hrMax: 190, hrRest: 60, sex: 'male', massKg: 80 };

describe('Banister TRIMP', () => {
  it('matches calculatorhub: 45 min at 150 bpm, rest 60, max 190, male -> 75.330 (reference §2.2, exact value)', () => {
    const { trimp, conventions } = banisterTrimp([{ bpm: 150, seconds: 45 * 60 }], calculatorhub);
    expect(trimp).toBeCloseTo(75.33, 2);
    expect(conventions).toMatchObject({ a: 0.64, b: 1.92 });
  });

  it('matches afitpilot: 60 min at 155 bpm, rest 55, max 190, male -> 117.94 (published "≈118")', () => {
    const { trimp } = banisterTrimp([{ bpm: 155, seconds: 3600 }], { hrMax: 190, hrRest: 55, sex: 'male', massKg: 70 });
    expect(trimp).toBeCloseTo(117.94, 2);
  });

  it('uses 0.86·e^(1.67x) for women by default and 0.64 as the named GoldenCheetah option (85.14 / 63.36, §2.2)', () => {
    const female = { ...calculatorhub, sex: 'female' as const };
    const literature = banisterTrimp([{ bpm: 150, seconds: 2700 }], female);
    expect(literature.trimp).toBeCloseTo(85.14, 2);
    expect(literature.conventions).toEqual({ femalePrefactor: 'literature-0.86', a: 0.86, b: 1.67 });
    const gc = banisterTrimp([{ bpm: 150, seconds: 2700 }], female, { femalePrefactor: 'goldencheetah-0.64' });
    expect(gc.trimp).toBeCloseTo(63.36, 2);
    expect(gc.conventions.a).toBe(0.64);
  });

  it('integrates per interval, which exceeds the session-average form (convex weighting)', () => {
    // 30 min at 120 + 30 min at 180 vs 60 min at the mean 150; per-interval value by hand with numpy:
    // 30·(60/130)·0.64·e^(1.92·60/130) + 30·(120/130)·0.64·e^(1.92·120/130) = 125.7861
    const split = banisterTrimp([{ bpm: 120, seconds: 1800 }, { bpm: 180, seconds: 1800 }], calculatorhub).trimp;
    const average = banisterTrimp([{ bpm: 150, seconds: 3600 }], calculatorhub).trimp;
    expect(split).toBeCloseTo(125.7861, 3);
    expect(split).toBeGreaterThan(average);
  });

  it('scores time below resting HR as 0, not negative', () => {
    expect(banisterTrimp([{ bpm: 50, seconds: 600 }], calculatorhub).trimp).toBe(0);
  });

  it('rejects unknown conventions and bad intervals', () => {
    expect(() => banisterConstants('female', '0.7' as 'literature-0.86')).toThrow(invalid);
    expect(() => banisterTrimp([{ bpm: Number.NaN, seconds: 60 }], calculatorhub)).toThrow(invalid);
    expect(() => banisterTrimp([{ bpm: 150, seconds: 60 }], { ...calculatorhub, hrMax: 60 })).toThrow(invalid);
  });
});

describe('Edwards TRIMP', () => {
  it('weights 10/15/20/10/5 min in Z1–Z5 to 165 (reference §2.3)', () => {
    const profile: AthleteProfile = { hrMax: 200, hrRest: 50, sex: 'male', massKg: 75 };
    // Mid-zone rates for HRmax 200: 55, 65, 75, 85, 95 %.
    const minutes = [10, 15, 20, 10, 5];
    const intervals = [110, 130, 150, 170, 190].map((bpm, i) => ({ bpm, seconds: (minutes[i] as number) * 60 }));
    const result = edwardsTrimp([...intervals, { bpm: 90, seconds: 600 }], profile);
    expect(result.trimp).toBeCloseTo(165, 10);
    expect(result.conventions.zoneModel.kind).toBe('percent-hrmax');
  });

  it('bins by %HRR when given an hrr model (TrainingLoad eTRIM variant)', () => {
    const profile: AthleteProfile = { hrMax: 200, hrRest: 50, sex: 'male', massKg: 75 };
    // 150 bpm is 75 %HRmax (zone 3) but 66.7 %HRR (zone 2): 10 min -> 30 vs 20.
    expect(edwardsTrimp([{ bpm: 150, seconds: 600 }], profile).trimp).toBeCloseTo(30, 10);
    expect(edwardsTrimp([{ bpm: 150, seconds: 600 }], profile, createZoneModel('hrr', [50, 60, 70, 80, 90])).trimp).toBeCloseTo(20, 10);
  });
});

describe('Lucia TRIMP', () => {
  it('weights 40/30/10 min below VT1, VT1–RCP, above RCP to 130 (reference §2.4)', () => {
    const intervals = [
      { bpm: 130, seconds: 2400 },
      { bpm: 160, seconds: 1800 },
      { bpm: 185, seconds: 600 },
    ];
    expect(luciaTrimp(intervals, { vt1Bpm: 150, rcpBpm: 175 })).toBeCloseTo(130, 10);
  });

  it('counts a rate on a threshold in the higher zone', () => {
    expect(luciaTrimp([{ bpm: 150, seconds: 60 }, { bpm: 175, seconds: 60 }], { vt1Bpm: 150, rcpBpm: 175 })).toBeCloseTo(5, 10);
  });

  it('rejects thresholds out of order', () => {
    expect(() => luciaTrimp([], { vt1Bpm: 170, rcpBpm: 150 })).toThrow(invalid);
  });
});

describe('session-RPE (Foster 2001)', () => {
  it('gives 120 min × RPE 6 = 720 AU (fellrnr example, reference §2.5)', () => {
    expect(sessionRpeLoad(6, 120)).toBe(720);
  });

  it('rejects RPE outside the CR-10 scale and negative durations', () => {
    expect(() => sessionRpeLoad(11, 60)).toThrow(invalid);
    expect(() => sessionRpeLoad(5, -1)).toThrow(invalid);
    expect(() => sessionRpeLoad(Number.NaN, 60)).toThrow(invalid);
  });
});

describe('Keytel 2005 energy expenditure', () => {
  it('matches the reference values (§2.16, kcal/min)', () => {
    const male = { bpm: 150, sex: 'male' as const, massKg: 80, ageYears: 30 };
    expect(keytelKjPerMin(male) / KJ_PER_KCAL).toBeCloseTo(14.697, 3);
    expect(keytelKjPerMin({ bpm: 150, sex: 'female', massKg: 60, ageYears: 30 }) / KJ_PER_KCAL).toBeCloseTo(9.876, 3);
    expect(keytelKjPerMin({ ...male, vo2max: 50 }) / KJ_PER_KCAL).toBeCloseTo(14.144, 3);
    // Female with VO2max, by hand: (−59.3954 + 0.45·160 + 0.38·45 + 0.103·60 + 0.274·25)/4.184 = 10.2138
    expect(keytelKjPerMin({ bpm: 160, sex: 'female', massKg: 60, ageYears: 25, vo2max: 45 }) / KJ_PER_KCAL).toBeCloseTo(10.2138, 4);
  });

  it('uses the correct weight terms, not the corrupted ones seen in the wild (+0.1988 men, −0.1263 women)', () => {
    const perKg = (sex: 'male' | 'female') =>
      keytelKjPerMin({ bpm: 150, sex, massKg: 81, ageYears: 30 }) - keytelKjPerMin({ bpm: 150, sex, massKg: 80, ageYears: 30 });
    expect(perKg('male')).toBeCloseTo(0.1988, 9);
    expect(perKg('male')).not.toBeCloseTo(-0.09036, 3);
    expect(perKg('female')).toBeCloseTo(-0.1263, 9);
    expect(perKg('female')).not.toBeCloseTo(-0.05741, 3);
    expect(perKg('female')).not.toBeCloseTo(0.1263, 3);
  });

  it('never returns a negative rate', () => {
    expect(keytelKjPerMin({ bpm: 40, sex: 'female', massKg: 90, ageYears: 20 })).toBe(0);
  });

  it('integrates a session, counting only time at or above 50 %HRmax by default', () => {
    const profile: AthleteProfile = { hrMax: 200, hrRest: 50, sex: 'male', massKg: 80, ageYears: 30 };
    // 10 min at 150 bpm = 10 × 14.697 kcal; 10 min at 99 bpm (< 100 = 50 %) counts 0.
    const energy = hrEnergy([{ bpm: 150, seconds: 600 }, { bpm: 99, seconds: 600 }], profile);
    expect(energy.kcal).toBeCloseTo(146.97, 1);
    expect(energy.kj).toBeCloseTo(energy.kcal * 4.184, 9);
    expect(energy.conventions).toEqual({ equation: 'keytel-2005', floorPercentHrMax: 50 });
    expect(hrEnergy([{ bpm: 99, seconds: 600 }], profile, { floorPercentHrMax: 0 }).kj).toBeGreaterThan(0);
  });

  it('needs age, mass and a sensible VO2max', () => {
    const profile: AthleteProfile = { hrMax: 200, hrRest: 50, sex: 'male', massKg: 80 };
    expect(() => hrEnergy([], profile)).toThrow(invalid);
    expect(() => hrEnergy([], { ...profile, ageYears: 30, massKg: 0 })).toThrow(invalid);
    expect(() => hrEnergy([], { ...profile, ageYears: 30 }, { vo2max: -5 })).toThrow(invalid);
    expect(() => keytelKjPerMin({ bpm: 150, sex: 'male', massKg: Number.NaN, ageYears: 30 })).toThrow(invalid);
  });
});
