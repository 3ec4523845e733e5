import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import { connectAsync } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../src/simulator/start-simulator.ts';
import { contractViolations } from './ingest-contract-check.ts';

const NO_FAULTS = { malformedRate: 0, dropoutRate: 0 };

interface Seen {
  clientId: string;
  topic: string;
  qos: number;
  payload: string;
}

describe('simulator against a real MQTT broker', () => {
  let broker: Aedes;
  let server: net.Server;
  let url: string;
  const published: Seen[] = [];
  const connections: { id: string; clean: boolean }[] = [];
  let disconnected = 0;

  beforeEach(async () => {
    published.length = 0;
    connections.length = 0;
    disconnected = 0;
    broker = await Aedes.createBroker();
    broker.on('client', (client) => connections.push({ id: client.id, clean: client.clean }));
    broker.on('clientDisconnect', () => disconnected++);
    broker.on('publish', (packet, client) => {
      if (client && packet.topic.startsWith('touchline/')) {
        published.push({ clientId: client.id, topic: packet.topic, qos: packet.qos, payload: packet.payload.toString() });
      }
    });
    server = net.createServer(broker.handle);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('publishes every device on its own clean connection at QoS 1, at the model’s rates', async () => {
    const subscriber = await connectAsync(url, { clientId: 'test-subscriber' });
    await subscriber.subscribeAsync('touchline/v1/sensors/#', { qos: 1 });
    const received: { topic: string; qos: number }[] = [];
    subscriber.on('message', (topic, _payload, packet) => received.push({ topic, qos: packet.qos }));

    const simulator = await startSimulator({ mqttUrl: url, athletes: 2, seed: 1, speedup: 20, faults: NO_FAULTS });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await simulator.stop();
    const stats = simulator.stats();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await subscriber.endAsync();

    const devices = ['sim-hr-01', 'sim-pod-01', 'sim-hr-02', 'sim-pod-02', 'sim-hr-spare'];
    expect(connections.filter((c) => c.id !== 'test-subscriber')).toEqual(devices.map((id) => ({ id, clean: true })));
    // All five devices disconnected on stop (the subscriber too, after).
    expect(disconnected).toBe(6);

    // ≈ 50 simulated seconds at 20× in 2.5 s of wall time.
    const seconds = stats.simulatedMs / 1000;
    expect(seconds).toBeGreaterThan(30);
    expect(stats.published).toBe(stats.model.messages);
    expect(stats.acknowledged).toBe(stats.published);
    expect(published).toHaveLength(stats.published);

    for (const m of published) {
      expect(m.qos).toBe(1);
      expect(m.topic.startsWith(`touchline/v1/sensors/${m.clientId}/`)).toBe(true);
      expect(contractViolations(m.topic, m.payload)).toEqual([]);
    }
    const count = (topic: string) => published.filter((m) => m.topic === `touchline/v1/sensors/${topic}`).length;
    for (const pod of ['sim-pod-01', 'sim-pod-02']) {
      expect(count(`${pod}/gnss`)).toBe(seconds * 10);
      expect(count(`${pod}/imu`)).toBe(seconds * 10);
    }
    for (const strap of ['sim-hr-01', 'sim-hr-02', 'sim-hr-spare']) {
      expect(Math.abs(count(`${strap}/hr`) - seconds)).toBeLessThanOrEqual(1);
    }
    for (const device of devices) {
      expect(Math.abs(count(`${device}/battery`) - (1 + seconds / 30))).toBeLessThanOrEqual(1);
    }

    expect(received).toHaveLength(published.length);
    expect(received.every((m) => m.qos === 1)).toBe(true);
  });

  it('connects with credentials, and refuses to start with wrong ones, leaving nothing connected', async () => {
    broker.authenticate = (_client, username, password, done) => done(null, username === 'bridge' && password?.toString() === 'secret');
    const simulator = await startSimulator({ mqttUrl: url, username: 'bridge', password: 'secret', athletes: 1, faults: NO_FAULTS });
    expect(simulator.stats().connectedDevices).toBe(3);
    await simulator.stop();

    await expect(startSimulator({ mqttUrl: url, username: 'bridge', password: 'wrong', athletes: 1 })).rejects.toMatchObject({
      code: 'TL_ERR_MQTT_CONNECT',
      message: expect.stringMatching(/sim-(hr|pod)-.* could not connect to mqtt:\/\/127\.0\.0\.1:\d+\/?: .*(Bad username or password|Not authorized)/i),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(broker.connectedClients).toBe(0);
  });

  it('fails fast with TL_ERR_MQTT_CONNECT when nothing listens, and rejects a bad URL', async () => {
    const closed = net.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const started = Date.now();
    await expect(startSimulator({ mqttUrl: `mqtt://127.0.0.1:${port}`, athletes: 1 })).rejects.toMatchObject({ code: 'TL_ERR_MQTT_CONNECT' });
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(startSimulator({ mqttUrl: 'localhost:1883' })).rejects.toMatchObject({ code: 'TL_ERR_INVALID_ARGUMENT' });
    await expect(startSimulator({ mqttUrl: url, speedup: 0 })).rejects.toMatchObject({ code: 'TL_ERR_INVALID_ARGUMENT' });
  });
});
