/**
 * Two real hubs forward to one real central (PostgreSQL) through a proxy that keeps breaking the
 * link: connections cut mid-batch, acknowledgements lost after central stored the batch, the
 * port refusing, central stopped mid-request and restarted on the same port and database, and its
 * database connections killed. Afterwards central must hold every reading exactly once: the set of
 * (hub, seq) is 1..N for each hub, and the readings' values are exactly the ones published.
 */
import pg from 'pg';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQUAD_MEMBER, startTestHub, until, type TestHub } from '../../hub/test/test-hub.ts';
import { FaultProxy } from './fault-proxy.ts';
import { clubWithHub, createTestDatabase, startTestCentral, type TestCentral } from './test-central.ts';

const WAVES = 3;
const PER_WAVE = 150;
const FIX_MESSAGES_PER_WAVE = 40;
const FIXES_PER_MESSAGE = 10;
const BATTERY_PER_WAVE = 5;

interface Expected {
  sensorId: string;
  kind: string;
  athlete: string | null;
  t: number;
  body: Record<string, unknown>;
}

/** Sorted keys, so two equal objects print the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('uplink from two hubs to central over a failing link', () => {
  let central: TestCentral;
  let databaseUrl: string;
  let proxy: FaultProxy;
  let db: pg.Client;
  const hubs: { t: TestHub; hubId: string; clubId: string; device: MqttClient; athletes: { a: string; b: string }; expected: Expected[] }[] = [];

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    central = await startTestCentral({ databaseUrl });
    proxy = new FaultProxy(central.port);
    const centralUrl = `http://127.0.0.1:${await proxy.listen()}`;
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();

    for (const club of ['North', 'South']) {
      const { hubId, clubId, code } = await clubWithHub(central, club);
      const t = await startTestHub({
        hub: { name: `${club} ground` },
        demo: { enabled: true },
        mqtt: { maxMessagesPerSecondPerClient: 100_000 },
        store: { blockSeconds: 1 },
        uplink: { enabled: true, centralUrl, enrolmentCode: code, batchRows: 300, intervalSeconds: 0.1, backoffBaseMs: 20, backoffCapMs: 400, requestTimeoutSeconds: 3 },
      });
      const a = (await t.api<{ id: string }>('POST', '/api/athletes', { ...SQUAD_MEMBER, name: `${club} A` })).body.id;
      const b = (await t.api<{ id: string }>('POST', '/api/athletes', { ...SQUAD_MEMBER, name: `${club} B`, number: 9 })).body.id;
      const prefix = club.toLowerCase();
      for (const [sensor, athlete] of [[`${prefix}-strap-a`, a], [`${prefix}-pod-a`, a], [`${prefix}-strap-b`, b], [`${prefix}-imu-b`, b]] as const) {
        expect((await t.api('PUT', `/api/sensors/${sensor}/pairing`, { athleteId: athlete })).status).toBe(200);
      }
      hubs.push({ t, hubId, clubId, device: await t.connectDevice({ clientId: `${prefix}-bridge` }), athletes: { a, b }, expected: [] });
    }
    // Both hubs enrol before the link starts failing.
    await until(() => hubs.every((h) => {
      const status = h.t.hub.uplink?.status();
      return status?.configured === true && status.hubId === h.hubId;
    }), 10_000, 'enrolment');
  });

  afterAll(async () => {
    for (const h of hubs) await h.t.stop();
    await proxy?.close();
    await db?.end();
    await central?.close();
  });

  /** Publishes one wave of readings from every sensor of a hub and records what central must get. */
  async function publishWave(h: (typeof hubs)[number], wave: number, base: number): Promise<void> {
    const prefix = h.t.hub.config.hub.name.split(' ')[0]!.toLowerCase();
    const messages: [string, unknown][] = [];
    const expect = (sensorId: string, kind: string, athlete: string | null, t: number, body: Record<string, unknown>) => h.expected.push({ sensorId, kind, athlete, t, body });
    for (let i = 0; i < PER_WAVE; i++) {
      const k = wave * PER_WAVE + i;
      const hrA = { bpm: 60 + (k % 120), rr: [400 + (k % 300), 410 + (k % 250)] };
      const hrB = { bpm: 70 + (k % 110), rr: [] };
      // Values at the store's resolution (1 bpm, 1e-4 AU), so they come back bit for bit.
      const imu = { playerLoad: (k % 500) / 1e4 };
      messages.push([`${prefix}-strap-a/hr`, { t: base + k * 200, ...hrA }], [`${prefix}-strap-b/hr`, { t: base + k * 200 + 50, ...hrB }], [`${prefix}-imu-b/imu`, { t: base + k * 200 + 70, ...imu }]);
      expect(`${prefix}-strap-a`, 'hr', h.athletes.a, base + k * 200, hrA);
      expect(`${prefix}-strap-b`, 'hr', h.athletes.b, base + k * 200 + 50, hrB);
      expect(`${prefix}-imu-b`, 'imu', h.athletes.b, base + k * 200 + 70, imu);
    }
    for (let m = 0; m < FIX_MESSAGES_PER_WAVE; m++) {
      const fixes = [];
      for (let f = 0; f < FIXES_PER_MESSAGE; f++) {
        const j = (wave * FIX_MESSAGES_PER_WAVE + m) * FIXES_PER_MESSAGE + f;
        // 1e-7 degree, 1 cm/s and 0.1 HDOP are the store's resolutions.
        const fix = { lat: (515_000_000 + j * 37) / 1e7, lon: (-1_200_000 + j * 11) / 1e7, speed: (j % 900) / 100, hdop: (5 + (j % 20)) / 10, sats: 8 + (j % 10) };
        fixes.push({ t: base + j * 100 + 30, ...fix });
        expect(`${prefix}-pod-a`, 'gnss', h.athletes.a, base + j * 100 + 30, fix);
      }
      messages.push([`${prefix}-pod-a/gnss`, { fixes }]);
    }
    for (let i = 0; i < BATTERY_PER_WAVE; i++) {
      const t = base + wave * 1000 + i;
      messages.push([`${prefix}-loose/battery`, { t, pct: 90 - wave * 5 - i }]);
      expect(`${prefix}-loose`, 'battery', null, t, { pct: 90 - wave * 5 - i });
    }
    await Promise.all(messages.map(([topic, payload]) => h.device.publishAsync(`touchline/v1/sensors/${topic}`, JSON.stringify(payload), { qos: 1 })));
  }

  async function restartCentral(): Promise<void> {
    // Abruptly: open requests lose their connection, whatever they were doing.
    central.central.app.server.closeAllConnections();
    await central.close();
    central = await startTestCentral({ databaseUrl, port: central.port });
  }

  async function killDatabaseConnections(): Promise<void> {
    await db.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
  }

  it('delivers every reading exactly once through cuts, lost acks and restarts', async () => {
    const base = Date.now() - 3600_000;
    // Faults after each wave; a stop "mid-request" comes first, while the wave's readings are still
    // on their way, so a batch is surely in flight when central goes down.
    const midRequestRestart = async () => {
      await proxy.nextRequest();
      await restartCentral();
    };
    const faults: (() => Promise<void> | void)[][] = [
      [midRequestRestart, () => proxy.cutAll(), () => proxy.dropNextAnswers(2)],
      [midRequestRestart, () => proxy.refuseFor(600), () => killDatabaseConnections()],
      [
        async () => {
          proxy.dropNextAnswers(1);
          await sleep(150);
          proxy.cutAll();
        },
        () => killDatabaseConnections(),
      ],
    ];
    for (let wave = 0; wave < WAVES; wave++) {
      await Promise.all(hubs.map((h) => publishWave(h, wave, base)));
      for (const fault of faults[wave]!) {
        await fault();
        await sleep(300);
      }
    }
    proxy.heal();

    for (const h of hubs) {
      // Every published reading was accepted and stored on the hub, so N is known beforehand.
      expect(h.t.hub.ingest.rejects.snapshot().total).toBe(0);
      await until(() => h.t.hub.samples.stats().lastSeq === h.expected.length, 10_000, 'hub store');
    }
    await until(
      () => hubs.every((h) => {
        const status = h.t.hub.uplink!.status();
        return status.configured && status.ackedSeq === h.expected.length && status.backlog.readings === 0;
      }),
      30_000,
      'central to acknowledge everything',
    );
    // Acknowledgements were lost after central stored their batches, so batches were delivered twice.
    expect(proxy.stats.answersDropped).toBeGreaterThanOrEqual(2);

    for (const h of hubs) {
      const rows = await db.query<{ stream: string; seq: string; t_ms: string; sensor_id: string; local_id: string | null; club_id: string | null; kind: string; body: Record<string, unknown> }>(
        `select s.stream, s.seq, (extract(epoch from s.t) * 1000)::bigint as t_ms, s.sensor_id, a.local_id, a.club_id, s.kind, s.body
         from raw_samples s left join athletes a on a.id = s.athlete_id
         where s.hub_id = $1 order by s.seq`,
        [h.hubId],
      );
      const status = h.t.hub.uplink!.status();
      expect(new Set(rows.rows.map((r) => r.stream))).toEqual(new Set([status.configured ? status.stream : '']));
      // Exactly once: sequence numbers 1..N, no gap, no repeat.
      expect(rows.rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: h.expected.length }, (_, i) => i + 1));
      // ...and exactly the readings published, with their values and athletes.
      const got = rows.rows.map((r) => canonical({ sensorId: r.sensor_id, kind: r.kind, athlete: r.local_id, t: Number(r.t_ms), body: r.body })).sort();
      const want = h.expected.map((e) => canonical(e)).sort();
      expect(got).toEqual(want);
      expect(new Set(rows.rows.filter((r) => r.club_id !== null).map((r) => r.club_id))).toEqual(new Set([h.clubId]));

      const hubView = await central.api<{ streams: { ackedSeq: number; readings: number }[] }>('GET', `/api/hubs/${h.hubId}`);
      expect(hubView.body.streams).toEqual([expect.objectContaining({ ackedSeq: h.expected.length, readings: h.expected.length })]);
      expect(h.t.hub.health.snapshot().uplink).toMatchObject({ configured: true, hubId: h.hubId, lastError: null, backlog: { readings: 0 } });
    }
    // About 10 s alone; the ceiling leaves room for a machine busy with other test files.
  }, 90_000);
});
