import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeHrv, fftInPlace, hrvFrequencyDomain, naturalCubicSpline, parseRrText } from '../src/hrv/index.ts';

const rest = parseRrText(readFileSync(join(import.meta.dirname, 'fixtures', 'hrv', 'rhenanbartels-rest-rri.txt'), 'utf8')).rr;

/*
 * Expected band powers are from an independent computation with scipy 1.17 (python3, outside the repo):
 *   t = np.cumsum(nn)/1000; n = floor((t[-1]-t[0])*4)+1; grid = t[0] + np.arange(n)/4
 *   x = scipy.interpolate.CubicSpline(t, nn, bc_type='natural')(grid)
 *   L = min(1024, n); nfft = next power of two ≥ L
 *   f, p = scipy.signal.welch(x, fs=4, window='hann', nperseg=L, noverlap=L//2, nfft=nfft,
 *                             detrend='linear', scaling='density')
 *   band = p[(f >= lo) & (f < hi)].sum() * (f[1] - f[0])
 */
describe('hrvFrequencyDomain against scipy.signal.welch', () => {
  it('matches on rhenanbartels/hrv rest_rri.txt (6 segments of 256 s)', () => {
    const r = hrvFrequencyDomain(rest);
    expect(r.method.segments).toBe(6);
    expect(r.method.segmentSamples).toBe(1024);
    expect(r.vlfMs2).toBeCloseTo(1156.7475506090937, 8);
    expect(r.lfMs2).toBeCloseTo(849.8610141727497, 8);
    expect(r.hfMs2).toBeCloseTo(892.6955038524983, 8);
    expect(r.lfHf).toBeCloseTo(0.9520166848663482, 10);
    expect(r.totalMs2).toBeCloseTo(1156.7475506090937 + 849.8610141727497 + 892.6955038524983, 7);
    expect(r.lfNu).toBeCloseTo((100 * 849.8610141727497) / (849.8610141727497 + 892.6955038524983), 8);
  });

  it('matches on a recording shorter than one segment (first 200 intervals, zero-padded to 1024)', () => {
    const r = hrvFrequencyDomain(rest.slice(0, 200));
    expect(r.method.segments).toBe(1);
    expect(r.method.segmentSamples).toBe(850);
    expect(r.method.fftSamples).toBe(1024);
    expect(r.durationSeconds).toBeCloseTo(212.257, 9);
    expect(r.vlfMs2).toBeCloseTo(1572.4862747930297, 8);
    expect(r.lfMs2).toBeCloseTo(1754.3685082626648, 8);
    expect(r.hfMs2).toBeCloseTo(924.134296503486, 8);
  });
});

describe('hrvFrequencyDomain on a pure oscillation', () => {
  it('puts the power A²/2 of a 0.1 Hz, 40 ms swing in LF (Parseval)', () => {
    const rr: number[] = [];
    for (let t = 0; t < 600; ) {
      const v = 1000 + 40 * Math.sin(2 * Math.PI * 0.1 * t);
      rr.push(v);
      t += v / 1000;
    }
    const r = hrvFrequencyDomain(rr);
    expect(r.lfMs2).toBeGreaterThan(800 * 0.99);
    expect(r.lfMs2).toBeLessThan(800 * 1.01);
    expect(r.hfMs2).toBeLessThan(1);
    expect(r.vlfMs2).toBeLessThan(1);
  });
});

describe('hrvFrequencyDomain on bad input', () => {
  it('refuses recordings shorter than two minutes, and analyzeHrv says why it skipped them', () => {
    const short = rest.slice(0, 100);
    expect(() => hrvFrequencyDomain(short)).toThrow(expect.objectContaining({ code: 'TL_ERR_TOO_FEW_SAMPLES' }));
    const analysis = analyzeHrv(short, { correction: false });
    expect(analysis.frequencyDomain).toBeNull();
    expect(analysis.frequencyDomainSkipped).toMatch(/at least 120 s/);
    expect(analysis.timeDomain.n).toBe(100);
  });

  it('rejects bands above Nyquist and bad overlaps', () => {
    expect(() => hrvFrequencyDomain(rest, { bands: { vlf: [0.0033, 0.04], lf: [0.04, 0.15], hf: [0.15, 3] } })).toThrow(
      expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }),
    );
    expect(() => hrvFrequencyDomain(rest, { overlap: 1 })).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
  });
});

describe('fftInPlace', () => {
  it('transforms an impulse to a flat spectrum', () => {
    const re = new Float64Array([1, 0, 0, 0, 0, 0, 0, 0]);
    const im = new Float64Array(8);
    fftInPlace(re, im);
    expect([...re]).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect([...im].every((v) => v === 0)).toBe(true);
  });

  it('puts a cosine of k cycles at bins k and n − k with amplitude n/2, and a sine with sign −i', () => {
    const n = 16;
    const re = new Float64Array(Array.from({ length: n }, (_, t) => Math.cos((2 * Math.PI * 3 * t) / n) + Math.sin((2 * Math.PI * 5 * t) / n)));
    const im = new Float64Array(n);
    fftInPlace(re, im);
    for (let k = 0; k < n; k++) {
      expect(re[k]).toBeCloseTo(k === 3 || k === 13 ? 8 : 0, 10);
      expect(im[k]).toBeCloseTo(k === 5 ? -8 : k === 11 ? 8 : 0, 10);
    }
  });

  it('rejects lengths that are not powers of two', () => {
    expect(() => fftInPlace(new Float64Array(6), new Float64Array(6))).toThrow(RangeError);
  });
});

describe('naturalCubicSpline', () => {
  it('matches scipy CubicSpline(bc_type="natural")', () => {
    // scipy: CubicSpline([0,1,2.5,3],[0,1,0,2],bc_type='natural')([0.5,1.5,2.75])
    const values = naturalCubicSpline([0, 1, 2.5, 3], [0, 1, 0, 2], [0.5, 1.5, 2.75]);
    expect(values[0]).toBeCloseTo(0.7887323943661972, 12);
    expect(values[1]).toBeCloseTo(0.3380281690140846, 12);
    expect(values[2]).toBeCloseTo(0.863556338028169, 12);
  });

  it('reproduces a straight line and passes through its knots', () => {
    const values = naturalCubicSpline([0, 2, 3, 7], [1, 5, 7, 15], [0, 1, 2.5, 7]);
    [1, 3, 6, 15].forEach((expected, i) => expect(values[i]).toBeCloseTo(expected, 12));
  });
});
