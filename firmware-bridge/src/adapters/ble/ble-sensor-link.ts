/**
 * One connected BLE sensor, owned by one coordinator: connect, find Heart Rate (0x180D), Running
 * Speed and Cadence (0x1814) and Battery (0x180F), subscribe to their notifications, decode every
 * value with core, poll RSSI, and after a drop reconnect with backoff. Errors become the link's
 * state; nothing is thrown at the adapter.
 */
import { decodeBleBatteryLevel, decodeBleHeartRate, decodeBleRsc, isTouchlineError } from '@touchline/core/metrics';
import type { AdapterContext, DeviceStatus } from '../../adapter.ts';
import { Backoff } from '../backoff.ts';
import type { BleCharacteristicLike, BlePeripheralLike } from './ble-radio.ts';

export const BLE_UUID = {
  heartRateService: '180d',
  runningSpeedService: '1814',
  batteryService: '180f',
  heartRateMeasurement: '2a37',
  rscMeasurement: '2a53',
  batteryLevel: '2a19',
} as const;

const CONNECT_TIMEOUT_MS = 10_000;
const RSSI_EVERY_MS = 5000;
const BATTERY_READ_EVERY_MS = 600_000;
const SILENT_AFTER_MS = 5000;

export interface BleLinkCounters {
  badPayloads: number;
  noContact: number;
  rscMeasurements: number;
  reconnects: number;
}

