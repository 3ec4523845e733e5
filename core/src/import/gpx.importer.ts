/**
 * GPX 1.0/1.1 tracks (https://www.topografix.com/GPX/1/1/): every `trk/trkseg/trkpt` with its `lat`
 * and `lon` attributes, `ele` and `time`, plus heart rate, cadence and speed from Garmin's
 * TrackPointExtension (https://www8.garmin.com/xmlschemas/TrackPointExtensionv2.xsd) and the `power`
 * extension element that Strava and others write. GPX has no laps or sessions.
 */
import { TouchlineError } from '../errors.ts';
import { parseIsoTime } from './timestamps.ts';
import { assembleWorkout, compactRecord, hasMeasurement, normaliseSport, type Workout } from './workout.ts';
import { child, children, number, text, type XmlNode } from './xml-document.ts';

export function importGpx(gpx: XmlNode): Workout {
  const tracks = children(gpx, 'trk');
  const points = tracks.flatMap((trk) => children(trk, 'trkseg').flatMap((seg) => children(seg, 'trkpt')));
  if (points.length === 0) {
    throw new TouchlineError('TL_ERR_XML_PARSE', 'The GPX file has no track points (<trk><trkseg><trkpt>); a route or a list of waypoints is not a recorded workout.');
  }

  const records = points.map((pt, i) => {
    const where = `GPX track point ${i + 1}`;
    const rawTime = text(pt, 'time');
    const t = rawTime === undefined ? undefined : parseIsoTime(rawTime);
    if (t === undefined) {
      throw new TouchlineError('TL_ERR_XML_PARSE', `${where} has ${rawTime === undefined ? 'no <time>' : `an unreadable <time> "${rawTime}"`}; every point of a recorded track needs one.`, { point: i + 1 });
    }
    const extensions = child(pt, 'extensions');
    const tpx = child(extensions, 'TrackPointExtension');
    return compactRecord({
      t,
      lat: number(pt, '@_lat', where),
      lon: number(pt, '@_lon', where),
      altitude: number(pt, 'ele', where),
      hr: number(tpx, 'hr', where),
      cadence: number(tpx, 'cad', where),
      speed: number(tpx, 'speed', where),
      power: number(extensions, 'power', where),
    });
  });

  return assembleWorkout({
    format: 'gpx',
    sport: normaliseSport(text(tracks[0], 'type')),
    records: records.filter(hasMeasurement),
    laps: [],
    sessions: [],
    rr: [],
  });
}
