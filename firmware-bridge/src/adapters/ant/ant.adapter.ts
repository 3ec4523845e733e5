/**
 * ANT+ heart-rate straps through Garmin/Dynastream USB sticks. Sticks are found by USB id (and by
 * any paths the configuration lists), each run by its own AntStick in scan mode. A strap heard by
 * several sticks is published from one of them only, its owner, until the owner stops hearing it.
 */
import { antDeviceKey, type AntHeartRateEvent } from '@touchline/core/metrics';
import type { AdapterContext, AdapterManifest, AdapterStatus, DeviceStatus, SensorAdapter } from '../../adapter.ts';
import { loadSerialDriver, type SerialDriver, type SerialDriverLoad } from '../../serial/serial-port.ts';
import { Backoff } from '../backoff.ts';
import { BRIDGE_VERSION } from '../../version.ts';
import { AntStick, type AntStickCounters } from './ant-stick.ts';

export interface AntAdapterOptions {
  id?: string;
  /** The 8-byte network key, from configuration. */
  networkKey: Uint8Array;
  /** "vvvv:pppp" USB ids of sticks to use. */
  usbIds: readonly string[];
  /** Paths to open whatever their USB id. */
  ports?: readonly string[];
  baudRate: number;
  loadDriver?: () => Promise<SerialDriverLoad>;
  replyTimeoutMs?: number;
}

/** How often to look for sticks plugged in since. */
const RESCAN_INTERVAL_MS = 5000;
/** A strap unheard this long shows as silent, and another stick may take it over. */
const SILENT_AFTER_MS = 3000;
/** Heart rate is published with every new beat, and at least this often while the count stands still. */
const HR_KEEPALIVE_MS = 1000;
const BATTERY_EVERY_MS = 60_000;
/** Bounds the strap table, so a noisy frequency cannot grow memory. */
const MAX_DEVICES = 256;

interface Strap {
  status: DeviceStatus;
  owner: string;
  lastHeardAt: number;
  lastHrAt: number;
  lastBatteryAt: number;
  lastBatteryPct: number | undefined;
}

interface StickEntry {
  stick?: AntStick;
  backoff: Backoff;
  retryAt: number;
  problem?: string;
}

export function antSensorId(event: AntHeartRateEvent): string {
  return `ant-${event.channelId ? antDeviceKey(event.channelId) : event.deviceKey}`;
}

export class AntAdapter implements SensorAdapter {
  readonly manifest: AdapterManifest;
  readonly #options: AntAdapterOptions;
  readonly #sticks = new Map<string, StickEntry>();
  readonly #straps = new Map<string, Strap>();
  readonly #retired: AntStickCounters = { corruptFrames: 0, discardedBytes: 0, paddingBytes: 0, badMessages: 0, rfEvents: 0, serialErrors: 0, commandRetries: 0, unattributed: 0 };
  #driver: SerialDriver | undefined;
  #context: AdapterContext | undefined;
  #state: AdapterStatus['state'] = 'stopped';
  #detail: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #scanning: Promise<void> | undefined;
  #rejected = 0;

  constructor(options: AntAdapterOptions) {
    this.#options = options;
    this.manifest = { id: options.id ?? 'ant', transport: 'ant', capabilities: ['hr', 'rr', 'battery', 'rssi'], version: BRIDGE_VERSION, discovery: 'usb-id' };
  }

