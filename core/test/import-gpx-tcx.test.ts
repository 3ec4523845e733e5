import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTouchlineError } from '../src/errors.ts';
import { importWorkout } from '../src/import/index.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'workouts', name));
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

const gpx = (points: string, type = '') =>
  `<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk>${type}<trkseg>${points}</trkseg></trk></gpx>`;

describe('GPX import', () => {
  it('reads the hand-written run: five points across two segments with TrackPointExtension HR and cadence', () => {
    const workout = importWorkout(fixture('hand-run.gpx'), 'hand-run.gpx');
    expect(workout.format).toBe('gpx');
    expect(workout.sport).toBe('running');
    expect(workout.start).toBe(Date.UTC(2024, 4, 1, 10, 0, 0));
    expect(workout.records).toHaveLength(5);
    expect(workout.records[0]).toEqual({ t: Date.UTC(2024, 4, 1, 10, 0, 0), lat: 51, lon: 0, altitude: 10, hr: 120, cadence: 80 });
    expect(workout.records[4]).toEqual({ t: Date.UTC(2024, 4, 1, 10, 0, 40), lat: 51.002, lon: 0, altitude: 11, hr: 160, cadence: 88 });
    expect(workout.records.map((r) => r.hr)).toEqual([120, 130, 140, 150, 160]);
    expect(workout.laps).toEqual([]);
    expect(workout.rr).toEqual([]);
  });

  it('reads times without a zone as UTC and with an offset as that offset', () => {
    const workout = importWorkout(
      bytes(gpx('<trkpt lat="1" lon="2"><time>2024-05-01T10:00:00</time></trkpt><trkpt lat="1" lon="2"><time>2024-05-01T12:00:05+02:00</time></trkpt>')),
    );
    expect(workout.records.map((r) => r.t)).toEqual([Date.UTC(2024, 4, 1, 10, 0, 0), Date.UTC(2024, 4, 1, 10, 0, 5)]);
    expect(workout.sport).toBe('generic');
  });

  it('reads power and speed extensions and maps a "Ride" type to cycling', () => {
    const point =
      '<trkpt lat="1" lon="2"><time>2024-05-01T10:00:00Z</time><extensions><power>250</power><TrackPointExtension><speed>8.5</speed></TrackPointExtension></extensions></trkpt>';
    const workout = importWorkout(bytes(gpx(point, '<type>Ride</type>')));
    expect(workout.records[0]).toEqual({ t: Date.UTC(2024, 4, 1, 10), lat: 1, lon: 2, power: 250, speed: 8.5 });
    expect(workout.sport).toBe('cycling');
  });

  it('rejects GPX without track points, points without time, and non-numeric coordinates', () => {
    const route = '<?xml version="1.0"?><gpx version="1.1"><rte><rtept lat="1" lon="2"/></rte></gpx>';
    expect(errorOf(() => importWorkout(bytes(route)))).toMatchObject({ code: 'TL_ERR_XML_PARSE', message: expect.stringContaining('no track points') });
    expect(errorOf(() => importWorkout(bytes(gpx('<trkpt lat="1" lon="2"/>'))))).toMatchObject({
      code: 'TL_ERR_XML_PARSE',
      message: expect.stringContaining('track point 1 has no <time>'),
    });
    expect(errorOf(() => importWorkout(bytes(gpx('<trkpt lat="north" lon="2"><time>2024-05-01T10:00:00Z</time></trkpt>'))))).toMatchObject({
      code: 'TL_ERR_XML_PARSE',
      message: expect.stringContaining('"north", not a number'),
    });
  });

  it('rejects XML that is not well-formed with its line and column', () => {
    const broken = '<?xml version="1.0"?>\n<gpx version="1.1">\n<trk><trkseg></trk>\n</gpx>';
    expect(errorOf(() => importWorkout(bytes(broken)))).toMatchObject({ code: 'TL_ERR_XML_PARSE', message: expect.stringContaining('line 3') });
  });
});

describe('TCX import', () => {
  it('reads the hand-written ride: five track points, two laps, one session', () => {
    const workout = importWorkout(fixture('hand-ride.tcx'));
    expect(workout.format).toBe('tcx');
    expect(workout.sport).toBe('cycling');
    expect(workout.records).toHaveLength(5);
    expect(workout.records[1]).toEqual({
      t: Date.UTC(2024, 4, 2, 8, 0, 10),
      lat: 45.0006744,
      lon: 7,
      altitude: 201,
      distance: 75,
      hr: 110,
      cadence: 86,
      speed: 7.5,
      power: 190,
    });
    expect(workout.records.map((r) => r.distance)).toEqual([0, 75, 150, 225, 300]);
    const t0 = Date.UTC(2024, 4, 2, 8, 0, 0);
    expect(workout.laps).toEqual([
      { start: t0, end: t0 + 20_000, timerS: 20, distanceM: 150, avgHr: 110, maxHr: 120, sport: 'cycling' },
      { start: t0 + 20_000, end: t0 + 40_000, timerS: 20, distanceM: 150, avgHr: 135, maxHr: 140, sport: 'cycling' },
    ]);
    expect(workout.sessions).toEqual([{ start: t0, end: t0 + 40_000, timerS: 40, distanceM: 300, maxHr: 140, sport: 'cycling' }]);
  });

  it('drops pause markers (a Trackpoint with only a Time) and reads RunCadence', () => {
    const tcx = `<TrainingCenterDatabase><Activities><Activity Sport="Running"><Lap StartTime="2024-05-02T08:00:00Z"><Track>
      <Trackpoint><Time>2024-05-02T08:00:00Z</Time><HeartRateBpm><Value>120</Value></HeartRateBpm><Extensions><TPX><RunCadence>88</RunCadence></TPX></Extensions></Trackpoint>
      <Trackpoint><Time>2024-05-02T08:00:05Z</Time></Trackpoint>
    </Track></Lap></Activity></Activities></TrainingCenterDatabase>`;
    const workout = importWorkout(bytes(tcx));
    expect(workout.records).toEqual([{ t: Date.UTC(2024, 4, 2, 8), hr: 120, cadence: 88 }]);
    expect(workout.sport).toBe('running');
  });

  it('rejects a TCX without track points, or with a lap missing its start time', () => {
    const course = '<TrainingCenterDatabase><Courses><Course><Name>x</Name></Course></Courses></TrainingCenterDatabase>';
    expect(errorOf(() => importWorkout(bytes(course))).code).toBe('TL_ERR_XML_PARSE');
    const noStart = '<TrainingCenterDatabase><Activities><Activity Sport="Running"><Lap><TotalTimeSeconds>5</TotalTimeSeconds></Lap></Activity></Activities></TrainingCenterDatabase>';
    expect(errorOf(() => importWorkout(bytes(noStart)))).toMatchObject({ code: 'TL_ERR_XML_PARSE', message: expect.stringContaining('lap 1 has no StartTime') });
  });
});
