import { describe, expect, it } from 'vitest';
import {
  banisterImpulseResponse,
  ewma,
  ewmaAcwr,
  fillDailyLoads,
  monotonyAndStrain,
  performanceManagement,
  rollingAcwr,
  rollingMean,
} from '../src/load/index.ts';

const invalid = expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' });
/** The load vector of JorgeDelro/ACWR's tests: TL = c(rep(30, 21), rep(50, 7)). */
const jorgeDelro = [...Array<number>(21).fill(30), ...Array<number>(7).fill(50)];

describe('ACWR', () => {
  it('EWMA (Williams 2017, λ = 2/(N+1)) on the JorgeDelro vector: 47.3303 / 37.8720 = 1.24975 (reference §2.7)', () => {
    const { acute, chronic, acwr } = ewmaAcwr(jorgeDelro, { acuteDays: 7, chronicDays: 28, seed: 'first-day' });
    expect(acute.at(-1)).toBeCloseTo(47.3303, 4);
    expect(chronic.at(-1)).toBeCloseTo(37.872, 4);
    expect(acwr.at(-1)).toBeCloseTo(1.24975, 5);
  });

  it('seeds the EWMA from zero when asked (numpy: 47.32080 / 33.81536 = 1.399388)', () => {
    const { acwr } = ewmaAcwr(jorgeDelro, { acuteDays: 7, chronicDays: 28, seed: 'zero' });
    expect(acwr.at(-1)).toBeCloseTo(1.399388, 6);
    expect(ewma([100], 7, 'zero')).toEqual([25]); // λ = 0.25
  });

  it('rolling coupled 50/35 = 1.42857 and uncoupled 50/30 = 1.66667 on the same vector (reference §2.7)', () => {
    const coupled = rollingAcwr(jorgeDelro, { acuteDays: 7, chronicDays: 28, coupling: 'coupled', fill: 'zero-padded' });
    const uncoupled = rollingAcwr(jorgeDelro, { acuteDays: 7, chronicDays: 28, coupling: 'uncoupled', fill: 'zero-padded' });
    expect(coupled.acwr.at(-1)).toBeCloseTo(1.42857, 5);
    expect(uncoupled.chronic.at(-1)).toBeCloseTo(30, 10);
    expect(uncoupled.acwr.at(-1)).toBeCloseTo(1.66667, 5);
  });

  it('is null, never NaN or Infinity, while the chronic load is 0', () => {
    const { acwr } = rollingAcwr([0, 0, 0, 100], { acuteDays: 7, chronicDays: 28, coupling: 'coupled', fill: 'zero-padded' });
    expect(acwr).toEqual([null, null, null, 4]);
    expect(ewmaAcwr([0, 0], { acuteDays: 7, chronicDays: 28, seed: 'zero' }).acwr).toEqual([null, null]);
  });

  it('keeps an all-rest window exactly 0 after fractional loads', () => {
    const loads = [0.1, 0.2, 0.3, ...Array<number>(30).fill(0)];
    expect(rollingMean(loads, 28, 'zero-padded').at(-1)).toBe(0);
  });
});

describe('window fill conventions', () => {
  const loads = [70, 0, 140];
  it('zero-padded divides by the window from day one (SoccerMon)', () => {
    expect(rollingMean(loads, 7, 'zero-padded')).toEqual([10, 10, 30]);
  });
  it('partial averages the days that exist', () => {
    expect(rollingMean(loads, 7, 'partial')).toEqual([70, 35, 70]);
  });
  it('complete-only is null until the window is full', () => {
    expect(rollingMean(loads, 2, 'complete-only')).toEqual([null, 35, 70]);
  });
  it('lags a window (uncoupled chronic)', () => {
    expect(rollingMean([10, 20, 30, 40], 2, 'complete-only', 1)).toEqual([null, null, 15, 25]);
    expect(rollingMean([10, 20, 30, 40], 2, 'partial', 1)).toEqual([null, 10, 15, 25]);
  });
});

describe('monotony and strain (Foster 1998)', () => {
  const week = [600, 200, 400, 500, 100, 650, 0]; // afitpilot example, reference §2.6
  it('population SD: 234.52 -> monotony 1.492, strain 3656', () => {
    const { monotony, strain } = monotonyAndStrain(week, { days: 7, sd: 'population', fill: 'zero-padded' });
    expect(monotony.at(-1)).toBeCloseTo(1.4924050145, 9); // numpy: mean / std(ddof=0)
    expect(strain.at(-1)).toBeCloseTo(3656.3922855, 6);
  });
  it('sample SD: 253.31 -> monotony 1.382, strain 3385', () => {
    const { monotony, strain } = monotonyAndStrain(week, { days: 7, sd: 'sample', fill: 'zero-padded' });
    expect(monotony.at(-1)).toBeCloseTo(1.3816985594, 9); // numpy: mean / std(ddof=1)
    expect(strain.at(-1)).toBeCloseTo(3385.1614706, 6);
  });
  it('has no monotony for a constant week (SD 0), even with fractional loads', () => {
    const { monotony, strain } = monotonyAndStrain(Array<number>(7).fill(0.1), { days: 7, sd: 'population', fill: 'complete-only' });
    expect(monotony).toEqual(Array(7).fill(null));
    expect(strain).toEqual(Array(7).fill(null));
  });
  it('rejects unknown conventions', () => {
    expect(() => monotonyAndStrain(week, { days: 7, sd: 'ddof2' as 'sample', fill: 'partial' })).toThrow(invalid);
    expect(() => monotonyAndStrain(week, { days: 1, sd: 'sample', fill: 'partial' })).toThrow(invalid);
  });
});

