import { describe, expect, it } from 'vitest';
import { TouchlineError } from '../src/errors.ts';
import {
  decodeBleBatteryLevel,
  decodeBleCyclingPower,
  decodeBleHeartRate,
  decodeBleRsc,
  parseHex,
  type SensorContact,
} from '../src/decoders/index.ts';

const hex = parseHex;

function expectCode(fn: () => unknown, code: string) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TouchlineError);
    expect((err as TouchlineError).code).toBe(code);
    return err as TouchlineError;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

describe('BLE Heart Rate Measurement 0x2A37', () => {
  // protocols.md §1.3, vectors from RonanB96/bluetooth-sig-python tests/gatt/characteristics/test_heart_rate_measurement.py
  it('decodes the bluetooth-sig-python vectors', () => {
    expect(decodeBleHeartRate(hex('00 50'))).toEqual({ bpm: 80, hrFormat: 'uint8', sensorContact: 'not-supported', rr: [], rrRaw: [] });
    expect(decodeBleHeartRate(hex('01 C8 00'))).toMatchObject({ bpm: 200, hrFormat: 'uint16' });
    expect(decodeBleHeartRate(hex('0E 4B 80 00'))).toMatchObject({ bpm: 75, sensorContact: 'detected', energyExpendedKj: 128 });
    // RR [2048, 4096] ticks = [2.0 s, 4.0 s]
    expect(decodeBleHeartRate(hex('10 5A 00 08 00 10'))).toMatchObject({ bpm: 90, rrRaw: [2048, 4096], rr: [2000, 4000] });
    expect(decodeBleHeartRate(hex('04 50'))).toMatchObject({ bpm: 80, sensorContact: 'not-detected' });
    // bit1 alone: contact NOT supported (bit1 means nothing while bit2 is 0)
    expect(decodeBleHeartRate(hex('02 50'))).toMatchObject({ bpm: 80, sensorContact: 'not-supported' });
  });

  // protocols.md §1.3, movisens/SmartGattLib HeartRateMeasurementTest.java (Polar-style flags 0x16)
  it('decodes every RR value of a Polar-style notification', () => {
    const m = decodeBleHeartRate(hex('16 48 54 01 EC 02'));
    expect(m).toMatchObject({ bpm: 72, sensorContact: 'detected', rrRaw: [340, 748] });
    // 0.33203125 s and 0.73046875 s per the reference
    expect(m.rr).toEqual([332.03125, 730.46875]);
    expect(m.energyExpendedKj).toBeUndefined();
  });

  // protocols.md §1.3, OpenTracks BluetoothHandlerManagerHeartRateTest.java
  it('decodes the OpenTracks vectors', () => {
    expect(decodeBleHeartRate(hex('02 3C')).bpm).toBe(60);
    expect(decodeBleHeartRate(hex('01 01 01')).bpm).toBe(257);
  });

  // protocols.md §1.3, polar-ble-sdk BleHrClientTest.kt
  it('decodes the Polar SDK edge vectors', () => {
    expect(decodeBleHeartRate(hex('00 FF')).bpm).toBe(255);
    expect(decodeBleHeartRate(hex('00 7F')).bpm).toBe(127);
    expect(decodeBleHeartRate(hex('01 80 80')).bpm).toBe(32896);
    expect(decodeBleHeartRate(hex('01 7F 7F')).bpm).toBe(32639);
    expect(decodeBleHeartRate(hex('06 00')).sensorContact).toBe('detected');
    expect(decodeBleHeartRate(hex('04 00')).sensorContact).toBe('not-detected');
    expect(decodeBleHeartRate(hex('02 00')).sensorContact).toBe('not-supported');
    expect(decodeBleHeartRate(hex('00 00')).sensorContact).toBe('not-supported');
    expect(decodeBleHeartRate(hex('09 00 00 FF FF'))).toMatchObject({ bpm: 0, hrFormat: 'uint16', energyExpendedKj: 65535 });
    expect(decodeBleHeartRate(hex('08 00 7F 80'))).toMatchObject({ bpm: 0, energyExpendedKj: 32895 });
  });

  // protocols.md §1.3: Polar reports 65535 → 63999 ms and 32895 → 32124 ms (truncated).
  // Exact values by hand: 65535·1000/1024 = 63999.0234375, 32895·1000/1024 = 32124.0234375.
  it('converts RR ticks to ms exactly and keeps the raw ticks', () => {
    const one = decodeBleHeartRate(hex('10 00 FF FF'));
    expect(one.rrRaw).toEqual([65535]);
    expect(one.rr).toEqual([63999.0234375]);
    const two = decodeBleHeartRate(hex('11 00 00 FF FF 7F 80'));
    expect(two).toMatchObject({ bpm: 0, hrFormat: 'uint16', rrRaw: [65535, 32895] });
    expect(two.rr).toEqual([63999.0234375, 32124.0234375]);
    expect(two.rr.map(Math.trunc)).toEqual([63999, 32124]);
  });

  // Every combination of HR format (bit0), contact (bits1–2), energy (bit3) and RR (bit4), each
  // payload assembled here by hand from the §1.2 layout table.
  it('decodes all 32 flag combinations', () => {
    const contacts: SensorContact[] = ['not-supported', 'not-supported', 'not-detected', 'detected'];
    let cases = 0;
    for (let flags = 0; flags < 32; flags++) {
      const uint16 = (flags & 0x01) !== 0;
      const bytes = [flags | 0xe0]; // RFU bits 5–7 set on purpose: they must be ignored
      const bpm = uint16 ? 0x0123 : 0xab;
      bytes.push(...(uint16 ? [0x23, 0x01] : [0xab]));
      if (flags & 0x08) bytes.push(0x34, 0x12); // 0x1234 = 4660 kJ
      if (flags & 0x10) bytes.push(0x00, 0x04, 0x00, 0x02, 0x01, 0x00); // 1024, 512, 1 ticks
      const m = decodeBleHeartRate(Uint8Array.from(bytes));
      expect(m.bpm).toBe(bpm);
      expect(m.hrFormat).toBe(uint16 ? 'uint16' : 'uint8');
      expect(m.sensorContact).toBe(contacts[(flags >> 1) & 3]);
      expect(m.energyExpendedKj).toBe(flags & 0x08 ? 4660 : undefined);
      expect(m.rrRaw).toEqual(flags & 0x10 ? [1024, 512, 1] : []);
      expect(m.rr).toEqual(flags & 0x10 ? [1000, 500, 0.9765625] : []);
      cases++;
    }
    expect(cases).toBe(32);
  });

  it('tolerates the RR flag with no RR values: the heart rate is still good', () => {
    expect(decodeBleHeartRate(hex('10 48'))).toMatchObject({ bpm: 72, rrRaw: [], rr: [] });
  });

  it('rejects truncated and malformed payloads with the bytes in the error', () => {
    const err = expectCode(() => decodeBleHeartRate(new Uint8Array(0)), 'TL_ERR_BLE_PAYLOAD');
    expect(err.message).toContain('(empty)');
    expectCode(() => decodeBleHeartRate(hex('00')), 'TL_ERR_BLE_PAYLOAD');
    expectCode(() => decodeBleHeartRate(hex('01 48')), 'TL_ERR_BLE_PAYLOAD'); // uint16 HR with one byte
    expectCode(() => decodeBleHeartRate(hex('08 48 01')), 'TL_ERR_BLE_PAYLOAD'); // energy cut short
    const half = expectCode(() => decodeBleHeartRate(hex('10 48 54 01 EC')), 'TL_ERR_BLE_PAYLOAD'); // half an RR
    expect(half.message).toContain('10 48 54 01 EC');
    expect(half.detail).toMatchObject({ characteristic: '2A37', bytes: '10 48 54 01 EC' });
    expectCode(() => decodeBleHeartRate(hex('00 48 00')), 'TL_ERR_BLE_PAYLOAD'); // bytes after the last field
  });
});

