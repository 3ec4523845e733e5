/**
 * An athlete head office erased at central, seen from the real hub that still holds them: the hub
 * goes on forwarding the rest of the squad, central keeps nothing new of the athlete, and the
 * hub's health tells club staff what happened and what they may do about it.
 */
import pg from 'pg';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQUAD_MEMBER, startTestHub, until, type TestHub } from '../../hub/test/test-hub.ts';
import { clubWithHub, createTestDatabase, startTestCentral, type TestCentral } from './test-central.ts';

describe('an athlete erased at central, seen from their hub', () => {
  let central: TestCentral;
  let db: pg.Client;
  let hub: TestHub;
  let hubId: string;
  let device: MqttClient;
  const athletes: Record<'ada' | 'bea', string> = { ada: '', bea: '' };

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    central = await startTestCentral({ databaseUrl });
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const enrolment = await clubWithHub(central, 'Erasure FC');
    hubId = enrolment.hubId;
    hub = await startTestHub({
      demo: { enabled: true },
      store: { blockSeconds: 1 },
      uplink: { enabled: true, centralUrl: central.url, enrolmentCode: enrolment.code, intervalSeconds: 0.1, backoffBaseMs: 20, backoffCapMs: 400 },
    });
    athletes.ada = (await hub.api<{ id: string }>('POST', '/api/athletes', { ...SQUAD_MEMBER, name: 'Ada Erased' })).body.id;
    athletes.bea = (await hub.api<{ id: string }>('POST', '/api/athletes', { ...SQUAD_MEMBER, name: 'Bea Kept', number: 9 })).body.id;
    await hub.api('PUT', '/api/sensors/strap-ada/pairing', { athleteId: athletes.ada });
    await hub.api('PUT', '/api/sensors/strap-bea/pairing', { athleteId: athletes.bea });
    device = await hub.connectDevice({ clientId: 'erasure-bridge' });
  });

  afterAll(async () => {
    await hub?.stop();
    await db?.end();
    await central?.close();
  });

  const publishBoth = (t0: number) =>
    Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        ['ada', 'bea'].map((who) => device.publishAsync(`touchline/v1/sensors/strap-${who}/hr`, JSON.stringify({ t: t0 + i * 1000, bpm: 100 + i }), { qos: 1 })),
      ).flat(),
    );
  const storedAtCentral = async () =>
    Number((await db.query('select count(*) as n from raw_samples where hub_id = $1', [hubId])).rows[0].n);
  const uplink = () => {
    const status = hub.hub.uplink!.status();
    if (!status.configured) throw new Error('the uplink is off');
    return status;
  };

  it('keeps forwarding the rest of the squad and tells club staff on the hub that head office erased the athlete', async () => {
    const t0 = Date.now() - 600_000;
    await publishBoth(t0);
    await until(async () => (await storedAtCentral()) === 20, 20_000, 'the first readings at central');
    const { rows } = await db.query('select id from athletes where hub_id = $1 and local_id = $2', [hubId, athletes.ada]);
    expect((await central.api('DELETE', `/api/athletes/${rows[0].id}`)).status).toBe(200);
    expect(await storedAtCentral()).toBe(10);

    await publishBoth(t0 + 60_000);
    await until(() => uplink().erasedAtCentral.length > 0, 20_000, 'the hub told of the erasure');
    expect(uplink().erasedAtCentral).toEqual([{ id: athletes.ada, name: 'Ada Erased' }]);
    await until(() => uplink().backlog.readings === 0, 20_000, 'everything forwarded');
    // Bea's twenty readings; nothing new of Ada, attributed or not.
    expect(await storedAtCentral()).toBe(20);
    const bySensor = (await db.query('select sensor_id, count(*)::int as n from raw_samples where hub_id = $1 group by sensor_id', [hubId])).rows;
    expect(bySensor).toEqual([{ sensor_id: 'strap-bea', n: 20 }]);
    expect((await db.query('select count(*)::int as n from athletes where hub_id = $1 and local_id = $2', [hubId, athletes.ada])).rows[0].n).toBe(0);

    const health = (await hub.api<{ warnings: string[] }>('GET', '/api/health')).body;
    expect(health.warnings).toContain(
      'Head office erased Ada Erased at central: their data from this hub is no longer forwarded, though this hub still holds it. Archive them here if they have left the squad.',
    );
    // The hub keeps its own copy until club staff decide; once they archive Ada here, the warning goes.
    expect((await hub.api('GET', `/api/athletes/${athletes.ada}`)).status).toBe(200);
    expect((await hub.api('DELETE', `/api/athletes/${athletes.ada}`)).status).toBe(200);
    const after = (await hub.api<{ warnings: string[]; uplink: { erasedAtCentral: unknown[] } }>('GET', '/api/health')).body;
    expect(after.uplink.erasedAtCentral).toEqual([]);
    expect(after.warnings.filter((w) => w.startsWith('Head office erased'))).toEqual([]);
  });
});