  async start(context: AdapterContext): Promise<void> {
    if (this.#state !== 'stopped') return;
    this.#state = 'starting';
    this.#context = context;
    const load = await (this.#options.loadDriver ?? loadSerialDriver)();
    this.#driver = load.driver;
    if (load.missing && (this.#options.ports ?? []).length === 0) {
      this.#state = 'unavailable';
      this.#detail = `${load.missing}; list the sticks' paths under adapters.ant.ports or install serialport`;
      context.log('warn', `${this.manifest.id}: ${this.#detail}`);
      return;
    }
    if (load.missing) context.log('warn', `${this.manifest.id}: ${load.missing}`);
    this.#state = 'running';
    await this.#discover();
    this.#timer = setInterval(() => {
      this.#scanning ??= this.#discover().finally(() => (this.#scanning = undefined));
    }, RESCAN_INTERVAL_MS);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#scanning;
    for (const [path, entry] of this.#sticks) {
      if (entry.stick) await this.#retire(path, entry);
    }
    this.#sticks.clear();
    this.#state = 'stopped';
  }

  status(): AdapterStatus {
    const now = this.#context?.now() ?? Date.now();
    const counters: Record<string, number> = { ...this.#retired, sticks: 0, scanningSticks: 0 };
    const sticks: string[] = [];
    for (const [path, entry] of this.#sticks) {
      const stick = entry.stick;
      counters.sticks!++;
      if (stick?.state === 'scanning') counters.scanningSticks!++;
      if (stick) for (const [name, value] of Object.entries(stick.counters)) counters[name] = (counters[name] ?? 0) + value;
      sticks.push(`${path} (${stick?.state ?? `waiting to retry: ${entry.problem ?? 'not opened'}`})`);
    }
    counters.rejectedReadings = this.#rejected;
    const devices = [...this.#straps.values()].map((strap) => {
      const status = { ...strap.status };
      if (status.state === 'streaming' && now - strap.lastHeardAt > SILENT_AFTER_MS) status.state = 'silent';
      return status;
    });
    const status: AdapterStatus = { id: this.manifest.id, transport: 'ant', state: this.#state, devices, counters };
    const detail = this.#detail ?? (sticks.length > 0 ? `sticks: ${sticks.join(', ')}` : `no ANT stick found (USB ids ${this.#options.usbIds.join(', ')}); plug one in`);
    status.detail = detail;
    return status;
  }

  async #discover(): Promise<void> {
    const driver = this.#driver!;
    const wanted = new Set(this.#options.usbIds.map((id) => id.toLowerCase()));
    let paths = [...(this.#options.ports ?? [])];
    try {
      const found = await driver.list();
      paths = [...new Set([...paths, ...found.filter((port) => wanted.has(`${port.vendorId}:${port.productId}`.toLowerCase())).map((port) => port.path)])];
    } catch (err) {
      this.#detail = `cannot list serial ports: ${(err as Error).message}`;
    }
    const now = this.#context!.now();
    for (const path of paths) {
      let entry = this.#sticks.get(path);
      if (!entry) {
        entry = { backoff: new Backoff(2000, 60_000), retryAt: 0 };
        this.#sticks.set(path, entry);
      }
      if (entry.stick || now < entry.retryAt || this.#state !== 'running') continue;
      await this.#open(path, entry);
    }
  }

  async #open(path: string, entry: StickEntry): Promise<void> {
    const context = this.#context!;
    let link;
    try {
      link = await this.#driver!.open(path, this.#options.baudRate);
    } catch (err) {
      this.#failed(entry, `cannot open ${path}: ${(err as Error).message}`);
      return;
    }
    const stick = new AntStick({
      link,
      networkKey: this.#options.networkKey,
      now: context.now,
      onHeartRate: (event, rssi) => this.#heartRate(path, event, rssi),
      onFailure: (problem) => {
        if (entry.stick !== stick) return;
        void this.#retire(path, entry).then(() => this.#failed(entry, problem));
      },
      ...(this.#options.replyTimeoutMs ? { replyTimeoutMs: this.#options.replyTimeoutMs } : {}),
    });
    entry.stick = stick;
    try {
      await stick.start();
      entry.backoff.reset();
      entry.problem = undefined;
      context.log('info', `${this.manifest.id}: stick ${path} is scanning for ANT+ heart-rate straps`);
    } catch (err) {
      if (entry.stick === stick) await this.#retire(path, entry);
      this.#failed(entry, (err as Error).message);
    }
  }

  #failed(entry: StickEntry, problem: string): void {
    entry.problem = problem;
    entry.retryAt = this.#context!.now() + entry.backoff.next();
    this.#context!.log('warn', `${this.manifest.id}: ${problem}`);
  }

  async #retire(path: string, entry: StickEntry): Promise<void> {
    const stick = entry.stick;
    if (!stick) return;
    entry.stick = undefined;
    for (const [name, value] of Object.entries(stick.counters)) this.#retired[name as keyof AntStickCounters] += value;
    await stick.close();
    for (const strap of this.#straps.values()) if (strap.owner === path && strap.status.state === 'streaming') strap.status.state = 'silent';
  }

  #heartRate(path: string, event: AntHeartRateEvent, rssi: number | undefined): void {
    const context = this.#context!;
    const now = context.now();
    const sensorId = antSensorId(event);
    let strap = this.#straps.get(sensorId);
    if (!strap) {
      if (this.#straps.size >= MAX_DEVICES) this.#forgetOldest();
      strap = {
        status: { sensorId, name: 'ANT+ heart-rate strap', state: 'streaming', readings: 0, rejected: 0 },
        owner: path,
        lastHeardAt: now,
        lastHrAt: 0,
        lastBatteryAt: 0,
        lastBatteryPct: undefined,
      };
      this.#straps.set(sensorId, strap);
    } else if (strap.owner !== path) {
      if (now - strap.lastHeardAt <= SILENT_AFTER_MS) return;
      strap.owner = path;
    }
    strap.lastHeardAt = now;
    const status = strap.status;
    status.state = 'streaming';
    status.via = path;
    status.lastSeenAt = now;
    if (rssi !== undefined) status.rssi = rssi;
    const { reading } = event;
    if (reading.newBeats > 0 || now - strap.lastHrAt >= HR_KEEPALIVE_MS) {
      strap.lastHrAt = now;
      this.#publish(strap, { sensorId, stream: 'hr', t: now, bpm: reading.bpm, ...(reading.rr.length > 0 ? { rr: reading.rr } : {}) });
    }
    const battery = this.#batteryOf(event);
    if (battery !== undefined) {
      status.batteryPct = battery;
      if (battery !== strap.lastBatteryPct || now - strap.lastBatteryAt >= BATTERY_EVERY_MS) {
        strap.lastBatteryPct = battery;
        strap.lastBatteryAt = now;
        this.#publish(strap, { sensorId, stream: 'battery', t: now, pct: battery });
      }
    }
  }

  #batteryOf(event: AntHeartRateEvent): number | undefined {
    const page = event.reading.page;
    return page?.page === 'battery' ? page.levelPct : undefined;
  }

  #publish(strap: Strap, reading: Parameters<AdapterContext['publish']>[0]): void {
    const verdict = this.#context!.publish(reading);
    if (verdict.accepted) {
      strap.status.readings++;
      return;
    }
    strap.status.rejected++;
    strap.status.problem = verdict.message;
    this.#rejected++;
  }

  #forgetOldest(): void {
    let oldest: string | undefined;
    let at = Infinity;
    for (const [id, strap] of this.#straps) {
      if (strap.lastHeardAt < at) {
        at = strap.lastHeardAt;
        oldest = id;
      }
    }
    if (oldest) this.#straps.delete(oldest);
  }
}