/** Normalises "2A37", "00002a37-0000-1000-8000-00805f9b34fb" and "2a37" to "2a37". */
export function shortUuid(uuid: string): string {
  const lower = uuid.toLowerCase().replace(/-/g, '');
  return lower.length === 32 && lower.endsWith('00001000800000805f9b34fb') ? lower.slice(4, 8) : lower;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class BleSensorLink {
  readonly status: DeviceStatus;
  readonly radio: string;
  readonly counters: BleLinkCounters = { badPayloads: 0, noContact: 0, rscMeasurements: 0, reconnects: 0 };
  readonly #peripheral: BlePeripheralLike;
  readonly #context: AdapterContext;
  readonly #backoff = new Backoff(1000, 30_000);
  #characteristics: BleCharacteristicLike[] = [];
  #battery: BleCharacteristicLike | undefined;
  #timers: NodeJS.Timeout[] = [];
  #retry: NodeJS.Timeout | undefined;
  #lastBatteryReadAt = 0;
  #stopped = false;
  #connected = false;

  constructor(sensorId: string, peripheral: BlePeripheralLike, radio: string, context: AdapterContext) {
    this.#peripheral = peripheral;
    this.#context = context;
    this.radio = radio;
    this.status = { sensorId, state: 'connecting', via: radio, readings: 0, rejected: 0, rssi: peripheral.rssi };
    if (peripheral.advertisement.localName) this.status.name = peripheral.advertisement.localName;
  }

  get connected(): boolean {
    return this.#connected;
  }

  async connect(): Promise<void> {
    if (this.#stopped) return;
    this.status.state = this.counters.reconnects > 0 ? 'reconnecting' : 'connecting';
    const peripheral = this.#peripheral;
    try {
      await withTimeout(peripheral.connectAsync(), CONNECT_TIMEOUT_MS, 'connecting');
      if (this.#stopped) return void (await peripheral.disconnectAsync().catch(() => {}));
      peripheral.once('disconnect', () => this.#dropped('the sensor disconnected (out of range, or switched off)'));
      const { characteristics } = await withTimeout(
        peripheral.discoverSomeServicesAndCharacteristicsAsync(
          [BLE_UUID.heartRateService, BLE_UUID.runningSpeedService, BLE_UUID.batteryService],
          [BLE_UUID.heartRateMeasurement, BLE_UUID.rscMeasurement, BLE_UUID.batteryLevel],
        ),
        CONNECT_TIMEOUT_MS,
        'service discovery',
      );
      this.#characteristics = characteristics;
      for (const characteristic of characteristics) await this.#use(characteristic);
      if (!characteristics.some((c) => [BLE_UUID.heartRateMeasurement, BLE_UUID.rscMeasurement].includes(shortUuid(c.uuid) as never))) {
        throw new Error('it offers neither Heart Rate nor Running Speed and Cadence measurements');
      }
      this.#connected = true;
      this.#backoff.reset();
      this.status.problem = undefined;
      this.status.state = 'silent';
      this.#timers.push(setInterval(() => void this.#poll(), RSSI_EVERY_MS));
      for (const timer of this.#timers) timer.unref();
    } catch (err) {
      this.#dropped(`cannot connect: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    this.#stopped = true;
    this.#clear();
    clearTimeout(this.#retry);
    this.#peripheral.removeAllListeners('disconnect');
    if (this.#connected) await this.#peripheral.disconnectAsync().catch(() => {});
    this.#connected = false;
  }

  /** The device's state as of `now`: streaming only while notifications keep coming. */
  refresh(now: number): void {
    if (this.#connected && this.status.lastSeenAt !== undefined) this.status.state = now - this.status.lastSeenAt <= SILENT_AFTER_MS ? 'streaming' : 'silent';
  }

  async #use(characteristic: BleCharacteristicLike): Promise<void> {
    const uuid = shortUuid(characteristic.uuid);
    characteristic.removeAllListeners('data');
    if (uuid === BLE_UUID.batteryLevel) {
      this.#battery = characteristic;
      await this.#readBattery();
      if (characteristic.properties.includes('notify')) {
        characteristic.on('data', (data) => this.#batteryValue(data));
        await characteristic.subscribeAsync();
      }
      return;
    }
    if (uuid === BLE_UUID.heartRateMeasurement) characteristic.on('data', (data) => this.#heartRate(data));
    else if (uuid === BLE_UUID.rscMeasurement) characteristic.on('data', (data) => this.#rsc(data));
    else return;
    await characteristic.subscribeAsync();
  }

  #heartRate(data: Uint8Array): void {
    const now = this.#context.now();
    this.#seen(now);
    let measurement;
    try {
      measurement = decodeBleHeartRate(data);
    } catch (err) {
      if (!isTouchlineError(err)) throw err;
      this.#reject(err.message);
      this.counters.badPayloads++;
      return;
    }
    if (measurement.sensorContact === 'not-detected') {
      // The strap is powered but not worn (or dry): its number is not a heart rate.
      this.counters.noContact++;
      this.status.problem = 'no skin contact: moisten the strap electrodes and check the fit';
      return;
    }
    const verdict = this.#context.publish({
      sensorId: this.status.sensorId,
      stream: 'hr',
      t: now,
      bpm: measurement.bpm,
      ...(measurement.rr.length > 0 ? { rr: measurement.rr } : {}),
    });
    if (verdict.accepted) this.status.readings++;
    else this.#reject(verdict.message);
  }

  #rsc(data: Uint8Array): void {
    this.#seen(this.#context.now());
    try {
      decodeBleRsc(data);
      // The ingest contract has no stream for foot-pod speed and cadence yet; decoded to check the pod works.
      this.counters.rscMeasurements++;
    } catch (err) {
      if (!isTouchlineError(err)) throw err;
      this.counters.badPayloads++;
      this.#reject(err.message);
    }
  }

  async #readBattery(): Promise<void> {
    if (!this.#battery) return;
    this.#lastBatteryReadAt = this.#context.now();
    try {
      this.#batteryValue(await this.#battery.readAsync());
    } catch (err) {
      this.status.problem = `cannot read the battery level: ${(err as Error).message}`;
    }
  }

  #batteryValue(data: Uint8Array): void {
    let percent;
    try {
      percent = decodeBleBatteryLevel(data).percent;
    } catch (err) {
      if (!isTouchlineError(err)) throw err;
      this.counters.badPayloads++;
      this.#reject(err.message);
      return;
    }
    this.status.batteryPct = percent;
    const verdict = this.#context.publish({ sensorId: this.status.sensorId, stream: 'battery', t: this.#context.now(), pct: percent });
    if (!verdict.accepted) this.#reject(verdict.message);
  }

  async #poll(): Promise<void> {
    if (!this.#connected) return;
    try {
      this.status.rssi = await this.#peripheral.updateRssiAsync();
    } catch {
      // RSSI is best effort; a dead link shows up as a disconnect
    }
    if (this.#battery && !this.#battery.properties.includes('notify') && this.#context.now() - this.#lastBatteryReadAt >= BATTERY_READ_EVERY_MS) await this.#readBattery();
  }

  #seen(now: number): void {
    this.status.lastSeenAt = now;
    if (this.#connected) this.status.state = 'streaming';
  }

  #reject(message: string): void {
    this.status.rejected++;
    this.status.problem = message;
  }

  #clear(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    for (const characteristic of this.#characteristics) characteristic.removeAllListeners('data');
    this.#characteristics = [];
    this.#battery = undefined;
  }

  #dropped(problem: string): void {
    if (this.#stopped) return;
    const wasConnected = this.#connected;
    this.#connected = false;
    this.#clear();
    this.#peripheral.removeAllListeners('disconnect');
    if (!wasConnected) void this.#peripheral.disconnectAsync().catch(() => {});
    this.status.state = 'reconnecting';
    this.status.problem = problem;
    this.counters.reconnects++;
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => void this.connect(), this.#backoff.next());
    this.#retry.unref();
  }
}
