/**
 * The bench's load: the squad simulator's model (firmware-bridge) publishing over MQTT from this
 * child process, one connection per device, QoS 1, like `startSimulator` does. Two things differ,
 * both for measurement: every payload's `t` is restamped with its publish time (Date.now()), so
 * the WebSocket client can measure publish → receipt; and the messages of each 100 ms model tick
 * (where every device ticks in lockstep) are spread evenly over the tick, as devices with their
 * own clocks would send them, instead of leaving in one burst.
 *
 * Started with its LoadPlan as the JSON argument; then driven over IPC (bench/load-protocol.ts):
 * connect, report `ready`, then `run` windows (each at its own speed-up) and report each, until `stop`.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { createSquadModel, SPARE_STRAP_ID, TICK_MS, type SimMessage, type SquadModel } from '@touchline/firmware-bridge';
import type { ChildMessage, LoadPlan, LoadResult, LoadWindow, ParentMessage } from './load-protocol.ts';

/** Per device, like a device's small send buffer (the simulator uses the same bound). */
const MAX_AWAITING_ACK = 500;
/** How far ahead of the clock the model is run and its messages queued. */
const LOOKAHEAD_MS = 20;

interface Scheduled {
  due: number;
  message: SimMessage;
}

function send(message: ChildMessage): void {
  process.send!(message);
}

/** Replaces the leading `"t":<ms>` the model wrote with the publish time. */
function restamp(payload: string, t: number): string {
  if (payload.startsWith('{"t":')) {
    const comma = payload.indexOf(',', 5);
    if (comma > 0) return `{"t":${t}${payload.slice(comma)}`;
  }
  const body = JSON.parse(payload) as Record<string, unknown>;
  return JSON.stringify({ ...body, t });
}

function connectDevice(plan: LoadPlan, sensorId: string): Promise<MqttClient> {
  const client = mqtt.connect(plan.mqttUrl, {
    clientId: sensorId,
    username: plan.username,
    password: plan.password,
    protocolVersion: 4,
    clean: true,
    connectTimeout: 20_000,
    // A device whose link drops counts as offline for the rest of the window, never reconnects mid-measurement.
    reconnectPeriod: 0,
  });
  return new Promise((resolve, reject) => {
    client.once('connect', () => {
      client.on('error', () => {});
      resolve(client);
    });
    client.once('error', reject);
  });
}

async function connectAll(plan: LoadPlan, sensorIds: string[]): Promise<Map<string, MqttClient>> {
  const clients = new Map<string, MqttClient>();
  // In groups, so a broker hashing credentials is not handed 160 connections in one instant.
  for (let i = 0; i < sensorIds.length; i += 20) {
    const group = sensorIds.slice(i, i + 20);
    const connected = await Promise.all(group.map((id) => connectDevice(plan, id)));
    group.forEach((id, j) => clients.set(id, connected[j]!));
  }
  return clients;
}

function run(model: SquadModel, clients: Map<string, MqttClient>, window: LoadWindow): Promise<LoadResult> {
  const result: LoadResult = {
    devices: clients.size,
    offered: 0,
    published: 0,
    acknowledged: 0,
    droppedOffline: 0,
    droppedBacklog: 0,
    publishErrors: 0,
    maxLagMs: 0,
  };
  const awaiting = new Map<string, number>([...clients.keys()].map((id) => [id, 0]));
  const tickWallMs = TICK_MS / window.speedup;
  // The load runs on through the drain, so the window's last updates are not a sensor falling silent.
  const stopAt = window.windowEnd + window.drainMs;
  let queue: Scheduled[] = [];
  let head = 0;
  let nextTickWall = window.startAt;
  let windowClosed = false;

  const refill = (until: number): void => {
    while (nextTickWall <= until && nextTickWall < stopAt) {
      const messages = model.advanceTo(model.now + TICK_MS).filter((m) => m.sensorId !== SPARE_STRAP_ID);
      messages.forEach((message, i) => {
        queue.push({ due: nextTickWall + (i * tickWallMs) / messages.length, message });
      });
      nextTickWall += tickWallMs;
    }
  };

  /**
   * Every count is by the time the generator tries to publish, the `t` the WebSocket client
   * sees, so offered ≥ published ≥ delivered over the same messages for both systems.
   */
  const publish = (item: Scheduled, now: number): void => {
    const inWindow = now >= window.windowStart && now < window.windowEnd;
    if (inWindow) {
      result.offered++;
      result.maxLagMs = Math.max(result.maxLagMs, now - item.due);
    }
    const { sensorId, topic, payload } = item.message;
    const client = clients.get(sensorId)!;
    const waiting = awaiting.get(sensorId)!;
    if (!client.connected) {
      if (inWindow) result.droppedOffline++;
      return;
    }
    if (waiting >= MAX_AWAITING_ACK) {
      if (inWindow) result.droppedBacklog++;
      return;
    }
    awaiting.set(sensorId, waiting + 1);
    if (inWindow) result.published++;
    client.publish(topic, restamp(payload, now), { qos: 1 }, (err) => {
      awaiting.set(sensorId, awaiting.get(sensorId)! - 1);
      if (!inWindow) return;
      if (err) result.publishErrors++;
      else if (Date.now() <= stopAt) result.acknowledged++;
    });
  };

  return new Promise((resolve) => {
    const loop = (): void => {
      const now = Date.now();
      if (now >= stopAt) return resolve(result);
      if (!windowClosed && now >= window.windowEnd) {
        windowClosed = true;
        // Due in the window but not yet tried (the generator itself fell behind): offered, never published in it.
        refill(window.windowEnd);
        for (let i = head; i < queue.length && queue[i]!.due < window.windowEnd; i++) result.offered++;
      }
      refill(now + LOOKAHEAD_MS);
      // Stamped one by one: a long catch-up must not date its last messages to its start.
      while (head < queue.length && queue[head]!.due <= now) publish(queue[head++]!, Date.now());
      if (head > 10_000) {
        queue = queue.slice(head);
        head = 0;
      }
      setTimeout(loop, 1);
    };
    setTimeout(loop, Math.max(0, window.startAt - Date.now()));
  });
}

async function main(): Promise<void> {
  // The plan comes as an argument: an IPC message sent before this module finished loading could be missed.
  const plan = JSON.parse(process.argv[2] ?? '') as LoadPlan;
  const model = createSquadModel({ startTime: Math.round(Date.now()), athletes: plan.athletes, seed: plan.seed, faults: { malformedRate: 0, dropoutRate: 0 } });
  // The spare strap worn by staff is left out: the bench measures the squad.
  const clients = await connectAll(plan, model.squad.flatMap((athlete) => [athlete.hrSensorId, athlete.podSensorId]));
  send({ type: 'ready', devices: clients.size });

  process.on('message', (raw) => {
    const message = raw as ParentMessage;
    if (message.type === 'run') {
      run(model, clients, message.window).then(
        (result) => send({ type: 'result', result }),
        (err: unknown) => send({ type: 'error', message: String(err) }),
      );
    } else if (message.type === 'stop') {
      void Promise.all([...clients.values()].map((c) => c.endAsync(true))).then(() => process.exit(0));
    }
  });
}

main().catch((err: unknown) => {
  send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