describe('BLE Battery Level 0x2A19', () => {
  // protocols.md §1.4: bluetooth-sig-python test_battery_level.py; Polar BleBattClientTest.kt drops 255
  it('decodes 0–100 and rejects reserved values rather than clamping them', () => {
    for (const percent of [0, 50, 75, 100, 80]) expect(decodeBleBatteryLevel(Uint8Array.of(percent))).toEqual({ percent });
    expectCode(() => decodeBleBatteryLevel(Uint8Array.of(101)), 'TL_ERR_BLE_PAYLOAD');
    expectCode(() => decodeBleBatteryLevel(Uint8Array.of(255)), 'TL_ERR_BLE_PAYLOAD');
    expectCode(() => decodeBleBatteryLevel(new Uint8Array(0)), 'TL_ERR_BLE_PAYLOAD');
    expectCode(() => decodeBleBatteryLevel(Uint8Array.of(50, 0)), 'TL_ERR_BLE_PAYLOAD');
  });
});

describe('BLE RSC Measurement 0x2A53', () => {
  // protocols.md §1.5, bluetooth-sig-python tests/gatt/characteristics/test_rsc_measurement.py
  it('decodes the bluetooth-sig-python vectors', () => {
    expect(decodeBleRsc(hex('00 80 02 B4'))).toEqual({ speedMps: 2.5, cadencePerMin: 180, running: false });
    expect(decodeBleRsc(hex('01 80 02 B4 55 00'))).toEqual({ speedMps: 2.5, cadencePerMin: 180, running: false, strideLengthM: 0.85 });
    expect(decodeBleRsc(hex('02 80 02 B4 10 27 00 00'))).toEqual({ speedMps: 2.5, cadencePerMin: 180, running: false, totalDistanceM: 1000 });
    // "03 …" in the reference: both optional fields, assembled from the two vectors above
    expect(decodeBleRsc(hex('03 80 02 B4 55 00 10 27 00 00'))).toMatchObject({ strideLengthM: 0.85, totalDistanceM: 1000 });
    expect(decodeBleRsc(hex('00 80 05 DC'))).toMatchObject({ speedMps: 5.5, cadencePerMin: 220 });
    expect(decodeBleRsc(hex('01 9A 01 78 50 00'))).toEqual({ speedMps: 1.6015625, cadencePerMin: 120, running: false, strideLengthM: 0.8 });
  });

  // protocols.md §1.5, OpenTracks BluetoothHandlerRunningSpeedAndCadenceTest.java asserts 6553.5 + 1677721.6 m
  it('decodes the OpenTracks total-distance vector', () => {
    const m = decodeBleRsc(hex('02 00 05 50 FF FF 00 01'));
    expect(m).toMatchObject({ speedMps: 5, cadencePerMin: 80 });
    expect(m.totalDistanceM).toBeCloseTo(6553.5 + 1677721.6, 6);
  });

  // protocols.md §1.5, Polar BleRscClientTest.kt asserts raw units: speed 4660, cadence 86, stride 1929, distance 16909060
  it('decodes the Polar SDK vector, running flag set', () => {
    const m = decodeBleRsc(hex('07 34 12 56 89 07 04 03 02 01'));
    expect(m.running).toBe(true);
    expect(m.speedMps * 256).toBe(4660);
    expect(m.cadencePerMin).toBe(86);
    expect(m.strideLengthM).toBeCloseTo(19.29, 10);
    expect(m.totalDistanceM).toBeCloseTo(1690906.0, 6);
  });

  it('rejects truncated and over-long payloads', () => {
    expectCode(() => decodeBleRsc(hex('00 80 02')), 'TL_ERR_BLE_PAYLOAD');
    expectCode(() => decodeBleRsc(hex('01 80 02 B4 55')), 'TL_ERR_BLE_PAYLOAD');
    expectCode(() => decodeBleRsc(hex('02 80 02 B4 10 27 00')), 'TL_ERR_BLE_PAYLOAD');
    expectCode(() => decodeBleRsc(hex('00 80 02 B4 00')), 'TL_ERR_BLE_PAYLOAD');
  });
});

