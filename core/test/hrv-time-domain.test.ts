import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hrvTimeDomain, parseRrText } from '../src/hrv/index.ts';

const fixture = (name: string) => parseRrText(readFileSync(join(import.meta.dirname, 'fixtures', 'hrv', name), 'utf8')).rr;

describe('hrvTimeDomain on a hand-checkable series', () => {
  // 800, 810, 790, 850, 820: ΔRR = 10, −20, 60, −30.
  const result = hrvTimeDomain([800, 810, 790, 850, 820]);

  it('computes every metric as worked by hand', () => {
    expect(result.n).toBe(5);
    expect(result.meanRrMs).toBe(814); // 4070 / 5
    expect(result.sdnnMs).toBeCloseTo(Math.sqrt(2120 / 4), 12); // deviations −14, −4, −24, 36, 6
    expect(result.rmssdMs).toBeCloseTo(Math.sqrt(5000 / 4), 12); // 100 + 400 + 3600 + 900
    expect(result.lnRmssd).toBeCloseTo(Math.log(Math.sqrt(1250)), 12);
    expect(result.sdsdMs).toBeCloseTo(Math.sqrt(4900 / 3), 12); // mean Δ 5; deviations 5, −25, 55, −35
    expect(result.nn50).toBe(1); // only |60|
    expect(result.pnn50Pct).toBe(25); // 1 of 4 differences
    expect(result.nn20).toBe(2); // |−20| is not more than 20
    expect(result.pnn20Pct).toBe(50);
    expect(result.meanHrBpm).toBeCloseTo(60000 / 814, 12);
    expect(result.minHrBpm).toBeCloseTo(60000 / 850, 12);
    expect(result.maxHrBpm).toBeCloseTo(60000 / 790, 12);
    expect(result.sd1Ms).toBeCloseTo(Math.sqrt(4900 / 3) / Math.SQRT2, 12);
    // (RRₙ₊₁ + RRₙ) = 1610, 1600, 1640, 1670: deviations −20, −30, 10, 40 → SD √1000, divided by √2.
    expect(result.sd2Ms).toBeCloseTo(Math.sqrt(500), 12);
    expect(result.conventions).toEqual({ ddof: 1, pnnDenominator: 'differences', meanHr: 'from-mean-rr', poincare: 'rotated-axes' });
  });

  it('computes SD2 by the SDNN/SDSD identity when asked', () => {
    // √(2·530 − ½·4900/3) = √(730/3)
    const identity = hrvTimeDomain([800, 810, 790, 850, 820], { poincare: 'sdnn-sdsd-identity' });
    expect(identity.sd2Ms).toBeCloseTo(Math.sqrt(730 / 3), 12);
    expect(identity.sd1Ms).toBeCloseTo(result.sd1Ms, 12);
  });

  it('does not count a difference of exactly 50 ms in NN50', () => {
    expect(hrvTimeDomain([800, 850, 800]).nn50).toBe(0);
    expect(hrvTimeDomain([800, 850.5, 800]).nn50).toBe(2);
  });

  it('returns null lnRMSSD for a series with no beat-to-beat change', () => {
    const flat = hrvTimeDomain([900, 900, 900]);
    expect(flat.rmssdMs).toBe(0);
    expect(flat.lnRmssd).toBeNull();
  });
});

