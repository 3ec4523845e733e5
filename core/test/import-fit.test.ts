import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Encoder, type Encodable, type FileIdMesg, type HrvMesg, type RecordMesg } from '@garmin/fitsdk';
import { describe, expect, it } from 'vitest';
import { isTouchlineError } from '../src/errors.ts';
import { importWorkout, type WorkoutRecord } from '../src/import/index.ts';
import { expandCompressedTimestamps } from '../src/import/fit-compressed-timestamps.ts';
import { createCompressedSpeedDistanceDecoder } from '../src/import/fit.importer.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'workouts', name));

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Sun Jun 11 07:34:09 PDT 2017": the SDK dump tool's local time, UTC−7 (datasets README). */
function pdtToUnixMs(text: string): number {
  const [, month, day, clock, zone, year] = text.split(' ');
  expect(zone).toBe('PDT');
  const [h, m, s] = clock!.split(':').map(Number);
  return Date.UTC(Number(year), MONTHS.indexOf(month!), Number(day), h! + 7, m!, s!);
}

const optional = (cell: string | undefined) => (cell === undefined || cell === '' || cell === 'null' ? undefined : Number(cell));
/** Semicircles to degrees: × 180 / 2^31 (FIT Profile, position fields). */
const semicirclesToDegrees = (cell: string | undefined) => (cell === undefined || cell === '' ? undefined : (Number(cell) * 180) / 2147483648);

/** The expected records from a `*-records.csv` written by the FIT SDK's dump tool (python-fitparse tests). */
function expectedRecords(csvName: string): Partial<WorkoutRecord>[] {
  const [header, ...lines] = fixture(csvName).toString('utf8').trim().split('\n');
  const columns = header!.split(',').map((c) => c.trim());
  return lines.map((line) => {
    const cells = Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell.trim()]));
    if ('Timestamp' in cells) {
      // Raw FIT date_time values below 0x10000000: seconds since the device was switched on.
      return {
        t: Number(cells.Timestamp) * 1000,
        hr: optional(cells['Heart Rate [bpm]']),
        speed: optional(cells['Speed [m/s]']),
        distance: optional(cells['Distance [m]']),
        cadence: optional(cells['Cadence [rpm]']),
      };
    }
    return {
      t: pdtToUnixMs(cells.timestamp!),
      hr: optional(cells.heart_rate),
      cadence: optional(cells.cadence),
      speed: optional(cells.speed),
      distance: optional(cells.distance),
      lat: semicirclesToDegrees(cells.position_lat),
      lon: semicirclesToDegrees(cells.position_long),
      altitude: optional(cells.altitude),
    };
  });
}

function expectRecordsMatch(actual: WorkoutRecord[], expected: Partial<WorkoutRecord>[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((want, i) => {
    const got = actual[i]!;
    for (const [key, value] of Object.entries(want)) {
      const field = key as keyof WorkoutRecord;
      if (value === undefined) expect(got[field], `record ${i} ${key}`).toBeUndefined();
      else expect(got[field], `record ${i} ${key}`).toBeCloseTo(value, 6);
    }
  });
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (isTouchlineError(err)) return err.code;
    throw err;
  }
  return undefined;
}

