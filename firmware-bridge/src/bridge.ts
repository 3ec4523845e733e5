/**
 * The bridge process's core: builds the enabled adapters from the configuration, gives each its own
 * hub link (gate → batcher → outbox with spool, one MQTT connection, so each adapter has its own
 * message budget and one flooding radio cannot starve another), and publishes the bridge's status,
 * retained, on touchline/v1/bridges/{bridgeId}/status for the hub's health page and any MQTT tool.
 */
import { join } from 'node:path';
import type { AdapterContext, AdapterManifest, AdapterStatus, LogLevel, SensorAdapter } from './adapter.ts';
import { AntAdapter } from './adapters/ant/ant.adapter.ts';
import { BleAdapter } from './adapters/ble/ble.adapter.ts';
import { GnssSerialAdapter } from './adapters/gnss-serial.adapter.ts';
import { SimulatorAdapter } from './adapters/simulator.adapter.ts';
import { networkKeyBytes, type BridgeConfig } from './config/bridge-config.ts';
import { ReadingBatcher } from './hub-link/batcher.ts';
import { MqttConnection, printableUrl } from './hub-link/mqtt-connection.ts';
import { Outbox, type OutboxStats } from './hub-link/outbox.ts';
import { ReadingGate, type PublishVerdict, type RejectReason } from './hub-link/readings.ts';
import { BRIDGE_VERSION } from './version.ts';

export const BRIDGE_STATUS_INTERVAL_MS = 5000;
const BATCH_FLUSH_INTERVAL_MS = 50;
/** Keeps the status message small however many devices a radio hears. */
const MAX_DEVICES_IN_STATUS = 100;

export function bridgeStatusTopic(bridgeId: string): string {
  return `touchline/v1/bridges/${bridgeId}/status`;
}

export interface AdapterReport extends AdapterStatus {
  capabilities: AdapterManifest['capabilities'];
  version: string;
  /** Devices left out of `devices` to keep the message small. */
  omittedDevices: number;
  readings: { accepted: number; rejected: Partial<Record<RejectReason, number>>; droppedRr: number };
  outbox: OutboxStats;
}

export interface BridgeStatus {
  bridgeId: string;
  version: string;
  /** When this status was taken, Unix ms. */
  t: number;
  state: 'running' | 'stopped' | 'offline';
  startedAt: number;
  hub: { url: string };
  adapters: AdapterReport[];
}

export interface RunningBridge {
  status(): BridgeStatus;
  stop(): Promise<void>;
}

export interface StartBridgeOptions {
  config: BridgeConfig;
  /** Adapters to run instead of those the configuration enables (tests). */
  adapters?: SensorAdapter[];
  now?: () => number;
  log?: (level: LogLevel, message: string) => void;
}

export function adaptersFromConfig(config: BridgeConfig): SensorAdapter[] {
  const { simulator, ble, ant, gnss } = config.adapters;
  const adapters: SensorAdapter[] = [];
  if (simulator.enabled) adapters.push(new SimulatorAdapter(simulator));
  if (ble.enabled) adapters.push(new BleAdapter(ble));
  if (ant.enabled) adapters.push(new AntAdapter({ networkKey: networkKeyBytes(ant.networkKey), usbIds: ant.usbIds, ports: ant.ports, baudRate: ant.baudRate }));
  if (gnss.enabled) adapters.push(new GnssSerialAdapter({ pods: gnss.pods }));
  return adapters;
}

interface Lane {
  adapter: SensorAdapter;
  gate: ReadingGate;
  batcher: ReadingBatcher;
  outbox: Outbox;
  readings: AdapterReport['readings'];
  running: boolean;
}

