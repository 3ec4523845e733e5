/**
 * Alerts that come from the hub's own clock and disk: a sensor falling silent (a hub whose engine
 * calls a sensor lost after 0.5 s) and the sample store reaching its cap; and what survives a
 * restart (rules, the default set created only once, unacknowledged alerts).
 */
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { SQUAD_MEMBER, startTestHub, until, type TestHub } from './test-hub.ts';

interface Alert {
  id: string;
  kind: string;
  athleteId: string | null;
  sensorId: string | null;
  message: string;
  acknowledgedAt: number | null;
}

describe('alerts from signal loss, a full store and restarts', () => {
  let t: TestHub;
  let device: MqttClient;
  let ada: string;

  beforeAll(async () => {
    t = await startTestHub({ engine: { staleAfterSeconds: 0.2, lostAfterSeconds: 0.5 } });
    ada = (await t.api<{ id: string }>('POST', '/api/athletes', SQUAD_MEMBER)).body.id;
    const credential = await t.api<{ username: string; password: string }>('POST', '/api/device-credentials', { sensorIds: ['strap-1'] });
    await t.api('PUT', '/api/sensors/strap-1/pairing', { athleteId: ada });
    await t.api('PATCH', '/api/sensors/strap-1', { label: 'strap 12' });
    device = await t.connectDevice({ username: credential.body.username, password: credential.body.password });
  });
  afterAll(() => t.stop());

  const lostAlerts = async () => (await t.api<Alert[]>('GET', '/api/alerts?limit=1000')).body.filter((a) => a.kind === 'sensor-lost');

  it('raises sensor-lost once when the athlete\'s signal becomes lost, and again only after it came back', async () => {
    await device.publishAsync('touchline/v1/sensors/strap-1/hr', JSON.stringify({ bpm: 120 }), { qos: 1 });
    // The engine's and the alerts' own 1 s timers do the work here.
    await until(async () => (await lostAlerts()).length > 0, 5000, 'the sensor-lost alert');
    const [alert, ...more] = await lostAlerts();
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ athleteId: ada, sensorId: 'strap-1', acknowledgedAt: null });
    expect(alert!.message).toBe('#7 Ada Test: signal lost from strap 12 (strap-1); check the strap and that they are in range');
    expect(t.hub.engine.athlete(ada)!.signal).toBe('lost');

    // Still lost: further ticks raise nothing more.
    await t.hub.alerts.evaluate();
    await t.hub.alerts.evaluate();
    expect(await lostAlerts()).toHaveLength(1);

    // The signal comes back for one reading. Stepping the engine's signal check by hand from here
    // guarantees a tick sees it back before it is lost again, however slow the machine.
    t.hub.engine.stop();
    await device.publishAsync('touchline/v1/sensors/strap-1/hr', JSON.stringify({ bpm: 121 }), { qos: 1 });
    await t.hub.alerts.evaluate();
    expect(await lostAlerts()).toHaveLength(1);
    await until(() => {
      t.hub.engine.updateSignals();
      return t.hub.engine.athlete(ada)!.signal === 'lost';
    }, 5000, 'the signal to be lost again');
    await t.hub.alerts.evaluate();
    expect(await lostAlerts()).toHaveLength(2);
  });

  it('keeps rules and unacknowledged alerts across a restart, and creates the default rules only on first start', async () => {
    const rules = (await t.api<{ id: string; kind: string }[]>('GET', '/api/alert-rules')).body;
    expect(rules.map((r) => r.kind)).toEqual(['hr-above', 'sensor-lost', 'battery-low', 'store-full']);
    const battery = rules.find((r) => r.kind === 'battery-low')!;
    expect((await t.api('PATCH', `/api/alert-rules/${battery.id}`, { params: { percent: 20 } })).status).toBe(200);
    const hrRule = rules.find((r) => r.kind === 'hr-above')!;
    expect((await t.api('DELETE', `/api/alert-rules/${hrRule.id}`)).status).toBe(200);
    const [first] = await lostAlerts();
    expect((await t.api('POST', `/api/alerts/${first!.id}/ack`)).status).toBe(200);
    const active = (await t.api<Alert[]>('GET', '/api/alerts?active=true')).body.map((a) => a.id);

    await device.endAsync(true);
    await t.stop({ keepData: true });
    t = await startTestHub({ engine: { staleAfterSeconds: 0.2, lostAfterSeconds: 0.5 } }, t.dataDir);

    const after = (await t.api<{ kind: string; params: Record<string, unknown> }[]>('GET', '/api/alert-rules')).body;
    expect(after.map((r) => [r.kind, r.params])).toEqual([
      ['sensor-lost', {}],
      ['battery-low', { percent: 20 }],
      ['store-full', {}],
    ]);
    const live = await t.api<{ alerts: Alert[] }>('GET', '/api/live');
    expect(live.body.alerts.map((a) => a.id).sort()).toEqual([...active].sort());
  });

  it('raises store-full when the sample store finds itself at its disk cap', async () => {
    // Grow the database file past the smallest cap (16 MB) while the hub is stopped.
    await t.stop({ keepData: true });
    const sqlite = new DatabaseSync(join(t.dataDir, 'hub.sqlite'));
    sqlite.exec('create table test_filler (data blob)');
    sqlite.prepare('insert into test_filler values (?)').run(new Uint8Array(17 * 1024 * 1024));
    sqlite.exec('pragma wal_checkpoint(truncate)');
    sqlite.close();

    t = await startTestHub({ store: { maxDiskMegabytes: 16 } }, t.dataDir);
    expect(t.hub.samples.stats().full).toBe(true);
    await until(async () => (await t.api<Alert[]>('GET', '/api/alerts?active=true')).body.some((a) => a.kind === 'store-full'), 5000, 'the store-full alert');
    const full = (await t.api<Alert[]>('GET', '/api/alerts')).body.filter((a) => a.kind === 'store-full');
    expect(full).toHaveLength(1);
    expect(full[0]).toMatchObject({ athleteId: null, sensorId: null });
    expect(full[0]!.message).toContain('store.maxDiskMegabytes');
    const live = await t.api<{ alerts: Alert[] }>('GET', '/api/live');
    expect(live.body.alerts.map((a) => a.id)).toContain(full[0]!.id);
  });
});