describe('FIT import against the FIT SDK dump tool CSVs', () => {
  for (const name of ['garmin-fenix-5-run', 'garmin-fenix-5-bike', 'garmin-fenix-5-walk', 'garmin-edge-820-bike']) {
    it(`${name}.fit: every record's time, HR, cadence, speed, distance, position and altitude`, () => {
      const workout = importWorkout(fixture(`${name}.fit`), `${name}.fit`);
      expect(workout.format).toBe('fit');
      expectRecordsMatch(workout.records, expectedRecords(`${name}-records.csv`));
    });
  }

  it('compressed-speed-distance.fit: compressed timestamps and 12-bit speed/distance with rollover', () => {
    const workout = importWorkout(fixture('compressed-speed-distance.fit'));
    const expected = expectedRecords('compressed-speed-distance-records.csv');
    expect(expected).toHaveLength(754);
    expectRecordsMatch(workout.records, expected);
    // Distance passes 4096 / 16 = 256 m about forty times, so rollover is exercised; last value 10,248.6875 m.
    expect(workout.records.at(-1)!.distance).toBe(10248.6875);
    expect(workout.sport).toBe('running');
    expect(workout.timeBase).toBe('elapsed');
    expect(workout.laps).toHaveLength(11);
  });

  it('garmin-edge-500-activity.fit: 10,686 records, max HR 189, distance 92,622.34 m (datasets README)', () => {
    const workout = importWorkout(fixture('garmin-edge-500-activity.fit'));
    expect(workout.records).toHaveLength(10686);
    expect(Math.max(...workout.records.map((r) => r.hr ?? 0))).toBe(189);
    expect(workout.records.at(-1)!.distance).toBe(92622.34);
    // First and last lines of garmin-edge-500-activity-records.csv, converted by hand (PDT = UTC−7).
    expect(workout.records[0]).toEqual({
      t: Date.UTC(2011, 8, 25, 13, 0, 22),
      hr: 161,
      cadence: 71,
      speed: 5.888,
      distance: 0,
      lat: (521521093 * 180) / 2 ** 31,
      lon: (-946874053 * 180) / 2 ** 31,
      altitude: expect.closeTo(75.2, 9),
    });
    // The CSV prints cadence 0 here, but the file holds 0xFF, FIT's "invalid" for uint8, in this and 120
    // other records (checked with an independent Python walk of the record messages): no cadence.
    expect(workout.records.at(-1)).toEqual({
      t: Date.UTC(2011, 8, 25, 16, 31, 53),
      hr: 151,
      speed: 0,
      distance: 92622.34,
      lat: (521056346 * 180) / 2 ** 31,
      lon: (-947375750 * 180) / 2 ** 31,
      altitude: expect.closeTo(78.0, 9),
    });
    expect(workout.start).toBe(Date.UTC(2011, 8, 25, 13, 0, 22));
    expect(workout.timeBase).toBe('unix');
    expect(workout.sport).toBe('cycling');
  });

  it('reads beat-to-beat intervals from HRV messages in ms', () => {
    const workout = importWorkout(fixture('garmin-fenix-5-run.fit'));
    // From an independent Python walk of the file's hrv messages (field 0, uint16 ms, 0xFFFF skipped):
    // 113 intervals, first 1093 1165 1063 983 919, last 573 581 582 594 599, sum 75005 ms.
    expect(workout.rr).toHaveLength(113);
    expect(workout.rr.slice(0, 5)).toEqual([1093, 1165, 1063, 983, 919]);
    expect(workout.rr.slice(-5)).toEqual([573, 581, 582, 594, 599]);
    expect(workout.rr.reduce((a, b) => a + b, 0)).toBe(75005);
  });

  it('imports a file without heart rate (Activity.fit: 14 GPS records)', () => {
    const workout = importWorkout(fixture('Activity.fit'));
    expect(workout.records).toHaveLength(14);
    expect(workout.records.every((r) => r.hr === undefined && r.lat !== undefined)).toBe(true);
    expect(workout.rr).toEqual([]);
  });

  it('decodes compressed_speed_distance bytes by hand-worked examples', () => {
    const decode = createCompressedSpeedDistanceDecoder();
    // Speed 203 = 0x0CB (2.03 m/s), distance counter 4090 = 0xFFA: bytes CB, A0 | 0x0, FF.
    expect(decode([0xcb, 0xa0, 0xff])).toEqual({ speed: 2.03, distance: 4090 / 16 });
    // Counter 5 after 4090 has rolled over: 4096 − 4090 + 5 = 11 sixteenths further. Speed 0xFFF = 40.95 m/s.
    expect(decode([0xff, 0x5f, 0x00])).toEqual({ speed: 40.95, distance: (4090 + 11) / 16 });
    expect(decode([0xff, 0xff, 0xff])).toBeUndefined();
  });

  it('leaves a file without compressed timestamps byte-for-byte alone', () => {
    const bytes = fixture('garmin-fenix-5-run.fit');
    expect(expandCompressedTimestamps(bytes)).toBe(bytes);
  });
});

