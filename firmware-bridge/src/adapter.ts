/**
 * The one interface every transport implements (BLE, ANT+, serial GNSS, the simulator). An adapter
 * owns its devices' I/O and decodes with @touchline/core; it hands normalised readings to its
 * context and never talks to MQTT itself, so publishing, spooling and flood control have one owner
 * (hub-link/) and test/adapter-contract.ts can check every adapter the same way.
 */
import type { BridgeReading, PublishVerdict } from './hub-link/readings.ts';

export const TRANSPORTS = ['ble', 'ant', 'serial-gnss', 'simulator'] as const;
export type Transport = (typeof TRANSPORTS)[number];

export const CAPABILITIES = ['hr', 'rr', 'battery', 'rssi', 'gnss', 'imu', 'running-speed'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** How an adapter finds its devices. */
export type Discovery = 'radio-scan' | 'usb-id' | 'configured-ports' | 'simulated';

export interface AdapterManifest {
  /** Unique within the bridge; names the adapter's spool folder and MQTT client. */
  id: string;
  transport: Transport;
  capabilities: readonly Capability[];
  version: string;
  discovery: Discovery;
}

/**
 * `unavailable`: the hardware or its driver package is missing; the adapter says why once in
 * `detail` and keeps watching, while the bridge runs its other adapters.
 */
export type AdapterState = 'stopped' | 'starting' | 'running' | 'unavailable';

export type DeviceState = 'discovered' | 'connecting' | 'streaming' | 'silent' | 'reconnecting' | 'failed';

export interface DeviceStatus {
  sensorId: string;
  state: DeviceState;
  /** Model or advertised name when the device gives one. */
  name?: string;
  /** Where it is attached: radio, stick or serial port. */
  via?: string;
  /** dBm, when the radio reports it. */
  rssi?: number;
  batteryPct?: number;
  lastSeenAt?: number;
  readings: number;
  /** Device data that was rejected: undecodable, implausible or flooding. */
  rejected: number;
  /** What went wrong last, in words for club IT. */
  problem?: string;
}

export interface AdapterStatus {
  id: string;
  transport: Transport;
  state: AdapterState;
  /** Why the adapter is unavailable, or what it is attached to. */
  detail?: string;
  devices: DeviceStatus[];
  /** Transport-level counters: corrupt frames, checksum errors, reconnects… */
  counters: Record<string, number>;
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface AdapterContext {
  /** Hands one decoded reading to the hub link, which checks, batches and delivers it. */
  publish(reading: BridgeReading): PublishVerdict;
  /** Wall clock, Unix ms. */
  now(): number;
  log(level: LogLevel, message: string): void;
}

export interface SensorAdapter {
  readonly manifest: AdapterManifest;
  /**
   * Starts discovery and I/O. Resolves once the adapter is running or known to be unavailable;
   * missing hardware is a state, never a rejection.
   */
  start(context: AdapterContext): Promise<void>;
  /** Releases every device, port and timer; safe to call twice. */
  stop(): Promise<void>;
  status(): AdapterStatus;
}
