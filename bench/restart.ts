/**
 * How fast the hub is back after a crash: one device keeps publishing (QoS 1, every 100 ms, and
 * reconnecting every 100 ms while the hub is away, as the bridge does), the hub is killed with
 * SIGKILL and started again on the same data and ports, and the bench times the new process until
 * its API answers and until the device's next reading is on the live screen. The bound is
 * "live again within 3 s".
 */
import mqtt from 'mqtt';
import type { HubTarget } from './hub-target.ts';

export interface RestartResult {
  /** From starting the new process to its API answering. */
  answeredAfterMs: number;
  /** From starting the new process to a new reading of the device reaching the live screen. */
  liveAfterMs: number;
  /** Readings in the store before the crash (what the restart had to open). */
  readingsStoredBefore: number | null;
}

export async function measureRestart(hub: HubTarget, device: { sensorId: string; athlete: number }): Promise<RestartResult> {
  const client = mqtt.connect(hub.mqttUrl, { username: hub.username, password: hub.password, clientId: `bench-restart-${device.sensorId}`, reconnectPeriod: 100, connectTimeout: 2000 });
  client.on('error', () => {});
  const publishing = setInterval(() => {
    if (client.connected) client.publish(`touchline/v1/sensors/${device.sensorId}/hr`, JSON.stringify({ t: Date.now(), bpm: 140, rr: [428] }), { qos: 1 });
  }, 100);
  try {
    await hub.receiver.waitForUpdate((u) => u.athlete === device.athlete, 10_000);
    const { stored } = await hub.accounting();
    const { startedAt, answeredAfterMs } = await hub.crashAndRestart();
    await hub.receiver.waitForUpdate((u) => u.athlete === device.athlete && u.t > startedAt, 30_000);
    return { answeredAfterMs, liveAfterMs: Date.now() - startedAt, readingsStoredBefore: stored };
  } finally {
    clearInterval(publishing);
    client.end(true);
  }
}
