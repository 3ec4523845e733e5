/**
 * BLE heart-rate straps and running pods (Polar H10, Garmin HRM-Pro/Dual, Wahoo TICKR, Stryd…)
 * through one or more Bluetooth adapters. Every adapter scans for the Heart Rate (0x180D) and
 * Running Speed and Cadence (0x1814) services; each sensor in range (or each one listed in the
 * configuration) is connected through the adapter with the fewest connections that heard it, up
 * to `maxConnectionsPerAdapter`, since a controller handles only a handful of links well.
 * Sensors not connected stay visible as `discovered`, with their RSSI, so staff can see what is
 * around and list it.
 */
import type { AdapterContext, AdapterManifest, AdapterStatus, DeviceStatus, SensorAdapter } from '../../adapter.ts';
import { BRIDGE_VERSION } from '../../version.ts';
import { loadNobleRadios, type BlePeripheralLike, type LoadBleRadios, type NamedRadio } from './ble-radio.ts';
import { BLE_UUID, BleSensorLink, shortUuid, type BleLinkCounters } from './ble-sensor-link.ts';

export interface BleAdapterOptions {
  id?: string;
  hciDevices: readonly number[];
  maxConnectionsPerAdapter: number;
  connect: 'all' | 'listed';
  /** Addresses (or noble ids) to connect when `connect` is 'listed'. */
  sensors: readonly string[];
  loadRadios?: LoadBleRadios;
  /** How long a radio may take to power on before it is reported missing. */
  powerOnTimeoutMs?: number;
}

const POWER_ON_TIMEOUT_MS = 5000;
const MAX_CANDIDATES = 256;
/** A discovered sensor not heard for this long is dropped from the list. */
const FORGET_AFTER_MS = 60_000;

interface Candidate {
  sensorId: string;
  /** The peripheral as each radio that heard it knows it. */
  heardBy: Map<string, BlePeripheralLike>;
  status: DeviceStatus;
  link?: BleSensorLink;
}

const normaliseAddress = (text: string) => text.toLowerCase().replace(/-/g, ':');

export function bleSensorId(peripheral: BlePeripheralLike): string {
  return `ble-${normaliseAddress(peripheral.address || peripheral.id).replace(/[^a-z0-9_.:-]/g, '')}`.slice(0, 64);
}

export class BleAdapter implements SensorAdapter {
  readonly manifest: AdapterManifest;
  readonly #options: BleAdapterOptions;
  readonly #listed: Set<string>;
  #radios: NamedRadio[] = [];
  readonly #powered = new Set<string>();
  readonly #candidates = new Map<string, Candidate>();
  readonly #retired: BleLinkCounters = { badPayloads: 0, noContact: 0, rscMeasurements: 0, reconnects: 0 };
  #context: AdapterContext | undefined;
  #state: AdapterStatus['state'] = 'stopped';
  #detail: string | undefined;
  #saidUnavailable = false;

  constructor(options: BleAdapterOptions) {
    this.#options = options;
    this.#listed = new Set(options.sensors.map(normaliseAddress));
    this.manifest = { id: options.id ?? 'ble', transport: 'ble', capabilities: ['hr', 'rr', 'battery', 'rssi', 'running-speed'], version: BRIDGE_VERSION, discovery: 'radio-scan' };
  }

