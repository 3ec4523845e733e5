/**
 * BLE Heart Rate Measurement, characteristic 0x2A37 of the Heart Rate service 0x180D.
 * Layout: Bluetooth SIG GATT XML `org.bluetooth.characteristic.heart_rate_measurement.xml`
 * (mirrored in oesmith/gatt-xml), now GATT Specification Supplement §3.113. Little-endian fields:
 * flags u8 | HR u8 or u16 (flag bit0) | energy expended u16 kJ (bit3) | RR-Interval u16 × n (bit4),
 * RR in 1/1024 s, oldest first, n given by the remaining length.
 */
import { TouchlineError } from '../errors.ts';
import { ByteCursor } from './byte-cursor.ts';
import { formatHex } from './hex.ts';

/**
 * Flags bits 1–2: 0 or 1 = the sensor cannot report contact, 2 = it can and has none, 3 = contact.
 * Bit 1 alone (0x02) therefore means "not supported", not "detected".
 */
export type SensorContact = 'not-supported' | 'not-detected' | 'detected';

export interface BleHeartRateMeasurement {
  bpm: number;
  hrFormat: 'uint8' | 'uint16';
  sensorContact: SensorContact;
  /** Energy expended since the last reset, in kilojoules, when the sensor reports it. */
  energyExpendedKj?: number;
  /** Beat-to-beat intervals in ms (exact: raw × 1000/1024), oldest first; empty when none came. */
  rr: number[];
  /** The same intervals as sent, in 1/1024 s ticks. */
  rrRaw: number[];
}

/** 1/1024 s ticks → ms. 1000/1024 = 0.9765625 is exact in binary, so no rounding creeps in. */
export function rrTicksToMs(ticks: number): number {
  return (ticks * 1000) / 1024;
}

function payloadError(bytes: Uint8Array, problem: string): TouchlineError {
  return new TouchlineError('TL_ERR_BLE_PAYLOAD', `Heart Rate Measurement (0x2A37) ${problem}: ${formatHex(bytes) || '(empty)'}`, {
    characteristic: '2A37',
    bytes: formatHex(bytes),
  });
}

export function decodeBleHeartRate(bytes: Uint8Array): BleHeartRateMeasurement {
  const cursor = new ByteCursor(bytes, (field) => payloadError(bytes, `is truncated before its ${field}`));
  const flags = cursor.u8('flags');
  const hrFormat = flags & 0x01 ? 'uint16' : 'uint8';
  const bpm = hrFormat === 'uint16' ? cursor.u16('heart rate') : cursor.u8('heart rate');
  const contactBits = (flags >> 1) & 0x03;
  const sensorContact: SensorContact = contactBits === 3 ? 'detected' : contactBits === 2 ? 'not-detected' : 'not-supported';
  const measurement: BleHeartRateMeasurement = { bpm, hrFormat, sensorContact, rr: [], rrRaw: [] };
  if (flags & 0x08) measurement.energyExpendedKj = cursor.u16('energy expended');
  if (flags & 0x10) {
    // The spec lets a notification carry several RR values; reading only the first loses beats.
    // A flag with no values at all is tolerated: the heart rate before it is still good.
    if (cursor.remaining % 2 !== 0) throw payloadError(bytes, 'has half an RR interval at its end');
    while (cursor.remaining > 0) measurement.rrRaw.push(cursor.u16('RR interval'));
    measurement.rr = measurement.rrRaw.map(rrTicksToMs);
  } else if (cursor.remaining > 0) {
    throw payloadError(bytes, `has ${cursor.remaining} byte(s) after its last field`);
  }
  return measurement;
}
