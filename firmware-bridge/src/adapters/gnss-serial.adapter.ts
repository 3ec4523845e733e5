/**
 * GNSS pods on serial ports (u-blox and other NMEA 0183 receivers, up to 10 Hz and beyond): one
 * coordinator per port reads the byte stream into core's NmeaFixStream (line splitting, checksums,
 * joining GGA and RMC of one epoch) and publishes each fix. A port that disappears is reopened
 * with backoff; noise is counted, never fatal.
 */
import { basename } from 'node:path';
import { NmeaFixStream } from '@touchline/core/metrics';
import type { AdapterContext, AdapterManifest, AdapterStatus, DeviceStatus, SensorAdapter } from '../adapter.ts';
import { loadSerialDriver, type SerialDriverLoad, type SerialLink } from '../serial/serial-port.ts';
import { Backoff } from './backoff.ts';
import { BRIDGE_VERSION } from '../version.ts';

export interface GnssPodConfig {
  path: string;
  sensorId?: string;
  baudRate: number;
}

export interface GnssSerialAdapterOptions {
  id?: string;
  pods: readonly GnssPodConfig[];
  /** Which serial driver to use; by default `serialport` when installed, else node:fs. */
  loadDriver?: () => Promise<SerialDriverLoad>;
}

/** A pod with no fix for this long shows as silent (no sky, or no data). */
const SILENT_AFTER_MS = 3000;

const DAY_MS = 86_400_000;

export function podSensorIdFor(path: string): string {
  return `gnss-${basename(path).replace(/[^A-Za-z0-9_.:-]/g, '_')}`.slice(0, 64);
}

class GnssPod {
  readonly sensorId: string;
  readonly config: GnssPodConfig;
  readonly #context: AdapterContext;
  readonly #driver: SerialDriverLoad['driver'];
  readonly #backoff = new Backoff(1000, 30_000);
  #link: SerialLink | undefined;
  #nmea: NmeaFixStream | undefined;
  #timer: NodeJS.Timeout | undefined;
  #opened = false;
  #stopped = false;
  readonly status: DeviceStatus;
  readonly counters = { checksumErrors: 0, malformedSentences: 0, noFixEpochs: 0, discardedChars: 0, reopens: 0 };

  constructor(config: GnssPodConfig, context: AdapterContext, driver: SerialDriverLoad['driver']) {
    this.config = config;
    this.sensorId = config.sensorId ?? podSensorIdFor(config.path);
    this.#context = context;
    this.#driver = driver;
    this.status = { sensorId: this.sensorId, state: 'connecting', via: config.path, readings: 0, rejected: 0 };
  }

