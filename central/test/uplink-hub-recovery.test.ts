/**
 * The hub side of store-and-forward against a real central: a batch central finds too large is
 * halved until it fits; a revoked or unenrolled hub keeps every reading and says why in its
 * health report; a hub restarted while central is away resumes from its persisted cursor.
 */
import type { MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQUAD_MEMBER, startTestHub, until, type TestHub } from '../../hub/test/test-hub.ts';
import type { UplinkStatus } from '../../hub/src/uplink/uplink-status.schema.ts';
import { FaultProxy } from './fault-proxy.ts';
import { clubWithHub, startTestCentral, type TestCentral } from './test-central.ts';

type Active = Extract<UplinkStatus, { configured: true }>;

const FAST = { intervalSeconds: 0.1, backoffBaseMs: 20, backoffCapMs: 200, requestTimeoutSeconds: 3 };

function statusOf(t: TestHub): Active {
  const status = t.hub.uplink!.status();
  if (!status.configured) throw new Error('uplink not configured');
  return status;
}

/** Publishes `n` heart-rate readings from each sensor, all at once; returns how many. */
async function publish(device: MqttClient, sensors: string[], n: number, t0: number): Promise<number> {
  const sends = [];
  for (const sensor of sensors) {
    for (let i = 0; i < n; i++) sends.push(device.publishAsync(`touchline/v1/sensors/${sensor}/hr`, JSON.stringify({ t: t0 + i * 1000, bpm: 90 + (i % 60), rr: [] }), { qos: 1 }));
  }
  await Promise.all(sends);
  return sensors.length * n;
}

describe('uplink recovery on the hub', () => {
  let central: TestCentral;
  let db: pg.Client;
  const started: TestHub[] = [];

  const hubWith = async (uplink: Record<string, unknown>, dataDir?: string) => {
    const t = await startTestHub({ demo: { enabled: true }, mqtt: { maxMessagesPerSecondPerClient: 100_000 }, store: { blockSeconds: 1 }, uplink: { enabled: true, ...FAST, ...uplink } }, dataDir);
    started.push(t);
    return t;
  };
  const storedAt = async (hubId: string) => Number((await db.query('select count(*) as n from raw_samples where hub_id = $1', [hubId])).rows[0].n);

  beforeAll(async () => {
    central = await startTestCentral({ config: { maxBatchRows: 200 } });
    db = new pg.Client({ connectionString: central.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    for (const t of started) await t.stop();
    await db.end();
    await central.close();
  });

  it('halves a batch central refuses as too large until it fits, and loses nothing', async () => {
    const { hubId, code } = await clubWithHub(central, 'Halvers');
    const proxy = new FaultProxy(central.port);
    try {
      const t = await hubWith({ centralUrl: `http://127.0.0.1:${await proxy.listen()}`, enrolmentCode: code, batchRows: 1000 });
      await until(() => statusOf(t).hubId === hubId, 5000, 'enrolment');
      // Offline while three sensors record 100 readings each: 300 wait, central takes 200 at most.
      proxy.refuseFor(60_000);
      const device = await t.connectDevice({ clientId: 'halvers' });
      const sent = await publish(device, ['s1', 's2', 's3'], 100, Date.now() - 600_000);
      await until(() => t.hub.samples.stats().inboxRows === 0, 5000, 'readings packed into blocks');
      proxy.heal();
      await until(() => statusOf(t).ackedSeq === sent, 15_000, 'everything acknowledged');
      expect(statusOf(t).batchRows).toBeLessThanOrEqual(250);
      expect(await storedAt(hubId)).toBe(sent);
    } finally {
      await proxy.close();
    }
  });

  it('keeps every reading, and says why, while central refuses a revoked hub', async () => {
    const { hubId, code } = await clubWithHub(central, 'Revoked');
    const t = await hubWith({ centralUrl: central.url, enrolmentCode: code });
    const athlete = (await t.api<{ id: string }>('POST', '/api/athletes', SQUAD_MEMBER)).body.id;
    await t.api('PUT', '/api/sensors/strap/pairing', { athleteId: athlete });
    const device = await t.connectDevice({ clientId: 'revoked' });
    const first = await publish(device, ['strap'], 50, Date.now() - 600_000);
    await until(() => statusOf(t).ackedSeq === first, 10_000, 'first readings acknowledged');

    await central.api('POST', `/api/hubs/${hubId}/revoke`);
    const more = await publish(device, ['strap'], 70, Date.now() - 300_000);
    await until(() => statusOf(t).lastError?.code === 'TL_ERR_HUB_REVOKED' && statusOf(t).backlog.readings === more, 10_000, 'refusal noticed');
    await until(() => statusOf(t).consecutiveFailures >= 3, 10_000, 'retries');
    const status = statusOf(t);
    expect(status.ackedSeq).toBe(first);
    expect(await storedAt(hubId)).toBe(first);
    // The readings are still on the hub, and the health report tells club IT what happened.
    expect(t.hub.samples.readAthlete(athlete, 'hr', 0, Date.now())).toHaveLength(first + more);
    expect(t.hub.health.snapshot().warnings.join(' ')).toContain('TL_ERR_HUB_REVOKED');
  });

  it('reports a hub with neither credential nor enrolment code instead of guessing', async () => {
    const t = await hubWith({ centralUrl: central.url });
    await until(() => statusOf(t).lastError?.code === 'TL_ERR_UPLINK_NOT_ENROLLED', 5000, 'not-enrolled status');
    expect(t.hub.health.snapshot().warnings.join(' ')).toContain('uplink.enrolmentCode');
  });

  it('resumes from its persisted cursor after a restart while central was away', async () => {
    const { hubId, code } = await clubWithHub(central, 'Restarters');
    const t = await hubWith({ centralUrl: central.url, enrolmentCode: code });
    const device = await t.connectDevice({ clientId: 'restarters' });
    const before = await publish(device, ['a', 'b'], 40, Date.now() - 900_000);
    await until(() => statusOf(t).ackedSeq === before, 10_000, 'first readings acknowledged');
    const stream = statusOf(t).stream;

    // Central goes away; the hub records on, then is itself restarted.
    const port = central.port;
    await central.close();
    const during = await publish(device, ['a', 'b'], 60, Date.now() - 600_000);
    await until(() => statusOf(t).consecutiveFailures >= 2, 10_000, 'failures while central is away');
    await t.stop({ keepData: true });
    started.splice(started.indexOf(t), 1);

    central = await startTestCentral({ databaseUrl: central.databaseUrl, port, config: { maxBatchRows: 200 } });
    const again = await hubWith({ centralUrl: central.url, enrolmentCode: code }, t.dataDir);
    await until(() => statusOf(again).ackedSeq === before + during, 15_000, 'backlog delivered after the restart');
    expect(statusOf(again).stream).toBe(stream);
    const seqs = await db.query('select seq from raw_samples where hub_id = $1 order by seq', [hubId]);
    expect(seqs.rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: before + during }, (_, i) => i + 1));
  });
});