describe('hrvTimeDomain on rhenanbartels/hrv rest_rri.txt (910 intervals)', () => {
  const rest = fixture('rhenanbartels-rest-rri.txt');

  it('matches numpy with Kubios conventions', () => {
    // numpy 2.4: d = np.diff(rr); rr.mean(), rr.std(ddof=1), sqrt(mean(d**2)), d.std(ddof=1), ...,
    // (d/√2).std(ddof=1), ((rr[1:]+rr[:-1])/√2).std(ddof=1)
    const r = hrvTimeDomain(rest);
    expect(r.n).toBe(910);
    expect(r.meanRrMs).toBeCloseTo(1058.7186813186813, 9);
    expect(r.sdnnMs).toBeCloseTo(57.81817771970009, 9);
    expect(r.rmssdMs).toBeCloseTo(55.13744203126742, 9);
    expect(r.lnRmssd).toBeCloseTo(4.009829014081921, 9);
    expect(r.sdsdMs).toBeCloseTo(55.167700730663555, 9);
    expect(r.nn50).toBe(321);
    expect(r.pnn50Pct).toBeCloseTo(35.31353135313531, 9);
    expect(r.nn20).toBe(663);
    expect(r.pnn20Pct).toBeCloseTo(72.93729372937294, 9);
    expect(r.meanHrBpm).toBeCloseTo(56.672278536983335, 9);
    expect(r.minHrBpm).toBeCloseTo(49.586776859504134, 9);
    expect(r.maxHrBpm).toBeCloseTo(76.62835249042146, 9);
    expect(r.sd1Ms).toBeCloseTo(39.00945528912225, 9);
    expect(r.sd2Ms).toBeCloseTo(71.87886417160782, 9);
    // numpy: sqrt(2*rr.std(ddof=1)**2 - 0.5*d.std(ddof=1)**2)
    expect(hrvTimeDomain(rest, { poincare: 'sdnn-sdsd-identity' }).sd2Ms).toBeCloseTo(71.86199098062633, 9);
  });

  it('applies the alternative conventions when asked', () => {
    // numpy: rr.std(ddof=0), d.std(ddof=0), 100*sum(|d|>50)/len(rr), mean(60000/rr), SD1/SD2 with ddof=0
    const r = hrvTimeDomain(rest, { ddof: 0, pnnDenominator: 'intervals', meanHr: 'mean-of-beats' });
    expect(r.sdnnMs).toBeCloseTo(57.78640075784954, 9);
    expect(r.sdsdMs).toBeCloseTo(55.137347110357084, 9);
    expect(r.pnn50Pct).toBeCloseTo(35.27472527472528, 9);
    expect(r.pnn20Pct).toBeCloseTo(72.85714285714286, 9);
    expect(r.meanHrBpm).toBeCloseTo(56.85278105637358, 9);
    expect(r.sd1Ms).toBeCloseTo(38.98799203836999, 9);
    expect(r.sd2Ms).toBeCloseTo(71.83931596274233, 9);
    expect(r.conventions).toEqual({ ddof: 0, pnnDenominator: 'intervals', meanHr: 'mean-of-beats', poincare: 'rotated-axes' });
  });
});

describe('hrvTimeDomain on rhenanbartels/hrv real_rri.txt without its trailing 0 (771 intervals)', () => {
  it('matches numpy', () => {
    const real = readFileSync(join(import.meta.dirname, 'fixtures', 'hrv', 'rhenanbartels-real-rri.txt'), 'utf8')
      .trim()
      .split(/\r?\n/)
      .map(Number)
      .slice(0, -1);
    // numpy as above on np.loadtxt(...)[:-1]
    const r = hrvTimeDomain(real);
    expect(r.n).toBe(771);
    expect(r.meanRrMs).toBeCloseTo(1188.154345006485, 9);
    expect(r.sdnnMs).toBeCloseTo(75.03213712287736, 9);
    expect(r.rmssdMs).toBeCloseTo(72.27062236581928, 9);
    expect(r.nn50).toBe(316);
    expect(r.pnn50Pct).toBeCloseTo(41.03896103896104, 9);
    expect(r.nn20).toBe(583);
    expect(r.sd1Ms).toBeCloseTo(51.13625075111809, 9);
    expect(r.sd2Ms).toBeCloseTo(93.035487473732, 9);
  });
});

describe('hrvTimeDomain on bad input', () => {
  it('rejects too few intervals', () => {
    expect(() => hrvTimeDomain([800, 810])).toThrow(expect.objectContaining({ code: 'TL_ERR_TOO_FEW_SAMPLES' }));
  });

  it('names the first implausible interval', () => {
    expect(() => hrvTimeDomain([800, -5, 810])).toThrow(expect.objectContaining({ code: 'TL_ERR_RR_INTERVAL', detail: { index: 1, value: -5 } }));
    expect(() => hrvTimeDomain([800, 810, Number.NaN])).toThrow(expect.objectContaining({ code: 'TL_ERR_RR_INTERVAL' }));
    expect(() => hrvTimeDomain([800, 810, 9000])).toThrow(expect.objectContaining({ code: 'TL_ERR_RR_INTERVAL' }));
  });

  it('rejects unknown conventions', () => {
    expect(() => hrvTimeDomain([800, 810, 820], { ddof: 2 as 0 })).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
    expect(() => hrvTimeDomain([800, 810, 820], { pnnDenominator: 'n' as 'intervals' })).toThrow(
      expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }),
    );
  });
});
