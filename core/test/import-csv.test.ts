import { describe, expect, it } from 'vitest';
import { isTouchlineError } from '../src/errors.ts';
import { importWorkout } from '../src/import/index.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isTouchlineError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a TouchlineError');
}

describe('CSV import', () => {
  it('reads ISO times and the named columns case-insensitively, ignoring others', () => {
    const csv = 'Timestamp,Heart_Rate,LAT,Lon,Speed,Distance,Notes\n2024-05-01T10:00:00Z,120,51.5,-0.12,3.2,0,start\n2024-05-01T10:00:01Z,121,51.50003,-0.12,3.3,3.3,\n';
    const workout = importWorkout(bytes(csv), 'run.csv');
    expect(workout.format).toBe('csv');
    expect(workout.timeBase).toBe('unix');
    expect(workout.records).toEqual([
      { t: Date.UTC(2024, 4, 1, 10, 0, 0), hr: 120, lat: 51.5, lon: -0.12, speed: 3.2, distance: 0 },
      { t: Date.UTC(2024, 4, 1, 10, 0, 1), hr: 121, lat: 51.50003, lon: -0.12, speed: 3.3, distance: 3.3 },
    ]);
  });

  it('reads Unix seconds and milliseconds, and sorts rows by time', () => {
    const seconds = importWorkout(bytes('time,hr\n1714557601,130\n1714557600,125\n'));
    expect(seconds.records).toEqual([
      { t: 1714557600000, hr: 125 },
      { t: 1714557601000, hr: 130 },
    ]);
    const ms = importWorkout(bytes('timestamp,hr\n1714557600500,125\n'));
    expect(ms.records[0]!.t).toBe(1714557600500);
  });

  it('reads elapsed time as seconds or h:mm:ss on an elapsed time base', () => {
    const workout = importWorkout(bytes('time,heart_rate\n0,100\n1:05,110\n1:00:00.5,120\n'));
    expect(workout.timeBase).toBe('elapsed');
    expect(workout.records.map((r) => r.t)).toEqual([0, 65_000, 3_600_500]);
  });

  it('converts bracketed units, and reads semicolon files with decimal commas', () => {
    const units = importWorkout(bytes('time,Speed [km/h],Distance (km),Heart Rate [bpm]\n0,18,1.5,140\n'));
    expect(units.records[0]).toEqual({ t: 0, speed: 5, distance: 1500, hr: 140 });
    const european = importWorkout(bytes('time;hr;speed\n2024-05-01 10:00:00;140;3,5\n'));
    expect(european.records[0]).toEqual({ t: Date.UTC(2024, 4, 1, 10), hr: 140, speed: 3.5 });
  });

  it('treats empty, null and NaN cells as missing and handles quoted cells', () => {
    const workout = importWorkout(bytes('time,hr,speed,comment\r\n0,,null,"a, b"\r\n1,NaN,2.5,"say ""hi"""\r\n2,150,,\r\n'));
    expect(workout.records).toEqual([
      { t: 1000, speed: 2.5 },
      { t: 2000, hr: 150 },
    ]);
  });

  it('names the line and column of a bad value', () => {
    expect(errorOf(() => importWorkout(bytes('time,hr\n0,120\n1,fast\n')))).toMatchObject({
      code: 'TL_ERR_CSV_PARSE',
      message: 'Line 3, column "hr": "fast" is not a number.',
    });
    expect(errorOf(() => importWorkout(bytes('time,hr\n2024-05-01T10:00:00Z,120\n5,121\n')))).toMatchObject({
      code: 'TL_ERR_CSV_PARSE',
      message: expect.stringContaining('Line 3: time "5"'),
    });
    expect(errorOf(() => importWorkout(bytes('time,hr\n0,120,7\n'))).message).toContain('Line 2 has 3 cells');
  });

  it('rejects a table without a time column, without data columns, without rows or with an unknown unit', () => {
    expect(errorOf(() => importWorkout(bytes('when,hr\n0,120\n')))).toMatchObject({ code: 'TL_ERR_CSV_PARSE', message: expect.stringContaining('No time column') });
    expect(errorOf(() => importWorkout(bytes('time,notes\n0,x\n'))).message).toContain('No data column');
    expect(errorOf(() => importWorkout(bytes('time,hr\n'))).message).toContain('no rows');
    expect(errorOf(() => importWorkout(bytes('time,speed [mph]\n0,5\n'))).message).toContain('is in mph');
    expect(errorOf(() => importWorkout(bytes('time,hr\n0,\n1,\n'))).message).toContain('empty apart from its time');
    expect(errorOf(() => importWorkout(bytes('time,hr\n0,"120\n'))).message).toContain('never closed');
    expect(errorOf(() => importWorkout(bytes('859\n867\n883\n'))).message).toContain('holds numbers, not column names');
  });
});
