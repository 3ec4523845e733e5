import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Encoder, type Encodable, type FileIdMesg, type HrvMesg, type RecordMesg } from '@garmin/fitsdk';
import { describe, expect, it } from 'vitest';
import { importWorkout, summarizeWorkout, type WorkoutSummaryOptions } from '../src/import/index.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'workouts', name));
const bytes = (text: string) => new TextEncoder().encode(text);
const athlete: WorkoutSummaryOptions = { hrMax: 190, hrRest: 60, sex: 'male' };

/** Banister TRIMP (men: 0.64·e^(1.92x)) of 10-s holds at the given rates, HRmax 190, HRrest 60. */
function banister10s(rates: number[]): number {
  return rates.reduce((sum, hr) => {
    const x = (hr - 60) / 130;
    return sum + (10 / 60) * x * 0.64 * Math.exp(1.92 * x);
  }, 0);
}

describe('summarizeWorkout on hand-written files', () => {
  it('GPX run: duration, GNSS distance, HR, TRIMP, HR zones and speed zones', () => {
    const summary = summarizeWorkout(importWorkout(fixture('hand-run.gpx')), athlete);
    expect(summary.start).toBe('2024-05-01T10:00:00.000Z');
    expect(summary.durationS).toBe(40);
    // Four steps of 0.0005° due north: R·Δφ = 6,371,008.8 m × 0.002° × π/180 = 222.3902 m (IUGG mean radius).
    expect(summary.distanceSource).toBe('gnss');
    expect(summary.distanceM).toBeCloseTo(222.3902, 3);
    // Each rate holds for 10 s until the next point: (120 + 130 + 140 + 150) / 4; the last point adds no time.
    expect(summary.avgHr).toBe(135);
    expect(summary.maxHr).toBe(160);
    // 0.7738750 by the same sum in python3 (math.exp).
    expect(summary.trimp).toBeCloseTo(banister10s([120, 130, 140, 150]), 9);
    expect(summary.trimp).toBeCloseTo(0.773875, 6);
    // Edwards zones at 50/60/70/80/90 % of 190: 95, 114, 133, 152, 171 bpm. 120 and 130 are zone 2, 140 and 150 zone 3.
    expect(summary.hrZones!.map((z) => z.seconds)).toEqual([0, 0, 20, 20, 0, 0]);
    expect(summary.hrZones![2]).toMatchObject({ zone: 2, fromBpm: 114, toBpm: 133 });
    // 55.6 m per 10 s = 5.56 m/s: all of it in the 5.5–7 m/s high-speed running band.
    const hsr = summary.speedZones!.find((z) => z.name === 'high-speed running')!;
    expect(hsr.distanceM).toBeCloseTo(222.3902, 3);
    expect(hsr.durationS).toBe(40);
    expect(summary.assumed).toEqual(['ageYears', 'massKg']);
    expect(summary.hrMaxSource).toBe('given');
    expect(summary.hrv).toBeNull();
  });

  it('TCX ride: the device distance, laps and TRIMP', () => {
    const summary = summarizeWorkout(importWorkout(fixture('hand-ride.tcx')), athlete);
    expect(summary).toMatchObject({ sport: 'cycling', durationS: 40, distanceM: 300, distanceSource: 'device', laps: 2, sessions: 1, maxHr: 140 });
    expect(summary.avgHr).toBe(115);
    expect(summary.trimp).toBeCloseTo(0.426033, 6); // python3: same sum over 100, 110, 120, 130 bpm
  });

  it('sums the positive steps of a device distance that restarts', () => {
    const summary = summarizeWorkout(importWorkout(bytes('time,distance\n0,0\n1,100\n2,200\n3,0\n4,50\n')));
    expect(summary.distanceM).toBe(250);
    expect(summary.start).toBeNull();
    expect(summary.avgHr).toBeNull();
    expect(summary.trimp).toBeNull();
    expect(summary.hrZones).toBeNull();
    expect(summary.speedZones).toBeNull();
  });

  it('keeps a fast cyclist but filters the same track as a position spike for a runner', () => {
    // 0.0015° of latitude per 10 s = 166.8 m, 16.7 m/s: a fast descent on a bike, impossible on foot.
    const track = (type: string) =>
      `<gpx version="1.1"><trk><type>${type}</type><trkseg>${[0, 1, 2]
        .map((i) => `<trkpt lat="${(45 + i * 0.0015).toFixed(4)}" lon="7"><time>2024-05-01T10:00:${i}0Z</time></trkpt>`)
        .join('')}</trkseg></trk></gpx>`;
    const bike = summarizeWorkout(importWorkout(bytes(track('cycling'))));
    expect(bike.distanceM).toBeCloseTo((6371008.8 * 0.003 * Math.PI) / 180, 3); // 333.58 m
    expect(bike.conventions.gnss!.maxSpeed).toBe(35);
    const run = summarizeWorkout(importWorkout(bytes(track('running'))));
    expect(run.distanceM).toBe(0);
    expect(run.conventions.gnss!.maxSpeed).toBe(12.5);
  });
});