describe('FIT files built with the FIT SDK encoder', () => {
  // Global message numbers from the FIT Profile (mesg_num).
  const MESG = { FILE_ID: 0, RECORD: 20, HRV: 78, FIELD_DESCRIPTION: 206, DEVELOPER_DATA_ID: 207 } as const;
  const developerDataId = { mesgNum: MESG.DEVELOPER_DATA_ID, developerDataIndex: 0, applicationId: Array.from({ length: 16 }, (_, i) => i) };
  const fieldDescription = {
    mesgNum: MESG.FIELD_DESCRIPTION,
    developerDataIndex: 0,
    fieldDefinitionNumber: 0,
    fitBaseTypeId: 0x84,
    fieldName: 'Doughnuts',
    units: 'doughnuts',
    nativeMesgNum: MESG.RECORD,
  };
  const t0 = Date.UTC(2024, 4, 1, 10, 0, 0);

  function encode(write: (encoder: Encoder) => void): Uint8Array {
    const encoder = new Encoder({ fieldDescriptions: { 0: { developerDataIdMesg: developerDataId, fieldDescriptionMesg: fieldDescription } } });
    const fileId: Encodable<FileIdMesg> = { mesgNum: MESG.FILE_ID, type: 'activity', manufacturer: 'development', product: 0, timeCreated: new Date(t0) };
    encoder.writeMesg(fileId);
    write(encoder);
    return encoder.close();
  }

  it('ignores developer fields and converts semicircles, enhanced speed and RR seconds', () => {
    const bytes = encode((encoder) => {
      encoder.writeMesg(developerDataId).writeMesg(fieldDescription);
      for (let i = 0; i < 3; i++) {
        const record: Encodable<RecordMesg> = {
          mesgNum: MESG.RECORD,
          timestamp: new Date(t0 + i * 1000),
          heartRate: 100 + i,
          positionLat: 2 ** 29, // 2^29 × 180 / 2^31 = 45°
          positionLong: -(2 ** 28), // −22.5°
          enhancedSpeed: 3.5,
          enhancedAltitude: 12.4,
          power: 250,
          developerFields: { 0: 7 * i },
        };
        encoder.writeMesg(record);
      }
      const hrv: Encodable<HrvMesg> = { mesgNum: MESG.HRV, time: [0.8, 0.812] };
      encoder.writeMesg(hrv);
    });
    const workout = importWorkout(bytes);
    expect(workout.records).toHaveLength(3);
    expect(workout.records[2]).toEqual({ t: t0 + 2000, hr: 102, lat: 45, lon: -22.5, speed: 3.5, altitude: expect.closeTo(12.4, 9), power: 250 });
    expect(workout.rr).toEqual([800, 812]);
    expect(workout.sport).toBe('generic');
  });

  it('rejects a file with no records as TL_ERR_FIT_NO_RECORDS', () => {
    expect(codeOf(() => importWorkout(encode(() => {})))).toBe('TL_ERR_FIT_NO_RECORDS');
    const battery: Encodable<RecordMesg> = { mesgNum: MESG.RECORD, timestamp: new Date(t0), batterySoc: 67 };
    const onlyBattery = encode((encoder) => encoder.writeMesg(battery));
    expect(codeOf(() => importWorkout(onlyBattery))).toBe('TL_ERR_FIT_NO_RECORDS');
  });
});

describe('damaged FIT files', () => {
  const good = fixture('garmin-fenix-5-run.fit');

  it('reports a truncated file as TL_ERR_FIT_CORRUPT', () => {
    expect(codeOf(() => importWorkout(good.subarray(0, good.length - 100), 'run.fit'))).toBe('TL_ERR_FIT_CORRUPT');
    expect(codeOf(() => importWorkout(good.subarray(0, 14)))).toBe('TL_ERR_FIT_CORRUPT');
    expect(codeOf(() => importWorkout(good.subarray(0, 5), 'run.fit'))).toBe('TL_ERR_FIT_CORRUPT');
  });

  it('reports a flipped byte (CRC mismatch) as TL_ERR_FIT_CORRUPT', () => {
    const damaged = Uint8Array.from(good);
    damaged[2000] = damaged[2000]! ^ 0xff;
    expect(codeOf(() => importWorkout(damaged))).toBe('TL_ERR_FIT_CORRUPT');
  });

  it('reports random bytes named .fit as TL_ERR_FIT_CORRUPT, an empty file as unsupported', () => {
    expect(codeOf(() => importWorkout(Uint8Array.from({ length: 64 }, (_, i) => (i * 37) % 256), 'x.fit'))).toBe('TL_ERR_FIT_CORRUPT');
    expect(codeOf(() => importWorkout(new Uint8Array(0), 'x.fit'))).toBe('TL_ERR_UNSUPPORTED_FORMAT');
  });
});
