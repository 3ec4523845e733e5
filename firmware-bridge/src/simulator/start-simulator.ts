/**
 * Runs the squad model against a real MQTT broker: one connection per device, as real devices
 * have, each publishing its own topics as the model's clock reaches them.
 */
import { TouchlineError, type LatLon } from '@touchline/core/metrics';
import { connect, type MqttClient } from 'mqtt';
import type { FaultRates } from './faults.ts';
import type { PhaseKind, SessionPhase } from './session-script.ts';
import { TICK_MS, createSquadModel, type ModelCounters, type SimMessage } from './squad-model.ts';

export interface SimulatorOptions {
  mqttUrl: string;
  username?: string;
  password?: string;
  /** Squad size (1..99); default 24. */
  athletes?: number;
  seed?: number;
  /** Simulated seconds per wall-clock second; default 1. Above 1, measurement times run ahead of the clock. */
  speedup?: number;
  faults?: Partial<FaultRates>;
  origin?: LatLon;
  script?: readonly SessionPhase[];
  batteryDrainPctPerMinute?: number;
  /** MQTT QoS of every publish; default 1. */
  qos?: 0 | 1;
  /** Wall clock (Unix ms); default Date.now. The simulated clock starts at its value. */
  now?: () => number;
  /** How long to wait for every device to connect; default 10 s. */
  connectTimeoutMs?: number;
}

export interface SimulatorStats {
  /** Simulated time since the start (ms). */
  simulatedMs: number;
  phase: PhaseKind;
  devices: number;
  connectedDevices: number;
  /** Messages handed to the MQTT clients, and acknowledged by the broker (PUBACK at QoS 1). */
  published: number;
  acknowledged: number;
  publishErrors: number;
  /** Connection errors after start-up (mqtt.js reconnects by itself every 2 s). */
  linkErrors: number;
  /** Messages a device could not send: its connection was down, or too many were awaiting PUBACK. */
  dropped: { offline: number; backlog: number };
  model: ModelCounters;
}

export interface RunningSimulator {
  stop(): Promise<void>;
  stats(): SimulatorStats;
}

/**
 * Wall-clock period of the publishing loop. A device publishes a reading as soon as it has measured
 * it; the simulator publishes a tick's readings at the first loop after the tick's time, so this
 * period is the delay it adds to every reading (at 50 ms it was most of a screen's measured lag).
 */
const LOOP_MS = 10;
/** Per device, like a device's small send buffer: beyond this many unacknowledged messages, new ones are dropped. */
const MAX_AWAITING_ACK = 500;
const GRACEFUL_END_MS = 3000;
const CATCH_UP_SLICE_MS = 1000;

function checkOptions(options: SimulatorOptions): { url: string; speedup: number; qos: 0 | 1; connectTimeoutMs: number } {
  const url = options?.mqttUrl;
  let protocol = '';
  try {
    protocol = new URL(String(url)).protocol;
  } catch {
    // reported below
  }
  if (!['mqtt:', 'mqtts:', 'tcp:', 'ws:', 'wss:'].includes(protocol)) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `mqttUrl must be an mqtt://, mqtts://, ws:// or wss:// URL, got ${String(url)}`, { argument: 'mqttUrl' });
  }
  const speedup = options.speedup ?? 1;
  if (typeof speedup !== 'number' || !Number.isFinite(speedup) || speedup <= 0 || speedup > 1000) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `speedup must be a number in (0, 1000], got ${String(speedup)}`, { argument: 'speedup' });
  }
  const qos = options.qos ?? 1;
  if (qos !== 0 && qos !== 1) throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `qos must be 0 or 1, got ${String(qos)}`, { argument: 'qos' });
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  if (typeof connectTimeoutMs !== 'number' || !(connectTimeoutMs > 0)) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `connectTimeoutMs must be > 0, got ${String(connectTimeoutMs)}`, { argument: 'connectTimeoutMs' });
  }
  return { url: String(url), speedup, qos, connectTimeoutMs };
}

/** The URL without any user:password in it, for messages. */
function printableUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}

