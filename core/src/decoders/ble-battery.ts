/**
 * BLE Battery Level, characteristic 0x2A19: one uint8, percent 0–100; 101–255 are reserved
 * (Bluetooth SIG GATT XML `org.bluetooth.characteristic.battery_level.xml`). A reserved value is
 * rejected rather than clamped, as Polar's SDK drops it (polar-ble-sdk BleBattClientTest.kt), so a
 * streaming caller counts it and keeps the last good level.
 */
import { TouchlineError } from '../errors.ts';
import { formatHex } from './hex.ts';

export interface BleBatteryLevel {
  percent: number;
}

export function decodeBleBatteryLevel(bytes: Uint8Array): BleBatteryLevel {
  const fail = (problem: string) =>
    new TouchlineError('TL_ERR_BLE_PAYLOAD', `Battery Level (0x2A19) ${problem}: ${formatHex(bytes) || '(empty)'}`, {
      characteristic: '2A19',
      bytes: formatHex(bytes),
    });
  if (bytes.length !== 1) throw fail(`must be exactly one byte, got ${bytes.length}`);
  const percent = bytes[0] as number;
  if (percent > 100) throw fail(`${percent} is a reserved value (0–100 %)`);
  return { percent };
}
