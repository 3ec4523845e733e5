import { beforeAll, describe, expect, it } from 'vitest';
import { MALFORMED_KINDS } from '../src/simulator/faults.ts';
import { DEFAULT_ORIGIN } from '../src/simulator/pitch.ts';
import { createSquadModel, type SimMessage } from '../src/simulator/squad-model.ts';
import { contractViolations } from './ingest-contract-check.ts';
import { T0 } from './simulator-run.ts';

function byKey(messages: readonly SimMessage[]): Map<string, SimMessage[]> {
  const groups = new Map<string, SimMessage[]>();
  for (const m of messages) {
    const key = `${m.sensorId}/${m.stream}`;
    const group = groups.get(key);
    if (group) group.push(m);
    else groups.set(key, [m]);
  }
  return groups;
}

describe('messages against the ingest contract, with faults', () => {
  const model = createSquadModel({ startTime: T0, athletes: 4, seed: 5, faults: { malformedRate: 0.01, dropoutRate: 0.002 } });
  let messages: SimMessage[] = [];
  beforeAll(() => {
    messages = model.advanceTo(T0 + 1800_000);
  });

  it('publishes only each device’s own streams, on contract topics', () => {
    const streams = new Map(model.devices.map((d) => [d.sensorId, d.streams]));
    expect([...streams.keys()]).toEqual(['sim-hr-01', 'sim-pod-01', 'sim-hr-02', 'sim-pod-02', 'sim-hr-03', 'sim-pod-03', 'sim-hr-04', 'sim-pod-04', 'sim-hr-spare']);
    const strays = messages.filter((m) => m.topic !== `touchline/v1/sensors/${m.sensorId}/${m.stream}` || !streams.get(m.sensorId)?.includes(m.stream));
    expect(strays).toEqual([]);
    const seen = new Set(messages.map((m) => `${m.sensorId}/${m.stream}`));
    for (const [sensorId, deviceStreams] of streams) for (const stream of deviceStreams) expect(seen).toContain(`${sensorId}/${stream}`);
  });

  it('sends well-formed payloads that pass every range of the contract', () => {
    const good = messages.filter((m) => !m.malformed);
    expect(good.length).toBeGreaterThan(100_000);
    const failures = good.filter((m) => contractViolations(m.topic, m.payload).length > 0);
    expect(failures.slice(0, 3)).toEqual([]);
  });

  it('sends malformed payloads of every kind that the contract rejects', () => {
    const bad = messages.filter((m) => m.malformed);
    // 1 % of ~150 000 messages.
    expect(bad.length).toBeGreaterThan(1000);
    expect(bad.length).toBeLessThan(2000);
    expect(new Set(bad.map((m) => m.malformed))).toEqual(new Set(MALFORMED_KINDS));
    expect(new Set(bad.map((m) => m.stream))).toEqual(new Set(['hr', 'gnss', 'imu', 'battery']));
    const accepted = bad.filter((m) => contractViolations(m.topic, m.payload).length === 0);
    expect(accepted.map((m) => m.payload)).toEqual([]);
    expect(model.counters().malformed).toBe(bad.length);
  });

  it('gives healthy fixes the hub keeps (hdop 0.6–1.2, 10–18 satellites), one per message, near the origin', () => {
    const fixes = messages.filter((m) => m.stream === 'gnss' && !m.malformed).map((m) => JSON.parse(m.payload));
    expect(fixes.length).toBeGreaterThan(50_000);
    // 0.001° of latitude is 111 m; the pitch is ±34 m north–south and ±52.5 m east–west (0.00076° at 51.6° N).
    const unhealthy = fixes.filter(
      (fix) =>
        fix.fixes !== undefined ||
        !(fix.hdop >= 0.6 && fix.hdop <= 1.2) ||
        !(Number.isInteger(fix.sats) && fix.sats >= 10 && fix.sats <= 18) ||
        Math.abs(fix.lat - DEFAULT_ORIGIN.lat) > 0.0004 ||
        Math.abs(fix.lon - DEFAULT_ORIGIN.lon) > 0.0009,
    );
    expect(unhealthy).toEqual([]);
  });

  it('stamps integer, strictly increasing measurement times per sensor and stream', () => {
    for (const [key, list] of byKey(messages)) {
      const disordered = list.filter((m, i) => !Number.isInteger(m.t) || (i > 0 && m.t <= list[i - 1]!.t));
      expect(disordered, key).toEqual([]);
    }
  });

  it('drops devices out for 5–40 s at a time', () => {
    const dropouts = model.counters().dropouts;
    // 0.002 per device-second × 9 devices × 1800 s ≈ 32.
    expect(dropouts).toBeGreaterThan(15);
    expect(dropouts).toBeLessThan(55);
    const gaps: number[] = [];
    for (const [key, list] of byKey(messages)) {
      if (!key.endsWith('/gnss')) continue;
      for (let i = 1; i < list.length; i++) {
        const gap = list[i]!.t - list[i - 1]!.t;
        if (gap > 100) gaps.push(gap);
      }
    }
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.filter((gap) => gap < 5000 || gap > 40_100)).toEqual([]);
  });
});