function connectDevice(url: string, sensorId: string, options: SimulatorOptions, timeoutMs: number, onLinkError: () => void): Promise<MqttClient> {
  const client = connect(url, {
    clientId: sensorId,
    clean: true,
    protocolVersion: 4,
    username: options.username,
    password: options.password,
    connectTimeout: timeoutMs,
    reconnectPeriod: 2000,
  });
  return new Promise((resolve, reject) => {
    const fail = (reason: string): void => {
      clearTimeout(timer);
      client.removeAllListeners('connect');
      client.end(true);
      reject(
        new TouchlineError('TL_ERR_MQTT_CONNECT', `${sensorId} could not connect to ${printableUrl(url)}: ${reason}`, { sensorId, url: printableUrl(url) }),
      );
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms; is the hub running?`), timeoutMs);
    client.once('connect', () => {
      clearTimeout(timer);
      client.removeListener('error', onFirstError);
      // From here on mqtt.js reconnects by itself; an error is a dropped link to count, not a crash.
      client.on('error', onLinkError);
      resolve(client);
    });
    const onFirstError = (err: Error): void => fail(err.message);
    client.once('error', onFirstError);
  });
}

async function endClient(client: MqttClient): Promise<void> {
  const graceful = client.endAsync(false);
  const timedOut = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), GRACEFUL_END_MS).unref());
  if ((await Promise.race([graceful, timedOut])) === 'timeout') await client.endAsync(true);
}

/**
 * Connects one MQTT client per simulated device, then publishes the squad's readings as simulated
 * time passes. Resolves once every device is connected; rejects with TL_ERR_MQTT_CONNECT (all
 * connections closed) if any cannot connect.
 */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const { url, speedup, qos, connectTimeoutMs } = checkOptions(options);
  const now = options.now ?? Date.now;
  const wallStart = now();
  const model = createSquadModel({
    startTime: Math.round(wallStart),
    athletes: options.athletes,
    seed: options.seed,
    origin: options.origin,
    script: options.script,
    faults: options.faults,
    batteryDrainPctPerMinute: options.batteryDrainPctPerMinute,
  });

  const transport = { published: 0, acknowledged: 0, publishErrors: 0, linkErrors: 0, dropped: { offline: 0, backlog: 0 } };
  const onLinkError = (): void => {
    transport.linkErrors++;
  };
  const settled = await Promise.allSettled(model.devices.map((device) => connectDevice(url, device.sensorId, options, connectTimeoutMs, onLinkError)));
  const clients = new Map<string, MqttClient>();
  settled.forEach((result, i) => {
    if (result.status === 'fulfilled') clients.set(model.devices[i]!.sensorId, result.value);
  });
  const failure = settled.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all([...clients.values()].map(endClient));
    throw failure.reason;
  }

  const awaitingAck = new Map<string, number>([...clients.keys()].map((id) => [id, 0]));

  const publish = (message: SimMessage): void => {
    const client = clients.get(message.sensorId)!;
    const waiting = awaitingAck.get(message.sensorId)!;
    if (!client.connected) {
      transport.dropped.offline++;
      return;
    }
    if (waiting >= MAX_AWAITING_ACK) {
      transport.dropped.backlog++;
      return;
    }
    awaitingAck.set(message.sensorId, waiting + 1);
    transport.published++;
    client.publish(message.topic, message.payload, { qos }, (err) => {
      awaitingAck.set(message.sensorId, awaitingAck.get(message.sensorId)! - 1);
      if (err) transport.publishErrors++;
      else transport.acknowledged++;
    });
  };

  const loop = setInterval(() => {
    const target = model.startTime + (now() - wallStart) * speedup;
    // In slices, so that catching up after the process was suspended never holds hours of messages.
    while (model.now + TICK_MS <= target) {
      for (const message of model.advanceTo(Math.min(target, model.now + CATCH_UP_SLICE_MS))) publish(message);
    }
  }, LOOP_MS);

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        clearInterval(loop);
        await Promise.all([...clients.values()].map(endClient));
      })();
      return stopping;
    },
    stats() {
      let connectedDevices = 0;
      for (const client of clients.values()) if (client.connected) connectedDevices++;
      return {
        simulatedMs: model.now - model.startTime,
        phase: model.phase.phase.kind,
        devices: clients.size,
        connectedDevices,
        ...transport,
        dropped: { ...transport.dropped },
        model: model.counters(),
      };
    },
  };
}
