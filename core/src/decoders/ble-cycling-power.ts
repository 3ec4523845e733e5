/**
 * BLE Cycling Power Measurement, characteristic 0x2A63 of the Cycling Power service 0x1818
 * (Bluetooth SIG GATT XML `org.bluetooth.characteristic.cycling_power_measurement.xml`).
 * Flags are u16; the optional fields follow in this fixed order, each present only when its flag
 * is set. Note the two clocks: wheel event time is in 1/2048 s, crank event time in 1/1024 s.
 */
import { TouchlineError } from '../errors.ts';
import { ByteCursor } from './byte-cursor.ts';
import { formatHex } from './hex.ts';

export interface RevolutionData {
  cumulativeRevolutions: number;
  /** Time of the last revolution event as sent (rolls over at 2^16 ticks). */
  lastEventTimeRaw: number;
  lastEventTimeS: number;
}

export interface BleCyclingPowerMeasurement {
  powerW: number;
  /** Pedal power balance in percent, from the side named by `balanceReference`. */
  pedalBalancePct?: number;
  balanceReference: 'unknown' | 'left';
  accumulatedTorqueNm?: number;
  torqueSource: 'wheel' | 'crank';
  wheel?: RevolutionData;
  crank?: RevolutionData;
  extremeForceN?: { max: number; min: number };
  extremeTorqueNm?: { max: number; min: number };
  extremeAnglesDeg?: { max: number; min: number };
  topDeadSpotDeg?: number;
  bottomDeadSpotDeg?: number;
  accumulatedEnergyKj?: number;
  offsetCompensation: boolean;
}

export function decodeBleCyclingPower(bytes: Uint8Array): BleCyclingPowerMeasurement {
  const fail = (problem: string) =>
    new TouchlineError('TL_ERR_BLE_PAYLOAD', `Cycling Power Measurement (0x2A63) ${problem}: ${formatHex(bytes) || '(empty)'}`, {
      characteristic: '2A63',
      bytes: formatHex(bytes),
    });
  const cursor = new ByteCursor(bytes, (field) => fail(`is truncated before its ${field}`));
  const flags = cursor.u16('flags');
  const has = (bit: number) => (flags & (1 << bit)) !== 0;
  const m: BleCyclingPowerMeasurement = {
    powerW: cursor.s16('instantaneous power'),
    balanceReference: has(1) ? 'left' : 'unknown',
    torqueSource: has(3) ? 'crank' : 'wheel',
    offsetCompensation: has(12),
  };
  if (has(0)) m.pedalBalancePct = cursor.u8('pedal power balance') / 2;
  if (has(2)) m.accumulatedTorqueNm = cursor.u16('accumulated torque') / 32;
  if (has(4)) {
    const cumulativeRevolutions = cursor.u32('wheel revolutions');
    const lastEventTimeRaw = cursor.u16('last wheel event time');
    m.wheel = { cumulativeRevolutions, lastEventTimeRaw, lastEventTimeS: lastEventTimeRaw / 2048 };
  }
  if (has(5)) {
    const cumulativeRevolutions = cursor.u16('crank revolutions');
    const lastEventTimeRaw = cursor.u16('last crank event time');
    m.crank = { cumulativeRevolutions, lastEventTimeRaw, lastEventTimeS: lastEventTimeRaw / 1024 };
  }
  if (has(6)) m.extremeForceN = { max: cursor.s16('maximum force'), min: cursor.s16('minimum force') };
  if (has(7)) m.extremeTorqueNm = { max: cursor.s16('maximum torque') / 32, min: cursor.s16('minimum torque') / 32 };
  if (has(8)) {
    // Two uint12 in three bytes: maximum angle in the low 12 bits, minimum in the high 12.
    const packed = cursor.u24('extreme angles');
    m.extremeAnglesDeg = { max: packed & 0xfff, min: packed >> 12 };
  }
  if (has(9)) m.topDeadSpotDeg = cursor.u16('top dead spot angle');
  if (has(10)) m.bottomDeadSpotDeg = cursor.u16('bottom dead spot angle');
  if (has(11)) m.accumulatedEnergyKj = cursor.u16('accumulated energy');
  if (cursor.remaining > 0) throw fail(`has ${cursor.remaining} byte(s) after its last field`);
  return m;
}