describe('BLE Cycling Power Measurement 0x2A63', () => {
  // protocols.md §1.6, bluetooth-sig-python tests/gatt/characteristics/test_cycling_power_measurement.py
  it('decodes the bluetooth-sig-python vectors', () => {
    expect(decodeBleCyclingPower(hex('00 00 FA 00'))).toEqual({
      powerW: 250,
      balanceReference: 'unknown',
      torqueSource: 'wheel',
      offsetCompensation: false,
    });
    expect(decodeBleCyclingPower(hex('01 00 2C 01 64'))).toMatchObject({ powerW: 300, pedalBalancePct: 50 });
    expect(decodeBleCyclingPower(hex('00 08 40 01 0A 00'))).toMatchObject({ powerW: 320, accumulatedEnergyKj: 10 });
    // wheel time is 1/2048 s: 0x0800 = 2048 → 1.0 s
    expect(decodeBleCyclingPower(hex('10 00 4B 01 39 30 00 00 00 08')).wheel).toEqual({
      cumulativeRevolutions: 12345,
      lastEventTimeRaw: 2048,
      lastEventTimeS: 1,
    });
    // crank time is 1/1024 s: 0x0400 = 1024 → 1.0 s
    expect(decodeBleCyclingPower(hex('20 00 70 01 90 01 00 04'))).toMatchObject({
      powerW: 368,
      crank: { cumulativeRevolutions: 400, lastEventTimeRaw: 1024, lastEventTimeS: 1 },
    });
    expect(decodeBleCyclingPower(hex('31 08 94 01 6E 39 30 00 00 00 10 90 01 00 08 15 00'))).toMatchObject({
      powerW: 404,
      pedalBalancePct: 55,
      wheel: { cumulativeRevolutions: 12345, lastEventTimeS: 2 },
      crank: { cumulativeRevolutions: 400, lastEventTimeS: 2 },
      accumulatedEnergyKj: 21,
    });
  });

  // protocols.md §1.6, OpenTracks BluetoothHandlerCyclingPowerTest.java
  it('decodes the OpenTracks vectors', () => {
    expect(decodeBleCyclingPower(hex('00 00 28 00')).powerW).toBe(40);
    expect(decodeBleCyclingPower(hex('2C 00 00 00 9F 00 0C 00 E5 42'))).toMatchObject({
      powerW: 0,
      accumulatedTorqueNm: 159 / 32,
      torqueSource: 'crank',
      crank: { cumulativeRevolutions: 12, lastEventTimeRaw: 17125 },
    });
  });

  // gatt-xml example quoted in protocols.md §1.6: max 0xABC, min 0x123 travel as 0x123ABC (LE: BC 3A 12)
  it('unpacks the two 12-bit extreme angles', () => {
    expect(decodeBleCyclingPower(hex('00 01 00 00 BC 3A 12')).extremeAnglesDeg).toEqual({ max: 0xabc, min: 0x123 });
  });

  it('reads signed power, forces and torques and every remaining field in order', () => {
    // flags 0x16C2: bits 1, 6, 7, 9, 10, 12; fields laid out by hand from the §1.6 order
    const m = decodeBleCyclingPower(hex('C2 16 FF FF 2C 01 9C FF 40 00 C0 FF 5A 00 0E 01'));
    expect(m).toEqual({
      powerW: -1,
      balanceReference: 'left',
      torqueSource: 'wheel',
      offsetCompensation: true,
      extremeForceN: { max: 300, min: -100 },
      extremeTorqueNm: { max: 2, min: -2 },
      topDeadSpotDeg: 90,
      bottomDeadSpotDeg: 270,
    });
  });

  it('rejects truncated and over-long payloads', () => {
    expectCode(() => decodeBleCyclingPower(hex('00 00 FA')), 'TL_ERR_BLE_PAYLOAD');
    expectCode(() => decodeBleCyclingPower(hex('31 08 94 01')), 'TL_ERR_BLE_PAYLOAD');
    expectCode(() => decodeBleCyclingPower(hex('00 00 FA 00 00')), 'TL_ERR_BLE_PAYLOAD');
  });
});

describe('hex input', () => {
  it('accepts spaces, colons and dashes and rejects bad hex with TL_ERR_HEX', () => {
    expect(Array.from(parseHex('16:48:54:01:ec:02'))).toEqual([0x16, 0x48, 0x54, 0x01, 0xec, 0x02]);
    expect(Array.from(parseHex('00-04-00 34'))).toEqual([0, 4, 0, 0x34]);
    expect(Array.from(parseHex('a4 0e4e'))).toEqual([0xa4, 0x0e, 0x4e]);
    expectCode(() => parseHex('A4 0'), 'TL_ERR_HEX');
    expectCode(() => parseHex('zz'), 'TL_ERR_HEX');
    expectCode(() => parseHex('0x A4'), 'TL_ERR_HEX');
    expectCode(() => parseHex('  '), 'TL_ERR_HEX');
  });
});