  async start(context: AdapterContext): Promise<void> {
    if (this.#state !== 'stopped') return;
    this.#state = 'starting';
    this.#context = context;
    const load = await (this.#options.loadRadios ?? loadNobleRadios)(this.#options.hciDevices);
    if ('missing' in load) {
      this.#unavailable(`${load.missing}; BLE sensors are not read`);
      return;
    }
    this.#radios = load.radios;
    for (const { name, radio } of this.#radios) {
      radio.on('stateChange', (state) => void this.#radioState(name, state));
      radio.on('discover', (peripheral) => this.#discovered(name, peripheral));
    }
    await this.#waitForPower();
    for (const { name, radio } of this.#radios) if (radio.state === 'poweredOn') await this.#radioState(name, 'poweredOn');
    if (this.#powered.size === 0) {
      const states = this.#radios.map(({ name, radio }) => `${name} ${radio.state}`);
      this.#unavailable(`no Bluetooth adapter is usable (${[...states, ...load.problems].join('; ') || 'none found'}); plug one in or check that bluetoothd does not hold it`);
    } else {
      this.#state = 'running';
    }
  }

  async stop(): Promise<void> {
    for (const { radio } of this.#radios) {
      radio.removeAllListeners('discover');
      radio.removeAllListeners('stateChange');
      await radio.stopScanningAsync().catch(() => {});
      radio.stop?.();
    }
    for (const candidate of this.#candidates.values()) if (candidate.link) await this.#release(candidate);
    this.#candidates.clear();
    this.#powered.clear();
    this.#radios = [];
    this.#state = 'stopped';
  }

  status(): AdapterStatus {
    const now = this.#context?.now() ?? Date.now();
    const counters: Record<string, number> = { ...this.#retired, radios: this.#radios.length, poweredRadios: this.#powered.size, connections: 0 };
    const devices: DeviceStatus[] = [];
    for (const [key, candidate] of this.#candidates) {
      if (candidate.link) {
        candidate.link.refresh(now);
        if (candidate.link.connected) counters.connections!++;
        for (const [name, value] of Object.entries(candidate.link.counters)) counters[name] = (counters[name] ?? 0) + value;
        devices.push({ ...candidate.link.status });
      } else if (now - (candidate.status.lastSeenAt ?? 0) > FORGET_AFTER_MS) {
        this.#candidates.delete(key);
      } else {
        devices.push({ ...candidate.status });
      }
    }
    const status: AdapterStatus = { id: this.manifest.id, transport: 'ble', state: this.#state, devices, counters };
    status.detail = this.#detail ?? `${this.#powered.size} of ${this.#radios.length} Bluetooth adapter(s) scanning: ${this.#radios.map((r) => r.name).join(', ')}`;
    return status;
  }

  #unavailable(detail: string): void {
    this.#state = 'unavailable';
    this.#detail = detail;
    // Said once: the bridge keeps running its other adapters and this one keeps listening.
    if (!this.#saidUnavailable) this.#context?.log('warn', `${this.manifest.id}: ${detail}`);
    this.#saidUnavailable = true;
  }

  #waitForPower(): Promise<void> {
    if (this.#radios.every(({ radio }) => radio.state !== 'unknown' && radio.state !== 'resetting')) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.#options.powerOnTimeoutMs ?? POWER_ON_TIMEOUT_MS);
      for (const { radio } of this.#radios) {
        radio.on('stateChange', () => {
          if (this.#radios.every(({ radio: r }) => r.state !== 'unknown' && r.state !== 'resetting')) {
            clearTimeout(timer);
            resolve();
          }
        });
      }
    });
  }

  async #radioState(name: string, state: string): Promise<void> {
    const radio = this.#radios.find((r) => r.name === name)?.radio;
    if (!radio || this.#state === 'stopped') return;
    if (state !== 'poweredOn') {
      if (this.#powered.delete(name)) this.#context?.log('warn', `${this.manifest.id}: Bluetooth adapter ${name} is ${state}`);
      if (this.#powered.size === 0 && this.#state === 'running') this.#unavailable(`no Bluetooth adapter is usable (${name} ${state})`);
      return;
    }
    if (this.#powered.has(name)) return;
    this.#powered.add(name);
    try {
      await radio.startScanningAsync([BLE_UUID.heartRateService, BLE_UUID.runningSpeedService], true);
    } catch (err) {
      this.#powered.delete(name);
      this.#context?.log('warn', `${this.manifest.id}: ${name} cannot scan: ${(err as Error).message}`);
      return;
    }
    if (this.#state === 'unavailable') {
      this.#state = 'running';
      this.#detail = undefined;
      this.#context?.log('info', `${this.manifest.id}: Bluetooth adapter ${name} is scanning`);
    }
  }

  #discovered(radioName: string, peripheral: BlePeripheralLike): void {
    const context = this.#context;
    if (!context || this.#state === 'stopped') return;
    const services = (peripheral.advertisement.serviceUuids ?? []).map(shortUuid);
    if (!services.includes(BLE_UUID.heartRateService) && !services.includes(BLE_UUID.runningSpeedService)) return;
    const sensorId = bleSensorId(peripheral);
    let candidate = this.#candidates.get(sensorId);
    if (!candidate) {
      if (this.#candidates.size >= MAX_CANDIDATES) return;
      candidate = { sensorId, heardBy: new Map(), status: { sensorId, state: 'discovered', readings: 0, rejected: 0 } };
      this.#candidates.set(sensorId, candidate);
    }
    candidate.heardBy.set(radioName, peripheral);
    const status = candidate.status;
    status.lastSeenAt = context.now();
    status.rssi = peripheral.rssi;
    status.via = radioName;
    if (peripheral.advertisement.localName) status.name = peripheral.advertisement.localName;
    if (candidate.link || !this.#wanted(peripheral)) return;
    this.#assign(candidate);
  }

  #wanted(peripheral: BlePeripheralLike): boolean {
    if (this.#options.connect === 'all') return true;
    return this.#listed.has(normaliseAddress(peripheral.address)) || this.#listed.has(normaliseAddress(peripheral.id));
  }

  /** Connects through the radio with the fewest links that heard the sensor, strongest signal first on a tie. */
  #assign(candidate: Candidate): void {
    const load = new Map<string, number>(this.#radios.map(({ name }) => [name, 0]));
    for (const other of this.#candidates.values()) if (other.link) load.set(other.link.radio, (load.get(other.link.radio) ?? 0) + 1);
    const choices = [...candidate.heardBy.entries()]
      .filter(([radio]) => this.#powered.has(radio) && (load.get(radio) ?? 0) < this.#options.maxConnectionsPerAdapter)
      .sort(([a, pa], [b, pb]) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || pb.rssi - pa.rssi);
    const choice = choices[0];
    if (!choice) {
      candidate.status.problem = `every Bluetooth adapter already holds ${this.#options.maxConnectionsPerAdapter} connections; add an adapter (ble.hciDevices)`;
      return;
    }
    const [radio, peripheral] = choice;
    candidate.link = new BleSensorLink(candidate.sensorId, peripheral, radio, this.#context!);
    void candidate.link.connect();
  }

  async #release(candidate: Candidate): Promise<void> {
    const link = candidate.link!;
    candidate.link = undefined;
    for (const [name, value] of Object.entries(link.counters)) this.#retired[name as keyof BleLinkCounters] += value;
    await link.close();
  }
}