  async open(): Promise<void> {
    if (this.#stopped) return;
    this.status.state = 'connecting';
    try {
      this.#link = await this.#driver.open(this.config.path, this.config.baudRate);
    } catch (err) {
      this.#lost(`cannot open ${this.config.path}: ${(err as Error).message}`);
      return;
    }
    if (this.#stopped) {
      await this.#link.close();
      return;
    }
    this.#opened = true;
    this.#backoff.reset();
    const now = this.#context.now();
    // Dates epochs of receivers that send GGA but no RMC.
    this.#nmea = new NmeaFixStream({ dayStartMs: now - (now % DAY_MS) });
    this.#link.onData((chunk) => this.#read(chunk));
    this.#link.onClose((reason) => this.#lost(`${this.config.path}: ${reason}`));
  }

  async close(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#absorbStats();
    await this.#link?.close();
    this.#link = undefined;
  }

  refresh(now: number): void {
    if (!this.#opened) return;
    const last = this.status.lastSeenAt;
    this.status.state = last !== undefined && now - last <= SILENT_AFTER_MS ? 'streaming' : 'silent';
  }

  #read(chunk: Uint8Array): void {
    const nmea = this.#nmea!;
    const before = { ...nmea.stats };
    for (const fix of nmea.push(chunk)) {
      const reading = { sensorId: this.sensorId, stream: 'gnss' as const, t: fix.t, lat: fix.lat, lon: fix.lon };
      const verdict = this.#context.publish({
        ...reading,
        ...(fix.speed !== undefined ? { speed: Math.round(fix.speed * 1000) / 1000 } : {}),
        ...(fix.hdop !== undefined ? { hdop: fix.hdop } : {}),
        ...(fix.sats !== undefined ? { sats: fix.sats } : {}),
      });
      if (verdict.accepted) {
        this.status.readings++;
        this.status.lastSeenAt = this.#context.now();
        this.status.state = 'streaming';
      } else {
        this.status.rejected++;
        this.status.problem = verdict.message;
      }
    }
    const bad = nmea.stats.checksumErrors - before.checksumErrors + nmea.stats.malformed - before.malformed;
    if (bad > 0) {
      this.status.rejected += bad;
      this.status.problem = `${nmea.stats.checksumErrors} NMEA checksum errors and ${nmea.stats.malformed} malformed sentences so far; check the baud rate`;
    }
  }

  #absorbStats(): void {
    const nmea = this.#nmea;
    if (!nmea) return;
    this.counters.checksumErrors += nmea.stats.checksumErrors;
    this.counters.malformedSentences += nmea.stats.malformed;
    this.counters.noFixEpochs += nmea.stats.noFix;
    this.counters.discardedChars += nmea.splitter.stats.discardedChars;
    this.#nmea = undefined;
  }

  liveCounters(): Record<string, number> {
    const nmea = this.#nmea;
    return {
      checksumErrors: this.counters.checksumErrors + (nmea?.stats.checksumErrors ?? 0),
      malformedSentences: this.counters.malformedSentences + (nmea?.stats.malformed ?? 0),
      noFixEpochs: this.counters.noFixEpochs + (nmea?.stats.noFix ?? 0),
      discardedChars: this.counters.discardedChars + (nmea?.splitter.stats.discardedChars ?? 0),
      reopens: this.counters.reopens,
    };
  }

  #lost(problem: string): void {
    if (this.#stopped) return;
    this.#opened = false;
    this.#absorbStats();
    this.#link = undefined;
    this.status.state = 'reconnecting';
    this.status.problem = problem;
    this.counters.reopens++;
    this.#timer = setTimeout(() => void this.open(), this.#backoff.next());
    this.#timer.unref();
  }
}

export class GnssSerialAdapter implements SensorAdapter {
  readonly manifest: AdapterManifest;
  readonly #options: GnssSerialAdapterOptions;
  #pods: GnssPod[] = [];
  #state: AdapterStatus['state'] = 'stopped';
  #detail: string | undefined;
  #context: AdapterContext | undefined;

  constructor(options: GnssSerialAdapterOptions) {
    this.#options = options;
    this.manifest = { id: options.id ?? 'gnss', transport: 'serial-gnss', capabilities: ['gnss'], version: BRIDGE_VERSION, discovery: 'configured-ports' };
  }

  async start(context: AdapterContext): Promise<void> {
    if (this.#state !== 'stopped') return;
    this.#state = 'starting';
    this.#context = context;
    const load = await (this.#options.loadDriver ?? loadSerialDriver)();
    if (load.missing) {
      this.#detail = load.missing;
      context.log('warn', `${this.manifest.id}: ${load.missing}`);
    } else {
      this.#detail = `${this.#options.pods.length} pod(s) via ${load.driver.name}`;
    }
    this.#pods = this.#options.pods.map((pod) => new GnssPod(pod, context, load.driver));
    await Promise.all(this.#pods.map((pod) => pod.open()));
    this.#state = 'running';
  }

  async stop(): Promise<void> {
    await Promise.all(this.#pods.map((pod) => pod.close()));
    this.#state = 'stopped';
  }

  status(): AdapterStatus {
    const now = this.#context?.now() ?? Date.now();
    const counters: Record<string, number> = {};
    for (const pod of this.#pods) {
      pod.refresh(now);
      for (const [name, value] of Object.entries(pod.liveCounters())) counters[name] = (counters[name] ?? 0) + value;
    }
    const status: AdapterStatus = {
      id: this.manifest.id,
      transport: this.manifest.transport,
      state: this.#state,
      devices: this.#pods.map((pod) => ({ ...pod.status })),
      counters,
    };
    if (this.#detail) status.detail = this.#detail;
    return status;
  }
}
