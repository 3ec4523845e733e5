/**
 * Checks core's GNSS distance against real devices: the per-record CSVs that python-fitparse (MIT)
 * wrote from Garmin FIT files, in ../shared/datasets/fit. Each record holds the device's own
 * cumulative distance (wheel sensor or the watch's filtered GNSS), its speed and its position in
 * semicircles. The device distance is an independent measurement, not ground truth; agreement to a
 * few per cent is what GNSS distance can offer. Not part of `npm test` (it reads ../shared). Run
 * from the repository: `npx node scripts/validate/gnss-fit-records.ts`.
 *
 * Cycling exceeds the running-oriented default maxSpeed (12.5 m/s), so it is raised to 30 m/s here.
 * The small Fenix/Edge 820 files use Garmin "smart recording" (fixes up to 9 s apart), which the
 * default maxGapSeconds (5 s, meant for 10 Hz pods) treats as dropouts; the last columns bridge
 * gaps up to 30 s.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { summarizeGnss } from '../../core/src/gnss/index.ts';
import type { GnssFix } from '../../core/src/types.ts';

const dir = join(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'fit');
const SEMICIRCLE_DEG = 180 / 2 ** 31;

interface Track {
  fixes: GnssFix[];
  deviceDistanceM: number;
  deviceMaxSpeed: number;
}

function readTrack(file: string): Track | null {
  const [header, ...lines] = readFileSync(join(dir, file), 'utf8').trim().split('\n');
  const columns = header!.split(',');
  const col = (name: string) => columns.indexOf(name);
  const [iTime, iSpeed, iDistance, iLat, iLon] = ['timestamp', 'speed', 'distance', 'position_lat', 'position_long'].map(col);
  if ([iTime, iSpeed, iDistance, iLat, iLon].some((i) => i === undefined || i < 0)) return null;
  const fixes: GnssFix[] = [];
  const distances: number[] = [];
  let deviceMaxSpeed = 0;
  for (const line of lines) {
    const cells = line.split(',');
    const t = Date.parse(cells[iTime!]!);
    const lat = Number(cells[iLat!]) * SEMICIRCLE_DEG;
    const lon = Number(cells[iLon!]) * SEMICIRCLE_DEG;
    const speed = cells[iSpeed!] === '' ? undefined : Number(cells[iSpeed!]);
    if (cells[iDistance!] !== '') distances.push(Number(cells[iDistance!]));
    if (speed !== undefined && speed > deviceMaxSpeed) deviceMaxSpeed = speed;
    if (cells[iLat!] !== '' && cells[iLon!] !== '') fixes.push({ t, lat, lon, speed });
  }
  return { fixes, deviceDistanceM: distances.at(-1)! - distances[0]!, deviceMaxSpeed };
}

const rows = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('-records.csv')).sort()) {
  const track = readTrack(file);
  if (!track || track.fixes.length < 2) {
    rows.push({ file, note: 'no positions' });
    continue;
  }
  const withSpeed = summarizeGnss(track.fixes, { maxSpeed: 30 });
  const positionsOnly = summarizeGnss(
    track.fixes.map(({ speed: _speed, ...fix }) => fix),
    { maxSpeed: 30 },
  );
  const bridged = summarizeGnss(track.fixes, { maxSpeed: 30, maxGapSeconds: 30 });
  const pct = (m: number) => `${(((m - track.deviceDistanceM) / track.deviceDistanceM) * 100).toFixed(2)} %`;
  rows.push({
    file,
    fixes: track.fixes.length,
    deviceDistanceM: +track.deviceDistanceM.toFixed(1),
    touchlineM: +withSpeed.distanceM.toFixed(1),
    diff: pct(withSpeed.distanceM),
    positionsOnlyDiff: pct(positionsOnly.distanceM),
    gaps: withSpeed.fixes.gaps,
    bridged30sM: +bridged.distanceM.toFixed(1),
    bridged30sDiff: pct(bridged.distanceM),
    rejected: withSpeed.fixes.received - withSpeed.fixes.used,
    deviceMaxSpeed: track.deviceMaxSpeed,
    maxSpeed: +withSpeed.maxSpeed.toFixed(2),
  });
}
console.table(rows);
