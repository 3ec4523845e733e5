import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { correctArtifacts, detectArtifacts } from '../src/hrv/index.ts';

// A smooth series with respiratory-like swing and deterministic jitter: no artifact in it.
const clean = Array.from({ length: 300 }, (_, i) => 1000 + 50 * Math.sin((2 * Math.PI * i) / 10) + 8 * Math.sin(1.7 * i));
const total = (rr: readonly number[]) => rr.reduce((s, v) => s + v, 0);
const at = (rr: readonly number[], i: number) => rr[i] as number;

describe('Lipponen–Tarvainen detection on injected artifacts', () => {
  it('finds nothing in the clean series', () => {
    expect(detectArtifacts(clean)).toEqual([]);
    const result = correctArtifacts(clean);
    expect(result.nn).toEqual(clean);
    expect(result.count).toBe(0);
    expect(result.passes).toBe(0);
  });

  it('finds a missed beat and splits its interval in two', () => {
    // Beat 101 is lost: intervals 100 and 101 fuse into one.
    const missed = [...clean.slice(0, 100), at(clean, 100) + at(clean, 101), ...clean.slice(102)];
    expect(detectArtifacts(missed)).toEqual([{ index: 100, kind: 'missed' }]);
    const result = correctArtifacts(missed);
    expect(result.nn).toHaveLength(300);
    expect(result.nn[100]).toBeCloseTo((at(clean, 100) + at(clean, 101)) / 2, 9);
    expect(result.nn[101]).toBeCloseTo((at(clean, 100) + at(clean, 101)) / 2, 9);
    expect(result.artifacts).toEqual([{ index: 100, kind: 'missed', pass: 1 }]);
    expect(total(result.nn)).toBeCloseTo(total(missed), 6);
  });

  it('finds an extra beat and removes it, restoring the original intervals', () => {
    // A spurious beat 250 ms into interval 200.
    const extra = [...clean.slice(0, 200), 250, at(clean, 200) - 250, ...clean.slice(201)];
    expect(detectArtifacts(extra)).toEqual([{ index: 200, kind: 'extra' }]);
    const result = correctArtifacts(extra);
    expect(result.nn).toHaveLength(300);
    result.nn.forEach((v, i) => expect(v).toBeCloseTo(at(clean, i), 9));
    expect(result.countsByKind).toEqual({ ectopic: 0, missed: 0, extra: 1, long: 0, short: 0 });
    expect(result.percent).toBeCloseTo(100 / 301, 12);
  });

  it('finds a premature beat and moves it back halfway between its neighbours', () => {
    // Beat 150 comes 250 ms early: a short interval 149 and a long compensatory interval 150.
    const ectopic = clean.map((v, i) => (i === 149 ? v - 250 : i === 150 ? v + 250 : v));
    expect(detectArtifacts(ectopic)).toContainEqual({ index: 150, kind: 'ectopic' });
    const result = correctArtifacts(ectopic);
    const pairMean = (at(clean, 149) + at(clean, 150)) / 2;
    expect(result.nn[149]).toBeCloseTo(pairMean, 9);
    expect(result.nn[150]).toBeCloseTo(pairMean, 9);
    expect(result.nn.filter((_, i) => i !== 149 && i !== 150)).toEqual(clean.filter((_, i) => i !== 149 && i !== 150));
    expect(total(result.nn)).toBeCloseTo(total(clean), 6);
  });

  it('classifies a lone long and a lone short interval', () => {
    const odd = clean.map((v, i) => (i === 60 ? v + 400 : i === 220 ? v - 300 : v));
    expect(detectArtifacts(odd)).toEqual([
      { index: 60, kind: 'long' },
      { index: 220, kind: 'short' },
    ]);
    const result = correctArtifacts(odd);
    // The beat that ends the odd interval moves halfway between its neighbours.
    expect(result.nn[60]).toBeCloseTo((at(odd, 60) + at(odd, 61)) / 2, 9);
    expect(result.nn[61]).toBeCloseTo((at(odd, 60) + at(odd, 61)) / 2, 9);
    expect(result.count).toBe(result.artifacts.length);
    expect(result.count).toBe(Object.values(result.countsByKind).reduce((s, n) => s + n, 0));
    expect(total(result.nn)).toBeCloseTo(total(odd), 6);
  });
});

describe('NeuroKit2 signal_fixpeaks test fixtures', () => {
  // NeuroKit2 tests/tests_signal_fixpeaks.py builds peaks = cumsum(rint(1000 + 125·N(sin(i), 0.1)))
  // with numpy default_rng(42), 1000 peaks; the fixture holds their 999 intervals, generated with
  // numpy 2.4. It removes peaks 100, 200, …, 900 and expects "missed" at peak indices k − i, and
  // adds a peak 1/15 into the interval after each and expects "extra" there. A peak index p is
  // interval p − 1 here (our intervals start at the first beat, theirs at a padded zero).
  const peaks = [0];
  for (const rr of readFileSync(join(import.meta.dirname, 'fixtures', 'hrv', 'sinusoid-seed42-rr.txt'), 'utf8').trim().split('\n')) {
    peaks.push(at(peaks, peaks.length - 1) + Number(rr));
  }
  const intervals = (p: readonly number[]) => p.slice(1).map((v, i) => v - at(p, i));
  const marks = [100, 200, 300, 400, 500, 600, 700, 800, 900];

  it('finds the missed beats where NeuroKit2 expects them', () => {
    const missed = intervals(peaks.filter((_, i) => !marks.includes(i)));
    const expected = marks.map((k, i) => ({ index: k - i - 1, kind: 'missed' }));
    expect(detectArtifacts(missed)).toEqual(expected);
  });

  it('finds the extra beats and their removal restores the intervals', () => {
    const withExtra = [...peaks];
    for (const k of [...marks].reverse()) withExtra.splice(k + 1, 0, at(peaks, k) + (at(peaks, k + 1) - at(peaks, k)) / 15);
    const extra = intervals(withExtra);
    expect(detectArtifacts(extra)).toEqual(marks.map((k, i) => ({ index: k + i, kind: 'extra' })));
    const result = correctArtifacts(extra);
    expect(result.nn).toEqual(intervals(peaks));
  });
});

describe('artifact correction on bad input', () => {
  it('leaves series too short to classify alone', () => {
    expect(detectArtifacts([800, 1600, 800])).toEqual([]);
  });

  it('rejects implausible intervals and parameters', () => {
    expect(() => correctArtifacts([800, 0, 800, 810])).toThrow(expect.objectContaining({ code: 'TL_ERR_RR_INTERVAL' }));
    expect(() => correctArtifacts(clean, { alpha: -1 })).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
  });
});
