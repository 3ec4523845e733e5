/**
 * Garmin Training Center XML v2 (https://www8.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd):
 * each Activity becomes a session, each Lap a lap, each Trackpoint a record, with speed and power
 * from the ActivityExtension v2 `TPX` element (https://www8.garmin.com/xmlschemas/ActivityExtensionv2.xsd).
 * TCX gives a lap's start and its timer time (`TotalTimeSeconds`, pauses excluded), so a lap ends at
 * its last track point, or at start + timer time when it has none.
 */
import { TouchlineError } from '../errors.ts';
import { parseIsoTime } from './timestamps.ts';
import { assembleWorkout, compactRecord, hasMeasurement, normaliseSport, sportOfSessions, type Workout, type WorkoutRecord, type WorkoutSegment } from './workout.ts';
import { child, children, number, text, type XmlNode } from './xml-document.ts';

function requiredTime(node: XmlNode, name: string, where: string): number {
  const raw = text(node, name);
  const t = raw === undefined ? undefined : parseIsoTime(raw);
  if (t === undefined) {
    const what = raw === undefined ? `no ${name.startsWith('@_') ? name.slice(2) : `<${name}>`}` : `an unreadable time "${raw}"`;
    throw new TouchlineError('TL_ERR_XML_PARSE', `${where} has ${what}.`, { where });
  }
  return t;
}

function trackpoint(tp: XmlNode, where: string): WorkoutRecord {
  const position = child(tp, 'Position');
  const tpx = child(child(tp, 'Extensions'), 'TPX');
  return compactRecord({
    t: requiredTime(tp, 'Time', where),
    lat: number(position, 'LatitudeDegrees', where),
    lon: number(position, 'LongitudeDegrees', where),
    altitude: number(tp, 'AltitudeMeters', where),
    distance: number(tp, 'DistanceMeters', where),
    hr: number(child(tp, 'HeartRateBpm'), 'Value', where),
    cadence: number(tp, 'Cadence', where) ?? number(tpx, 'RunCadence', where),
    speed: number(tpx, 'Speed', where),
    power: number(tpx, 'Watts', where),
  });
}

export function importTcx(database: XmlNode): Workout {
  const activities = children(child(database, 'Activities'), 'Activity');
  const records: WorkoutRecord[] = [];
  const laps: WorkoutSegment[] = [];
  const sessions: WorkoutSegment[] = [];
  let pointCount = 0;

  activities.forEach((activity, a) => {
    const sport = normaliseSport(text(activity, '@_Sport'));
    const activityLaps = children(activity, 'Lap').map((lap, l) => {
      const where = `TCX activity ${a + 1}, lap ${l + 1}`;
      const start = requiredTime(lap, '@_StartTime', where);
      const lapRecords = children(lap, 'Track')
        .flatMap((track) => children(track, 'Trackpoint'))
        .map((tp) => trackpoint(tp, `TCX track point ${++pointCount}`));
      records.push(...lapRecords);
      const timerS = number(lap, 'TotalTimeSeconds', where);
      const lastPoint = lapRecords.reduce((latest, r) => Math.max(latest, r.t), -Infinity);
      const segment: WorkoutSegment = { start, end: Number.isFinite(lastPoint) ? lastPoint : start + (timerS ?? 0) * 1000, sport };
      if (timerS !== undefined) segment.timerS = timerS;
      const distanceM = number(lap, 'DistanceMeters', where);
      if (distanceM !== undefined) segment.distanceM = distanceM;
      const avgHr = number(child(lap, 'AverageHeartRateBpm'), 'Value', where);
      if (avgHr !== undefined) segment.avgHr = avgHr;
      const maxHr = number(child(lap, 'MaximumHeartRateBpm'), 'Value', where);
      if (maxHr !== undefined) segment.maxHr = maxHr;
      return segment;
    });
    laps.push(...activityLaps);
    if (activityLaps.length > 0) sessions.push(sessionOf(activityLaps, sport));
  });

  const measured = records.filter(hasMeasurement);
  if (measured.length === 0) {
    throw new TouchlineError('TL_ERR_XML_PARSE', 'The TCX file has no track points with data (Activities/Activity/Lap/Track/Trackpoint); a course or workout plan is not a recorded workout.');
  }
  return assembleWorkout({ format: 'tcx', sport: sportOfSessions(sessions), records: measured, laps, sessions, rr: [] });
}

/** An Activity as a session: from its first lap's start to its last lap's end, totals summed. */
function sessionOf(laps: WorkoutSegment[], sport: string): WorkoutSegment {
  const session: WorkoutSegment = {
    start: Math.min(...laps.map((l) => l.start)),
    end: Math.max(...laps.map((l) => l.end)),
    sport,
  };
  if (laps.every((l) => l.timerS !== undefined)) session.timerS = laps.reduce((s, l) => s + l.timerS!, 0);
  if (laps.every((l) => l.distanceM !== undefined)) session.distanceM = laps.reduce((s, l) => s + l.distanceM!, 0);
  const maxHrs = laps.flatMap((l) => l.maxHr ?? []);
  if (maxHrs.length > 0) session.maxHr = Math.max(...maxHrs);
  return session;
}
