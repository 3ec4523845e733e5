import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hrvTimeDomain, parseRrText, RmssdStream } from '../src/hrv/index.ts';

const rest = parseRrText(readFileSync(join(import.meta.dirname, 'fixtures', 'hrv', 'rhenanbartels-rest-rri.txt'), 'utf8')).rr;

describe('RmssdStream agrees with hrvTimeDomain on the same window', () => {
  it('over the last 60 intervals, at every beat of rest_rri.txt', () => {
    const stream = new RmssdStream({ window: { beats: 60 }, guard: false });
    rest.forEach((rr, i) => {
      expect(stream.push(rr)).toBe('accepted');
      const window = rest.slice(Math.max(0, i - 59), i + 1);
      expect(stream.intervals()).toEqual(window);
      if (window.length >= 3) expect(stream.rmssdMs).toBeCloseTo(hrvTimeDomain(window).rmssdMs, 9);
    });
    expect(stream.intervalCount).toBe(60);
    expect(stream.differenceCount).toBe(59);
  });

  it('over the last 30 seconds of beats', () => {
    const stream = new RmssdStream({ window: { seconds: 30 }, guard: false });
    rest.forEach((rr, i) => {
      stream.push(rr);
      // Independently: the longest run of intervals ending at i whose sum stays within 30 000 ms.
      let start = i + 1;
      let sum = 0;
      while (start > 0 && sum + (rest[start - 1] as number) <= 30_000) sum += rest[--start] as number;
      const window = rest.slice(start, i + 1);
      expect(stream.intervals()).toEqual(window);
      if (window.length >= 3) expect(stream.rmssdMs).toBeCloseTo(hrvTimeDomain(window).rmssdMs, 9);
    });
  });

  it('keeps its running sums exact over a long stream of fractional intervals', () => {
    const stream = new RmssdStream({ window: { beats: 100 }, guard: false });
    const rr = Array.from({ length: 50_000 }, (_, i) => 800 + 40 * Math.sin(i / 3) + 1 / 3);
    for (const v of rr) stream.push(v);
    expect(stream.rmssdMs).toBeCloseTo(hrvTimeDomain(rr.slice(-100)).rmssdMs, 9);
  });
});

describe('RmssdStream guard', () => {
  const steady = [800, 810, 790, 805, 795, 800, 812];

  it('rejects a missed beat and does not bridge the gap it leaves', () => {
    const stream = new RmssdStream({ window: { beats: 50 } });
    for (const rr of steady) expect(stream.push(rr)).toBe('accepted');
    expect(stream.push(1600)).toBe('implausible-change');
    const after = [805, 798, 790, 802];
    for (const rr of after) expect(stream.push(rr)).toBe('accepted');
    // Two chains, 6 + 3 differences; pooled mean square from the batch RMSSD of each chain.
    const a = hrvTimeDomain(steady).rmssdMs;
    const b = hrvTimeDomain(after).rmssdMs;
    expect(stream.differenceCount).toBe(9);
    expect(stream.rmssdMs).toBeCloseTo(Math.sqrt((a * a * 6 + b * b * 3) / 9), 9);
  });

  it('rejects values out of range and never lets NaN in', () => {
    const stream = new RmssdStream({ window: { beats: 10 } });
    expect(stream.rmssdMs).toBeNull();
    expect(stream.push(Number.NaN)).toBe('out-of-range');
    expect(stream.push(-800)).toBe('out-of-range');
    expect(stream.push(2500)).toBe('out-of-range');
    expect(stream.push(200)).toBe('out-of-range');
    expect(stream.intervalCount).toBe(0);
    expect(stream.rmssdMs).toBeNull();
  });

  it('follows a real change of pace after a few beats', () => {
    const stream = new RmssdStream({ window: { beats: 50 } });
    for (const rr of steady) stream.push(rr);
    const faster = [560, 555, 565, 558, 562, 557];
    const verdicts = faster.map((rr) => stream.push(rr));
    expect(verdicts.slice(0, 3)).toEqual(['implausible-change', 'implausible-change', 'implausible-change']);
    expect(verdicts.slice(3)).toEqual(['accepted', 'accepted', 'accepted']);
  });
});

describe('RmssdStream.pushSample', () => {
  it('ignores duplicate and late samples and breaks the chain after a gap', () => {
    const stream = new RmssdStream({ window: { beats: 20 }, guard: false, maxGapMs: 3000 });
    expect(stream.pushSample({ t: 1000, bpm: 75, rr: [800, 810] })).toEqual({ stale: false, accepted: 2, rejected: 0 });
    expect(stream.pushSample({ t: 1000, bpm: 75, rr: [800, 810] })).toEqual({ stale: true, accepted: 0, rejected: 0 });
    expect(stream.pushSample({ t: 900, bpm: 75, rr: [790] })).toEqual({ stale: true, accepted: 0, rejected: 0 });
    stream.pushSample({ t: 2000, bpm: 75, rr: [790] });
    expect(stream.differenceCount).toBe(2);
    stream.pushSample({ t: 9000, bpm: 75, rr: [850, 860] }); // 7 s of lost notifications
    expect(stream.intervals()).toEqual([800, 810, 790, 850, 860]);
    expect(stream.differenceCount).toBe(3); // 790 → 850 is not a difference
    expect(stream.rmssdMs).toBeCloseTo(Math.sqrt((100 + 400 + 100) / 3), 12);
  });

  it('rejects impossible windows', () => {
    expect(() => new RmssdStream({ window: { beats: 1 } })).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
    expect(() => new RmssdStream({ window: { seconds: 0 } })).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
  });
});
