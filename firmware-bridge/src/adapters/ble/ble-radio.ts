/**
 * The slice of `@stoprocent/noble`'s API the BLE adapter uses, as interfaces, and the lazy loader
 * that opens one noble instance per Bluetooth adapter (HCI device). Written against these
 * interfaces, the adapter runs in tests on a fake binding that replays notification bytes, and on a
 * box without the package (or without Bluetooth) it reports itself unavailable instead of crashing.
 */

export interface BleCharacteristicLike {
  readonly uuid: string;
  readonly properties: readonly string[];
  readAsync(): Promise<Uint8Array>;
  subscribeAsync(): Promise<void>;
  on(event: 'data', listener: (data: Uint8Array, isNotification: boolean) => void): unknown;
  removeAllListeners(event?: string): unknown;
}

export interface BlePeripheralLike {
  readonly id: string;
  /** "a0:9e:1a:12:34:56" on Linux; empty on macOS, where `id` identifies the device. */
  readonly address: string;
  readonly rssi: number;
  readonly advertisement: { localName?: string; serviceUuids?: string[] };
  connectAsync(): Promise<void>;
  disconnectAsync(): Promise<void>;
  updateRssiAsync(): Promise<number>;
  discoverSomeServicesAndCharacteristicsAsync(serviceUuids: string[], characteristicUuids: string[]): Promise<{ characteristics: BleCharacteristicLike[] }>;
  once(event: 'disconnect', listener: (reason?: unknown) => void): unknown;
  removeAllListeners(event?: string): unknown;
}

export interface BleRadioLike {
  /** noble's adapter state: 'poweredOn' when usable; 'unsupported', 'poweredOff', 'unauthorized', 'unknown'… */
  readonly state: string;
  on(event: 'stateChange', listener: (state: string) => void): unknown;
  on(event: 'discover', listener: (peripheral: BlePeripheralLike) => void): unknown;
  startScanningAsync(serviceUuids?: string[], allowDuplicates?: boolean): Promise<void>;
  stopScanningAsync(): Promise<void>;
  removeAllListeners(event?: string): unknown;
  stop?(): void;
}

export interface NamedRadio {
  /** "hci0", "hci1"… */
  name: string;
  radio: BleRadioLike;
}

export type BleRadiosLoad = { radios: NamedRadio[]; problems: string[] } | { missing: string };

export type LoadBleRadios = (hciDevices: readonly number[]) => Promise<BleRadiosLoad>;

interface NobleModule {
  withBindings(type: string, options?: { deviceId?: number }): BleRadioLike;
}

/** Opens @stoprocent/noble once per HCI device (Linux) or its default binding elsewhere. */
export const loadNobleRadios: LoadBleRadios = async (hciDevices) => {
  const name = '@stoprocent/noble';
  let noble: NobleModule;
  try {
    const module = (await import(name)) as NobleModule & { default?: NobleModule };
    noble = typeof module.withBindings === 'function' ? module : module.default!;
  } catch (err) {
    return { missing: `the @stoprocent/noble package is not installed (${(err as Error).message.split('\n')[0]!.replace(/ imported from .*/, '')})` };
  }
  const radios: NamedRadio[] = [];
  const problems: string[] = [];
  const devices = process.platform === 'linux' ? hciDevices : [hciDevices[0] ?? 0];
  for (const deviceId of devices) {
    try {
      const radio = process.platform === 'linux' ? noble.withBindings('hci', { deviceId }) : noble.withBindings('default');
      radios.push({ name: `hci${deviceId}`, radio });
    } catch (err) {
      problems.push(`hci${deviceId}: ${(err as Error).message}`);
    }
  }
  return { radios, problems };
};