export async function startBridge(options: StartBridgeOptions): Promise<RunningBridge> {
  const { config } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const bridgeId = config.bridge.id;
  const startedAt = now();
  const hub = { url: config.hub.mqttUrl, ...(config.hub.username ? { username: config.hub.username } : {}), ...(config.hub.password ? { password: config.hub.password } : {}) };
  if (!config.hub.username) log('warn', 'no hub credential is configured (hub.username/password or TOUCHLINE_BRIDGE_USERNAME/PASSWORD); only a hub in demo mode accepts that');

  const adapters = options.adapters ?? adaptersFromConfig(config);
  const ids = adapters.map((a) => a.manifest.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`two adapters share the id "${duplicate}"`);

  const lanes: Lane[] = adapters.map((adapter) => {
    const outbox = new Outbox({
      hub,
      clientId: `${bridgeId}-${adapter.manifest.id}`.slice(0, 128),
      spool: { dir: join(config.spool.dir, adapter.manifest.id), maxBytes: Math.round(config.spool.maxMegabytesPerAdapter * 1024 * 1024), policy: config.spool.whenFull },
      maxMessagesPerSecond: config.hub.maxMessagesPerSecondPerAdapter,
    });
    return { adapter, gate: new ReadingGate(), batcher: new ReadingBatcher((message) => outbox.send(message)), outbox, readings: { accepted: 0, rejected: {}, droppedRr: 0 }, running: true };
  });

  const contextFor = (lane: Lane): AdapterContext => ({
    now,
    log: (level, message) => log(level, message),
    publish(reading): PublishVerdict {
      if (!lane.running) return { accepted: false, reason: 'not-running', message: 'the bridge is stopping' };
      const at = now();
      const { verdict, reading: clean } = lane.gate.check(reading, at);
      if (verdict.accepted) {
        lane.readings.accepted++;
        lane.readings.droppedRr += verdict.droppedRr;
        lane.batcher.add(clean!, at);
      } else {
        lane.readings.rejected[verdict.reason] = (lane.readings.rejected[verdict.reason] ?? 0) + 1;
      }
      return verdict;
    },
  });

  const flushTimer = setInterval(() => {
    const at = now();
    for (const lane of lanes) lane.batcher.flushDue(at);
  }, BATCH_FLUSH_INTERVAL_MS);
  flushTimer.unref();

  // One adapter failing to start must not stop the others.
  await Promise.all(
    lanes.map(async (lane) => {
      try {
        await lane.adapter.start(contextFor(lane));
      } catch (err) {
        log('error', `${lane.adapter.manifest.id}: failed to start: ${(err as Error).message}`);
      }
    }),
  );

  let state: BridgeStatus['state'] = 'running';
  const status = (): BridgeStatus => ({
    bridgeId,
    version: BRIDGE_VERSION,
    t: now(),
    state,
    startedAt,
    hub: { url: printableUrl(config.hub.mqttUrl) },
    adapters: lanes.map((lane) => {
      const report = lane.adapter.status();
      const { capabilities, version } = lane.adapter.manifest;
      return {
        ...report,
        capabilities,
        version,
        devices: report.devices.slice(0, MAX_DEVICES_IN_STATUS),
        omittedDevices: Math.max(0, report.devices.length - MAX_DEVICES_IN_STATUS),
        readings: { ...lane.readings, rejected: { ...lane.readings.rejected } },
        outbox: lane.outbox.stats(),
      };
    }),
  });

  const topic = bridgeStatusTopic(bridgeId);
  const offline = (): string => JSON.stringify({ ...status(), state: 'offline', adapters: [] });
  const statusLink = new MqttConnection({
    ...hub,
    clientId: `${bridgeId}-status`.slice(0, 128),
    will: { topic, payload: offline(), retain: true },
    onConnect: () => publishStatus(),
  });
  const publishStatus = (): void => {
    statusLink.publish(topic, JSON.stringify(status()), { qos: 1, retain: true });
  };
  // Not unref'd: this timer keeps the bridge process alive.
  const statusTimer = setInterval(publishStatus, BRIDGE_STATUS_INTERVAL_MS);

  let stopping: Promise<void> | undefined;
  return {
    status,
    stop() {
      stopping ??= (async () => {
        clearInterval(statusTimer);
        await Promise.all(lanes.map((lane) => lane.adapter.stop().catch((err: Error) => log('error', `${lane.adapter.manifest.id}: ${err.message}`))));
        for (const lane of lanes) {
          lane.running = false;
          lane.batcher.flushAll();
        }
        clearInterval(flushTimer);
        await Promise.all(lanes.map((lane) => lane.outbox.close()));
        state = 'stopped';
        if (statusLink.connected) {
          await new Promise<void>((resolve) => {
            if (!statusLink.publish(topic, JSON.stringify(status()), { qos: 1, retain: true }, () => resolve())) resolve();
            setTimeout(resolve, 1000).unref();
          });
        }
        await statusLink.close();
      })();
      return stopping;
    },
  };
}
