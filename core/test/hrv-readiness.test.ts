import { describe, expect, it } from 'vitest';
import { hrvReadiness } from '../src/hrv/index.ts';

// Four weeks alternating 4.0 / 4.2 (day 5 not measured), then a week at 3.8.
const daily: (number | null)[] = [...Array.from({ length: 28 }, (_, i) => (i % 2 === 0 ? 4.0 : 4.2)), ...Array<number>(7).fill(3.8)];
daily[5] = null;

describe('hrvReadiness (7-day rolling lnRMSSD against a 28-day baseline ± 0.5 SD)', () => {
  // Expected values from an independent numpy computation (python3, outside the repo): for each day,
  // roll = measured values of the 7 days ending today, base = those of the 28 days ending today;
  // np.mean(roll) if len(roll) >= 3; np.mean(base), np.std(base, ddof=1) if len(base) >= 12.
  const { days, conventions } = hrvReadiness(daily);

  it('reports insufficient data until both windows hold enough measurements', () => {
    expect(days[1]).toMatchObject({ rollingMean: null, rollingCount: 2, baselineMean: null, status: 'insufficient-data' });
    expect(days[2]?.rollingMean).toBeCloseTo(4.066666666666666, 12);
    expect(days[2]?.status).toBe('insufficient-data');
    expect(days[11]).toMatchObject({ baselineMean: null, status: 'insufficient-data' }); // 11 measured days
    expect(days[12]?.status).toBe('within'); // the 12th measured day
  });

  it('matches numpy on the settled baseline', () => {
    const day27 = days[27];
    expect(day27?.rollingMean).toBeCloseTo(4.114285714285714, 12);
    expect(day27?.baselineMean).toBeCloseTo(4.096296296296296, 12);
    expect(day27?.baselineSd).toBeCloseTo(0.10183501544346321, 12);
    expect(day27?.lower).toBeCloseTo(4.045378788574564, 12);
    expect(day27?.upper).toBeCloseTo(4.147213804018027, 12);
    expect(day27?.status).toBe('within');
  });

  it('falls below the band as the low week builds up', () => {
    expect(days[28]?.status).toBe('within');
    expect(days[30]?.rollingMean).toBeCloseTo(3.9714285714285715, 12);
    expect(days[30]?.lower).toBeCloseTo(3.9987300446179908, 12);
    expect(days[30]?.status).toBe('below');
    expect(days[34]?.rollingMean).toBeCloseTo(3.8, 12);
    expect(days[34]?.baselineMean).toBeCloseTo(4.0285714285714285, 12);
    expect(days[34]?.lower).toBeCloseTo(3.948228249302579, 12);
    expect(days[34]?.status).toBe('below');
    expect(conventions).toEqual({ rollingDays: 7, baselineDays: 28, swcFactor: 0.5, minRollingValues: 3, minBaselineValues: 12, sdDdof: 1 });
  });

  it('rises above 0.5 SD but not above 1 SD after three high days', () => {
    // numpy: rolling mean 4.271428571428571; baseline 4.146428571428571 ± 0.5·0.15748519708717804 → upper
    // 4.22517116997216, ± 1 SD → upper 4.303913768515749.
    const high = [...Array.from({ length: 28 }, (_, i) => (i % 2 === 0 ? 4.0 : 4.2)), 4.5, 4.5, 4.5];
    const half = hrvReadiness(high).days[30];
    expect(half?.upper).toBeCloseTo(4.22517116997216, 12);
    expect(half?.status).toBe('above');
    const full = hrvReadiness(high, { swcFactor: 1 }).days[30];
    expect(full?.upper).toBeCloseTo(4.303913768515749, 12);
    expect(full?.status).toBe('within');
  });
});

describe('hrvReadiness on bad input', () => {
  it('rejects non-finite values and inconsistent options', () => {
    expect(() => hrvReadiness([4.1, Number.NaN])).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT', detail: { day: 1, value: Number.NaN } }));
    expect(() => hrvReadiness([4.1], { rollingDays: 0 })).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
    expect(() => hrvReadiness([4.1], { minRollingValues: 8 })).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
  });

  it('returns an empty list for no days', () => {
    expect(hrvReadiness([]).days).toEqual([]);
  });
});
