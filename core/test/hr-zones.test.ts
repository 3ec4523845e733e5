import { describe, expect, it } from 'vitest';
import { DEFAULT_ZONE_MODEL, createZoneModel, estimateHrMax, timeInZones, zoneOf, zoneThresholdsBpm } from '../src/hr/index.ts';
import type { AthleteProfile } from '../src/types.ts';

const athlete: AthleteProfile = { hrMax: 200, hrRest: 50, sex: 'male', massKg: 75, ageYears: 30 };

describe('zone models', () => {
  it('defaults to five %HRmax zones 50/60/70/80/90 (Edwards 1993)', () => {
    expect(DEFAULT_ZONE_MODEL).toEqual({ kind: 'percent-hrmax', bounds: [50, 60, 70, 80, 90] });
    // 50–90 % of 200 bpm, by hand.
    expect(zoneThresholdsBpm(DEFAULT_ZONE_MODEL, athlete)).toEqual([100, 120, 140, 160, 180]);
  });

  it('puts a rate on a bound in the higher zone, below zone 1 in zone 0, above the top in the top zone', () => {
    expect(zoneOf(99.9, DEFAULT_ZONE_MODEL, athlete)).toBe(0);
    expect(zoneOf(100, DEFAULT_ZONE_MODEL, athlete)).toBe(1);
    expect(zoneOf(119.9, DEFAULT_ZONE_MODEL, athlete)).toBe(1);
    expect(zoneOf(120, DEFAULT_ZONE_MODEL, athlete)).toBe(2);
    expect(zoneOf(165, DEFAULT_ZONE_MODEL, athlete)).toBe(4);
    expect(zoneOf(180, DEFAULT_ZONE_MODEL, athlete)).toBe(5);
    expect(zoneOf(230, DEFAULT_ZONE_MODEL, athlete)).toBe(5);
  });

  it('computes Karvonen (heart-rate reserve) bounds: rest 60, max 190, 70 % -> 151 bpm (reference §2.1)', () => {
    const profile: AthleteProfile = { hrMax: 190, hrRest: 60, sex: 'female', massKg: 60 };
    const model = createZoneModel('hrr', [70]);
    expect(zoneThresholdsBpm(model, profile)[0]).toBeCloseTo(151, 10);
    expect(zoneOf(150.9, model, profile)).toBe(0);
    expect(zoneOf(151, model, profile)).toBe(1);
  });

  it('takes custom bpm thresholds and any number of zones', () => {
    const lab = createZoneModel('bpm', [130, 150, 170]);
    expect(zoneThresholdsBpm(lab, athlete)).toEqual([130, 150, 170]);
    expect([129, 130, 155, 171].map((bpm) => zoneOf(bpm, lab, athlete))).toEqual([0, 1, 2, 3]);
    const seven = createZoneModel('percent-hrmax', [40, 50, 60, 70, 80, 90, 95]);
    expect(zoneOf(191, seven, athlete)).toBe(7);
  });

  it('sums time in zones, index 0 below zone 1', () => {
    const intervals = [
      { bpm: 90, seconds: 30 },
      { bpm: 125, seconds: 60 },
      { bpm: 126, seconds: 15 },
      { bpm: 185, seconds: 5 },
    ];
    expect(timeInZones(intervals, DEFAULT_ZONE_MODEL, athlete)).toEqual([30, 0, 75, 0, 0, 5]);
  });

  it('is a frozen value object', () => {
    const model = createZoneModel('bpm', [120, 140]);
    expect(Object.isFrozen(model)).toBe(true);
    expect(Object.isFrozen(model.bounds)).toBe(true);
  });

  it('rejects bad models, profiles and rates with a coded error', () => {
    const bad = (f: () => unknown) => expect(f).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
    bad(() => createZoneModel('bpm', []));
    bad(() => createZoneModel('bpm', [140, 130]));
    bad(() => createZoneModel('bpm', [120, 120]));
    bad(() => createZoneModel('bpm', [Number.NaN]));
    bad(() => createZoneModel('percent' as 'bpm', [50]));
    bad(() => zoneOf(150, DEFAULT_ZONE_MODEL, { ...athlete, hrMax: 50 }));
    bad(() => zoneOf(150, DEFAULT_ZONE_MODEL, { ...athlete, hrRest: Number.NaN }));
    bad(() => zoneOf(Number.NaN, DEFAULT_ZONE_MODEL, athlete));
    bad(() => timeInZones([{ bpm: 120, seconds: -1 }], DEFAULT_ZONE_MODEL, athlete));
  });
});

describe('HRmax estimates', () => {
  it('follows Fox (220 − age), Tanaka 2001 (208 − 0.7·age) and Gellish 2007 (207 − 0.7·age)', () => {
    // By hand: age 40 -> 180, 208 − 28 = 180, 207 − 28 = 179; age 20 -> 200, 194, 193.
    expect(estimateHrMax(40, 'fox')).toBe(180);
    expect(estimateHrMax(40, 'tanaka')).toBeCloseTo(180, 10);
    expect(estimateHrMax(40, 'gellish')).toBeCloseTo(179, 10);
    expect(estimateHrMax(20, 'fox')).toBe(200);
    expect(estimateHrMax(20, 'tanaka')).toBeCloseTo(194, 10);
    expect(estimateHrMax(20, 'gellish')).toBeCloseTo(193, 10);
  });

  it('uses Tanaka by default', () => {
    expect(estimateHrMax(30)).toBeCloseTo(187, 10);
  });

  it('rejects impossible ages and unknown formulas', () => {
    expect(() => estimateHrMax(-1)).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
    expect(() => estimateHrMax(Number.NaN)).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
    expect(() => estimateHrMax(30, 'astrand' as 'fox')).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
    expect(() => estimateHrMax(30, 'constructor' as 'fox')).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
  });
});