describe('CTL / ATL / TSB', () => {
  const constant = Array<number>(42).fill(100);
  it('exponential decay (GoldenCheetah) from zero at 100/day: 63.212 after 42 d and after 7 d (reference §2.8)', () => {
    const days = performanceManagement(constant, { ctlDays: 42, atlDays: 7, decay: 'exponential', tsb: 'same-day' });
    expect(days[41]?.ctl).toBeCloseTo(63.212, 3);
    expect(days[6]?.atl).toBeCloseTo(63.212, 3);
  });
  it('1/τ decay: 63.654 after 42 d and 66.008 after 7 d (reference §2.8)', () => {
    const days = performanceManagement(constant, { ctlDays: 42, atlDays: 7, decay: 'linear', tsb: 'same-day' });
    expect(days[41]?.ctl).toBeCloseTo(63.654, 3);
    expect(days[6]?.atl).toBeCloseTo(66.008, 3);
  });
  it('shows TSB from the previous day by default convention, or from the same day', () => {
    const previous = performanceManagement([100, 0], { ctlDays: 42, atlDays: 7, decay: 'linear', tsb: 'previous-day' });
    const same = performanceManagement([100, 0], { ctlDays: 42, atlDays: 7, decay: 'linear', tsb: 'same-day' });
    // Day 1: CTL 100/42, ATL 100/7 (by hand).
    expect(previous[0]?.tsb).toBe(0);
    expect(previous[1]?.tsb).toBeCloseTo(100 / 42 - 100 / 7, 10);
    expect(same[0]?.tsb).toBeCloseTo(100 / 42 - 100 / 7, 10);
  });
  it('starts from seeded values', () => {
    const [day] = performanceManagement([0], { ctlDays: 42, atlDays: 7, decay: 'linear', tsb: 'previous-day', initialCtl: 42, initialAtl: 70 });
    expect(day).toEqual({ ctl: 41, atl: 60, tsb: -28 });
  });
  it('rejects bad parameters', () => {
    expect(() => performanceManagement([1], { ctlDays: 0, atlDays: 7, decay: 'linear', tsb: 'same-day' })).toThrow(invalid);
    expect(() => performanceManagement([1], { ctlDays: 42, atlDays: 7, decay: 'log' as 'linear', tsb: 'same-day' })).toThrow(invalid);
    expect(() => performanceManagement([-1], { ctlDays: 42, atlDays: 7, decay: 'linear', tsb: 'same-day' })).toThrow(invalid);
    expect(() => performanceManagement([Number.NaN], { ctlDays: 42, atlDays: 7, decay: 'linear', tsb: 'same-day' })).toThrow(invalid);
  });
});

describe('Banister impulse-response model', () => {
  it('reproduces Clarke & Skiba 2013 (GoldenCheetah Clarke_Rationale_2013s.xlsx, sheet 6, reference §2.9)', () => {
    const days = banisterImpulseResponse(Array<number>(59).fill(100), { p0: 500, k1: 1, k2: 2, tau1: 27, tau2: 10 });
    const published: [number, number, number, number][] = [
      [1, 100, 100, 400],
      [2, 196.364044, 190.483742, 315.396561],
      [3, 289.224335, 272.356817, 244.510701],
      [10, 851.279515, 664.253266, 22.772983],
      [11, 920.32737, 701.04121, 18.24495],
      [12, 986.864676, 734.328319, 18.208039],
      [30, 1844.92631, 998.51529, 347.895737],
      [59, 2441.01743, 1047.95449, 845.108444],
    ];
    for (const [day, g, h, p] of published) {
      const row = days[day - 1];
      expect(row?.fitness).toBeCloseTo(g, 4);
      expect(row?.fatigue).toBeCloseTo(h, 4);
      expect(row?.performance).toBeCloseTo(p, 4);
    }
    const minimum = days.reduce((best, row, i) => ((row.performance < (days[best]?.performance ?? Infinity) ? i : best)), 0);
    expect(minimum + 1).toBe(12);
  });
  it('rejects non-positive time constants', () => {
    expect(() => banisterImpulseResponse([100], { p0: 0, k1: 1, k2: 2, tau1: 0, tau2: 10 })).toThrow(invalid);
  });
});

describe('fillDailyLoads', () => {
  it('sums sessions per date and fills rest days with 0, in date order', () => {
    expect(
      fillDailyLoads([
        { date: '2024-03-01', load: 300 },
        { date: '2024-02-28', load: 100 },
        { date: '2024-03-01', load: 200 },
      ]),
    ).toEqual([
      { date: '2024-02-28', load: 100 },
      { date: '2024-02-29', load: 0 },
      { date: '2024-03-01', load: 500 },
    ]);
    expect(fillDailyLoads([])).toEqual([]);
  });
  it('crosses a DST change and a year end one day at a time', () => {
    const days = fillDailyLoads([
      { date: '2023-12-30', load: 1 },
      { date: '2024-01-02', load: 1 },
    ]).map((d) => d.date);
    expect(days).toEqual(['2023-12-30', '2023-12-31', '2024-01-01', '2024-01-02']);
    expect(fillDailyLoads([{ date: '2024-03-30', load: 1 }, { date: '2024-04-01', load: 1 }])).toHaveLength(3);
  });
  it('rejects impossible dates and negative or non-finite loads', () => {
    expect(() => fillDailyLoads([{ date: '2023-02-29', load: 1 }])).toThrow(invalid);
    expect(() => fillDailyLoads([{ date: '2024-1-5', load: 1 }])).toThrow(invalid);
    expect(() => fillDailyLoads([{ date: '2024-01-05', load: -1 }])).toThrow(invalid);
    expect(() => fillDailyLoads([{ date: '2024-01-05', load: Number.POSITIVE_INFINITY }])).toThrow(invalid);
  });
});
