/**
 * BLE RSC Measurement, characteristic 0x2A53 of the Running Speed and Cadence service 0x1814
 * (Bluetooth SIG GATT XML `org.bluetooth.characteristic.rsc_measurement.xml`). Little-endian:
 * flags u8 (bit0 stride length present, bit1 total distance present, bit2 running) | speed u16
 * 1/256 m/s | cadence u8 per minute | stride length u16 1/100 m (bit0) | total distance u32 1/10 m (bit1).
 */
import { TouchlineError } from '../errors.ts';
import { ByteCursor } from './byte-cursor.ts';
import { formatHex } from './hex.ts';

export interface BleRscMeasurement {
  speedMps: number;
  /** Steps per minute, as the sensor counts them. */
  cadencePerMin: number;
  /** True when the sensor classifies the gait as running, false for walking. */
  running: boolean;
  strideLengthM?: number;
  totalDistanceM?: number;
}

export function decodeBleRsc(bytes: Uint8Array): BleRscMeasurement {
  const fail = (problem: string) =>
    new TouchlineError('TL_ERR_BLE_PAYLOAD', `RSC Measurement (0x2A53) ${problem}: ${formatHex(bytes) || '(empty)'}`, {
      characteristic: '2A53',
      bytes: formatHex(bytes),
    });
  const cursor = new ByteCursor(bytes, (field) => fail(`is truncated before its ${field}`));
  const flags = cursor.u8('flags');
  const measurement: BleRscMeasurement = {
    speedMps: cursor.u16('instantaneous speed') / 256,
    cadencePerMin: cursor.u8('instantaneous cadence'),
    running: (flags & 0x04) !== 0,
  };
  // Divisions, not multiplications by 0.01/0.1, so e.g. 16842751 / 10 is the correctly rounded 1684275.1.
  if (flags & 0x01) measurement.strideLengthM = cursor.u16('stride length') / 100;
  if (flags & 0x02) measurement.totalDistanceM = cursor.u32('total distance') / 10;
  if (cursor.remaining > 0) throw fail(`has ${cursor.remaining} byte(s) after its last field`);
  return measurement;
}