describe('message rates', () => {
  const model = createSquadModel({ startTime: T0, athletes: 2, seed: 2, faults: { malformedRate: 0, dropoutRate: 0 }, batteryDrainPctPerMinute: 1 });
  const groups = byKey(model.advanceTo(T0 + 120_000));

  it('sends GNSS and IMU at 10 Hz, heart rate at 1 Hz and battery every 30 s', () => {
    for (const pod of ['sim-pod-01', 'sim-pod-02']) {
      expect(groups.get(`${pod}/gnss`)).toHaveLength(1200);
      expect(groups.get(`${pod}/imu`)).toHaveLength(1200);
    }
    for (const strap of ['sim-hr-01', 'sim-hr-02', 'sim-hr-spare']) expect(groups.get(`${strap}/hr`)).toHaveLength(120);
    for (const device of model.devices) {
      const battery = groups.get(`${device.sensorId}/battery`)!;
      // One at switch-on, then one every 30 s.
      expect(battery.length).toBeGreaterThanOrEqual(4);
      expect(battery.length).toBeLessThanOrEqual(5);
      for (let i = 2; i < battery.length; i++) expect(battery[i]!.t - battery[i - 1]!.t).toBe(30_000);
    }
  });

  it('drains batteries at the configured rate', () => {
    for (const device of model.devices) {
      const pcts = groups.get(`${device.sensorId}/battery`)!.map((m) => JSON.parse(m.payload).pct as number);
      for (let i = 1; i < pcts.length; i++) expect(pcts[i]).toBeLessThanOrEqual(pcts[i - 1]!);
      // 1 %/min over the ≤ 2 min between first and last report, give or take rounding.
      expect(pcts[0]! - pcts.at(-1)!).toBeGreaterThanOrEqual(0);
      expect(pcts[0]! - pcts.at(-1)!).toBeLessThanOrEqual(3);
    }
  });
});

describe('determinism', () => {
  const run = (seed: number, faults?: { malformedRate: number; dropoutRate: number }) => {
    const model = createSquadModel({ startTime: T0, athletes: 3, seed, faults });
    return { messages: model.advanceTo(T0 + 60_000), model };
  };

  it('gives the same messages for the same seed and different ones for another', () => {
    const a = run(9).messages;
    expect(run(9).messages).toEqual(a);
    const other = run(10).messages;
    expect(other.map((m) => m.payload)).not.toEqual(a.map((m) => m.payload));
  });

  it('moves athletes the same way whatever the fault rates', () => {
    const quiet = run(9, { malformedRate: 0, dropoutRate: 0 });
    const noisy = run(9, { malformedRate: 0.05, dropoutRate: 0.05 });
    expect(noisy.model.counters().dropouts).toBeGreaterThan(0);
    quiet.model.advanceTo(T0 + 300_000);
    noisy.model.advanceTo(T0 + 300_000);
    expect(noisy.model.truth()).toEqual(quiet.model.truth());
  });
});

describe('bad options', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['no start time', {}],
    ['a fractional start time', { startTime: 1.5 }],
    ['no athletes', { startTime: T0, athletes: 0 }],
    ['more athletes than two digits number', { startTime: T0, athletes: 100 }],
    ['a fractional seed', { startTime: T0, seed: 1.5 }],
    ['an origin off the globe', { startTime: T0, origin: { lat: 91, lon: 0 } }],
    ['an empty script', { startTime: T0, script: [] }],
    ['an unknown drill', { startTime: T0, script: [{ kind: 'yoga', durationS: 60 }] }],
    ['a zero-length drill', { startTime: T0, script: [{ kind: 'rest', durationS: 0 }] }],
    ['a negative fault rate', { startTime: T0, faults: { malformedRate: -0.1 } }],
    ['a fault rate above 1', { startTime: T0, faults: { dropoutRate: 2 } }],
    ['a negative battery drain', { startTime: T0, batteryDrainPctPerMinute: -1 }],
  ];
  it.each(cases)('rejects %s with TL_ERR_INVALID_ARGUMENT', (_, options) => {
    expect(() => createSquadModel(options as never)).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
  });

  it('rejects a time that is not a number and ignores a time in the past', () => {
    const model = createSquadModel({ startTime: T0, athletes: 1 });
    expect(() => model.advanceTo(Number.NaN)).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
    expect(model.advanceTo(T0 + 1000).length).toBeGreaterThan(0);
    expect(model.advanceTo(T0)).toEqual([]);
    expect(model.now).toBe(T0 + 1000);
  });
});