describe('summarizeWorkout profile defaults', () => {
  it('assumes every value not given and predicts HRmax from age (Tanaka: 208 − 0.7 × 30 = 187)', () => {
    const summary = summarizeWorkout(importWorkout(fixture('hand-run.gpx')));
    expect(summary.assumed).toEqual(['hrRest', 'sex', 'ageYears', 'massKg', 'hrMax']);
    expect(summary.profile).toEqual({ hrMax: 187, hrRest: 60, sex: 'male', ageYears: 30, massKg: 75 });
    expect(summary.hrMaxSource).toBe('age-predicted');
  });

  it('raises a predicted HRmax to a higher recorded rate', () => {
    const summary = summarizeWorkout(importWorkout(bytes('time,hr\n0,150\n1,200\n2,180\n')), { ageYears: 40 });
    // Tanaka at 40 is 180 bpm; the file reaches 200.
    expect(summary.profile.hrMax).toBe(200);
    expect(summary.hrMaxSource).toBe('observed');
    expect(summary.assumed).toEqual(['hrRest', 'sex', 'massKg', 'hrMax']);
  });
});

describe('summarizeWorkout on FIT files', () => {
  it('garmin-edge-500-activity.fit: records, max HR, distance and duration (datasets README, CSV first/last lines)', () => {
    const summary = summarizeWorkout(importWorkout(fixture('garmin-edge-500-activity.fit')), athlete);
    expect(summary).toMatchObject({ records: 10686, maxHr: 189, distanceM: 92622.34, distanceSource: 'device', sport: 'cycling' });
    // 06:00:22 to 09:31:53 PDT: 3 h 31 min 31 s.
    expect(summary.durationS).toBe(3 * 3600 + 31 * 60 + 31);
    expect(summary.start).toBe('2011-09-25T13:00:22.000Z');
  });

  it('compressed-speed-distance.fit: a device without a clock has no start time', () => {
    const summary = summarizeWorkout(importWorkout(fixture('compressed-speed-distance.fit')), athlete);
    expect(summary).toMatchObject({ start: null, timeBase: 'elapsed', distanceM: 10248.6875, records: 754, laps: 11 });
    // Last minus first Timestamp of compressed-speed-distance-records.csv: 17221744 − 17217869 s.
    expect(summary.durationS).toBe(17221744 - 17217869);
  });

  it('garmin-fenix-5-run.fit: HRV of the 113 beat-to-beat intervals', () => {
    const summary = summarizeWorkout(importWorkout(fixture('garmin-fenix-5-run.fit')), { ...athlete, hrv: { correction: false } });
    expect(summary.rrCount).toBe(113);
    // numpy on the intervals from an independent Python walk of the hrv messages:
    // mean 663.7611, SDNN (ddof 1) 205.9357, RMSSD 205.0010, NN50 34, pNN50 30.3571 % of 112 differences.
    const td = summary.hrv!.timeDomain;
    expect(td.n).toBe(113);
    expect(td.meanRrMs).toBeCloseTo(663.7611, 4);
    expect(td.sdnnMs).toBeCloseTo(205.9357, 4);
    expect(td.rmssdMs).toBeCloseTo(205.001, 3);
    expect(td.nn50).toBe(34);
    expect(td.pnn50Pct).toBeCloseTo(30.3571, 4);
    // 73.9 s of beats is too short for a spectrum; that is said, not hidden.
    expect(summary.hrv!.frequencyDomain).toBeNull();
    expect(summary.hrv!.frequencyDomainSkipped).toMatch(/120 s/);
  });

  it('corrects artifacts by default and reports how many', () => {
    const summary = summarizeWorkout(importWorkout(fixture('garmin-fenix-5-run.fit')), athlete);
    expect(summary.hrv!.artifactsCorrected).toBeGreaterThan(0);
    expect(summary.conventions.hrv!.correction).toBe(true);
  });

  it('drops implausible intervals (9 s is no beat) and says when too few remain', () => {
    const encode = (rrSeconds: number[]) => {
      const encoder = new Encoder();
      const fileId: Encodable<FileIdMesg> = { mesgNum: 0, type: 'activity', manufacturer: 'development', product: 0, timeCreated: new Date(0) };
      const record: Encodable<RecordMesg> = { mesgNum: 20, timestamp: new Date(Date.UTC(2024, 0, 1)), heartRate: 70 };
      const hrv: Encodable<HrvMesg> = { mesgNum: 78, time: rrSeconds };
      return encoder.writeMesg(fileId).writeMesg(record).writeMesg(hrv).close();
    };
    const some = summarizeWorkout(importWorkout(encode([9, 0.8, 0.81, 0.82, 0.8])), { hrv: { correction: false } });
    expect(some.rrCount).toBe(5);
    expect(some.hrv).toMatchObject({ rrCount: 4, droppedOutOfRange: 1 });
    // RMSSD of 800, 810, 820, 800: sqrt((100 + 100 + 400) / 3) = 14.1421 ms.
    expect(some.hrv!.timeDomain.rmssdMs).toBeCloseTo(Math.sqrt(200), 6);
    const few = summarizeWorkout(importWorkout(encode([0.8, 0.81])));
    expect(few.hrv).toBeNull();
    expect(few.hrvSkipped).toMatch(/at least 3/);
  });
});
