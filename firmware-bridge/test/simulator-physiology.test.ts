import { beforeAll, describe, expect, it } from 'vitest';
import { HR_CEILING_FRACTION, createHeart, rmssdAt, stepHeart, type HeartProfile } from '../src/simulator/physiology.ts';
import { createRandom } from '../src/simulator/random.ts';
import { DEFAULT_SESSION_SCRIPT, scriptDurationS } from '../src/simulator/session-script.ts';
import { createSquadModel } from '../src/simulator/squad-model.ts';
import { T0, runTicks } from './simulator-run.ts';

const ATHLETES = 6;

function rmssd(rr: readonly number[]): number {
  let sum = 0;
  for (let i = 1; i < rr.length; i++) sum += (rr[i]! - rr[i - 1]!) ** 2;
  return Math.sqrt(sum / (rr.length - 1));
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

interface HrMessage {
  t: number;
  bpm: number;
  rr: number[];
  phase: string;
  phaseElapsedS: number;
  phaseIndex: number;
}

describe('heart-rate kinetics', () => {
  const profile: HeartProfile = { hrRest: 50, hrMax: 190, rmssdRest: 60, effortFactor: 1 };
  const ceiling = HR_CEILING_FRACTION * 190;

  it('closes 1 − 1/e ≈ 63.2 % of the gap in 30 s when effort rises and in 60 s when it falls', () => {
    const heart = createHeart(profile, T0, createRandom(1, 'kinetics'));
    heart.hr = 50;
    const rng = createRandom(1, 'beats');
    const target = 50 + 0.8 * (ceiling - 50);
    for (let i = 1; i <= 300; i++) stepHeart(heart, profile, 0.8, 0.1, T0 + i * 100, rng);
    // First-order response: gap left after one time constant is e⁻¹ of the step.
    expect(heart.hr).toBeCloseTo(target - (target - 50) * Math.exp(-1), 6);
    const from = heart.hr;
    for (let i = 301; i <= 900; i++) stepHeart(heart, profile, 0, 0.1, T0 + i * 100, rng);
    expect(heart.hr).toBeCloseTo(50 + (from - 50) * Math.exp(-1), 6);
  });

  it('draws beats whose RMSSD matches the target for the effort', () => {
    for (const drive of [0.1, 0.5, 0.9]) {
      const heart = createHeart(profile, T0, createRandom(2, 'steady'));
      heart.hr = 50 + drive * (ceiling - 50);
      const rng = createRandom(2, `steady-beats-${drive}`);
      const rr: number[] = [];
      for (let i = 1; i <= 20 * 60 * 10; i++) rr.push(...stepHeart(heart, profile, drive, 0.1, T0 + i * 100, rng));
      // The first interval was drawn before heart.hr was set to this effort.
      rr.shift();
      const reserve = (60000 / mean(rr) - 50) / 140;
      // Integer-ms rounding adds 1/12 ms² of variance per interval to the squared differences.
      const expected = Math.sqrt(rmssdAt(reserve, 60) ** 2 + 2 / 12);
      expect(rmssd(rr)).toBeGreaterThan(expected * 0.9);
      expect(rmssd(rr)).toBeLessThan(expected * 1.1);
    }
  });
});

describe('squad physiology over a whole session', () => {
  const durationS = scriptDurationS(DEFAULT_SESSION_SCRIPT);
  let truthOutOfRange = 0;
  const phaseHr = new Map<number, { start: number[]; end: number[] }>();
  const messages = new Map<string, HrMessage[]>();
  const playerLoadBySpeed = { fast: [] as number[], still: [] as number[] };
  let reportedPlayerLoad = 0;
  let truePlayerLoad = 0;
  let model: ReturnType<typeof createSquadModel>;

  beforeAll(() => {
    model = createSquadModel({ startTime: T0, athletes: ATHLETES, seed: 11, faults: { malformedRate: 0, dropoutRate: 0 } });
    let lastPhase = -1;
    let previousTruth = model.truth();
    runTicks(model, durationS, ({ phase, truth, messages: out }) => {
      for (const athlete of truth) if (athlete.hr < athlete.hrRest || athlete.hr > athlete.hrMax) truthOutOfRange++;
      const hrs = truth.map((a) => a.hr);
      if (phase.index !== lastPhase) {
        phaseHr.set(phase.index, { start: hrs, end: hrs });
        lastPhase = phase.index;
      }
      phaseHr.get(phase.index)!.end = hrs;
      for (const m of out) {
        const payload = JSON.parse(m.payload);
        if (m.stream === 'hr') {
          const list = messages.get(m.sensorId) ?? [];
          list.push({ t: m.t, bpm: payload.bpm, rr: payload.rr ?? [], phase: phase.phase.kind, phaseElapsedS: phase.elapsedS, phaseIndex: phase.index });
          messages.set(m.sensorId, list);
        }
        if (m.stream === 'imu' && m.sensorId === 'sim-pod-01') {
          reportedPlayerLoad += payload.playerLoad;
          const speed = truth[0]!.speed;
          if (speed > 5) playerLoadBySpeed.fast.push(payload.playerLoad);
          if (speed < 0.3 && previousTruth[0]!.speed < 0.3) playerLoadBySpeed.still.push(payload.playerLoad);
        }
      }
      truePlayerLoad = truth[0]!.playerLoad;
      previousTruth = truth;
    });
  });

  it('keeps heart rate between resting and maximum', () => {
    expect(truthOutOfRange).toBe(0);
    model.squad.forEach((athlete) => {
      const bpms = messages.get(athlete.hrSensorId)!.map((m) => m.bpm);
      expect(Math.min(...bpms)).toBeGreaterThanOrEqual(athlete.hrRest);
      expect(Math.max(...bpms)).toBeLessThanOrEqual(athlete.hrMax);
      // Someone in a small-sided game gets close to the 95 % ceiling.
      expect(Math.max(...bpms)).toBeGreaterThan(0.85 * athlete.hrMax);
    });
  });

  it('raises heart rate through the sprint drill and lowers it in every rest after work', () => {
    DEFAULT_SESSION_SCRIPT.forEach((phase, index) => {
      const { start, end } = phaseHr.get(index)!;
      if (phase.kind === 'sprint-drill') {
        start.forEach((hr, i) => expect(end[i]! - hr).toBeGreaterThan(10));
      }
      if (phase.kind === 'rest' && index > 0) {
        start.forEach((hr, i) => expect(hr - end[i]!).toBeGreaterThan(15));
      }
    });
  });

  it('sends RR intervals that tile time and agree with the reported bpm', () => {
    for (const [sensorId, list] of messages) {
      const rr = list.flatMap((m) => m.rr);
      // No dropouts: consecutive beats cover the session, give or take a beat at either end (the
      // first interval began before the model's start, the last one ends after the last message).
      const covered = rr.reduce((a, b) => a + b, 0);
      expect(Math.abs(covered - durationS * 1000), sensorId).toBeLessThan(2500);
      expect(Math.max(...list.map((m) => m.rr.length))).toBeLessThanOrEqual(32);
      // Minute by minute, mean RR ≈ 60000 / mean bpm (heart rate varies little within a minute).
      for (let from = 0; from + 60 <= list.length; from += 60) {
        const minute = list.slice(from, from + 60);
        const meanRr = mean(minute.flatMap((m) => m.rr));
        const meanBpm = mean(minute.map((m) => m.bpm));
        expect(Math.abs(meanRr - 60000 / meanBpm) / meanRr, `${sensorId} minute ${from / 60}`).toBeLessThan(0.03);
      }
    }
  });

  it('has lower RMSSD at high effort than at rest', () => {
    const ssgIndex = DEFAULT_SESSION_SCRIPT.findIndex((p) => p.kind === 'small-sided-game');
    const ssgEnd = DEFAULT_SESSION_SCRIPT[ssgIndex]!.durationS;
    for (const athlete of model.squad) {
      const list = messages.get(athlete.hrSensorId)!;
      const resting = list.filter((m) => m.phaseIndex === 0).flatMap((m) => m.rr);
      const hard = list.filter((m) => m.phaseIndex === ssgIndex && m.phaseElapsedS > ssgEnd - 120).flatMap((m) => m.rr);
      expect(resting.length).toBeGreaterThan(40);
      expect(hard.length).toBeGreaterThan(250);
      expect(rmssd(hard)).toBeLessThan(rmssd(resting) / 2);
      expect(rmssd(hard)).toBeGreaterThan(1);
    }
  });

  it('reports PlayerLoad increments that grow with movement and add up to the true load', () => {
    expect(playerLoadBySpeed.fast.length).toBeGreaterThan(50);
    expect(playerLoadBySpeed.still.length).toBeGreaterThan(50);
    expect(mean(playerLoadBySpeed.fast)).toBeGreaterThan(5 * mean(playerLoadBySpeed.still));
    expect(reportedPlayerLoad).toBeGreaterThan(0);
    expect(Math.abs(reportedPlayerLoad - truePlayerLoad) / truePlayerLoad).toBeLessThan(0.001);
  });
});
