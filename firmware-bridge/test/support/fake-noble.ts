/**
 * A fake of the slice of @stoprocent/noble the BLE adapter uses: radios that power on (or not),
 * advertise peripherals, and peripherals whose characteristics replay notification bytes, drop the
 * link and come back, so the adapter is tested on the bytes of the reference vectors.
 */
import { EventEmitter } from 'node:events';
import type { BleCharacteristicLike, BlePeripheralLike, BleRadioLike, LoadBleRadios } from '../../src/adapters/ble/ble-radio.ts';

export class FakeCharacteristic extends EventEmitter implements BleCharacteristicLike {
  readonly uuid: string;
  readonly properties: string[];
  value: Uint8Array;
  subscribed = false;

  constructor(uuid: string, properties: string[], value = new Uint8Array(0)) {
    super();
    this.uuid = uuid;
    this.properties = properties;
    this.value = value;
  }

  async readAsync(): Promise<Uint8Array> {
    return this.value;
  }

  async subscribeAsync(): Promise<void> {
    this.subscribed = true;
  }

  notify(bytes: Uint8Array): void {
    this.emit('data', Buffer.from(bytes), true);
  }
}

export interface FakePeripheralOptions {
  address: string;
  localName?: string;
  rssi?: number;
  services?: string[];
  characteristics?: FakeCharacteristic[];
  /** Connection attempts that fail before one succeeds. */
  failConnects?: number;
}

export class FakePeripheral extends EventEmitter implements BlePeripheralLike {
  readonly id: string;
  readonly address: string;
  rssi: number;
  readonly advertisement: { localName?: string; serviceUuids?: string[] };
  readonly characteristics: FakeCharacteristic[];
  connected = false;
  connects = 0;
  #failConnects: number;

  constructor(options: FakePeripheralOptions) {
    super();
    this.address = options.address;
    this.id = options.address.replace(/:/g, '');
    this.rssi = options.rssi ?? -60;
    this.advertisement = { serviceUuids: options.services ?? ['180d'], ...(options.localName ? { localName: options.localName } : {}) };
    this.characteristics = options.characteristics ?? [];
    this.#failConnects = options.failConnects ?? 0;
  }

  async connectAsync(): Promise<void> {
    this.connects++;
    if (this.#failConnects > 0) {
      this.#failConnects--;
      throw new Error('connection failed to be established');
    }
    this.connected = true;
  }

  async disconnectAsync(): Promise<void> {
    this.connected = false;
  }

  async updateRssiAsync(): Promise<number> {
    return this.rssi;
  }

  async discoverSomeServicesAndCharacteristicsAsync(): Promise<{ characteristics: BleCharacteristicLike[] }> {
    return { characteristics: this.characteristics };
  }

  /** The link drops, as when a player walks out of range. */
  drop(): void {
    this.connected = false;
    this.emit('disconnect', 0x08);
  }

  characteristic(uuid: string): FakeCharacteristic {
    return this.characteristics.find((c) => c.uuid === uuid)!;
  }
}

export class FakeRadio extends EventEmitter implements BleRadioLike {
  state: string;
  scanning = false;
  scanFilter: string[] | undefined;

  constructor(state = 'poweredOn') {
    super();
    this.state = state;
  }

  async startScanningAsync(serviceUuids?: string[]): Promise<void> {
    this.scanning = true;
    this.scanFilter = serviceUuids;
  }

  async stopScanningAsync(): Promise<void> {
    this.scanning = false;
  }

  setState(state: string): void {
    this.state = state;
    this.emit('stateChange', state);
  }

  advertise(peripheral: FakePeripheral): void {
    this.emit('discover', peripheral);
  }
}

/** A strap with Heart Rate Measurement (notify) and Battery Level (read). */
export function fakeStrap(address: string, options: Partial<FakePeripheralOptions> & { battery?: number } = {}): FakePeripheral {
  return new FakePeripheral({
    address,
    localName: 'Polar H10 1A2B3C4D',
    services: ['180d', '180f'],
    characteristics: [new FakeCharacteristic('2a37', ['notify']), new FakeCharacteristic('2a19', ['read'], Uint8Array.of(options.battery ?? 87))],
    ...options,
  });
}

export function fakeRadios(radios: FakeRadio[]): LoadBleRadios {
  return async () => ({ radios: radios.map((radio, i) => ({ name: `hci${i}`, radio })), problems: [] });
}
