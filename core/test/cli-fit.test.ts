import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../src/cli/command.ts';
import { runCli } from '../src/cli/main.ts';
import { TouchlineError } from '../src/errors.ts';
import { importWorkout } from '../src/import/index.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'workouts', name));

const files: Record<string, Buffer> = {
  'run.gpx': fixture('hand-run.gpx'),
  'ride.tcx': fixture('hand-ride.tcx'),
  'run.fit': fixture('garmin-fenix-5-run.fit'),
  'cut.fit': fixture('garmin-fenix-5-run.fit').subarray(0, 3000),
  'laps.csv': Buffer.from('time,hr\n0,120\n10,130\n'),
  'notes.txt': Buffer.from('{"not": "a workout"}'),
};

const ctx: CliContext = {
  async readFile(path) {
    const bytes = files[path];
    if (bytes === undefined) throw new TouchlineError('TL_ERR_FILE_NOT_FOUND', `Cannot read ${path}`, { path });
    return bytes;
  },
};

describe('touchline fit', () => {
  it('prints the summary as JSON with snake_case names and the profile it assumed', async () => {
    const out = await runCli(['fit', 'run.gpx', '--hr-max', '190', '--hr-rest', '60'], ctx);
    expect(out.exitCode).toBe(0);
    const summary = JSON.parse(out.stdout) as Record<string, unknown>;
    // Values of the hand-written GPX (see import-summary.test.ts for how each was worked out).
    expect(summary).toMatchObject({
      file: 'run.gpx',
      format: 'gpx',
      sport: 'running',
      start: '2024-05-01T10:00:00.000Z',
      duration_s: 40,
      distance_source: 'gnss',
      avg_hr: 135,
      max_hr: 160,
      records: 5,
      rr_count: 0,
      hrv: null,
      profile: { hr_max: 190, hr_rest: 60, sex: 'male', age_years: 30, mass_kg: 75 },
      assumed: ['sex', 'age_years', 'mass_kg'],
      hr_max_source: 'given',
    });
    expect(summary.distance_m).toBeCloseTo(222.3902, 3);
    expect(summary.trimp).toBeCloseTo(0.773875, 6);
  });

  it('reads sex and age: a female profile takes the 0.86 prefactor, age predicts HRmax', async () => {
    const out = await runCli(['fit', 'ride.tcx', '--sex', 'female', '--age', '40'], ctx);
    const summary = JSON.parse(out.stdout) as { profile: { hr_max: number; sex: string }; conventions: { hr: { banister: { a: number; b: number } } } };
    expect(summary.profile).toMatchObject({ hr_max: 180, sex: 'female' }); // 208 − 0.7 × 40
    expect(summary.conventions.hr.banister).toMatchObject({ a: 0.86, b: 1.67 });
  });

  it('prints HRV of a FIT file with beat-to-beat data', async () => {
    const out = await runCli(['fit', 'run.fit'], ctx);
    const summary = JSON.parse(out.stdout) as { rr_count: number; hrv: { rr_count: number; time_domain: { rmssd_ms: number } } };
    expect(summary.rr_count).toBe(113);
    expect(summary.hrv.rr_count).toBe(113);
    expect(summary.hrv.time_domain.rmssd_ms).toBeGreaterThan(0);
  });

  it('--records --format csv prints a table that imports back to the same records', async () => {
    const out = await runCli(['fit', 'ride.tcx', '--records', '--format', 'csv'], ctx);
    expect(out.exitCode).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toBe('time,hr,lat,lon,speed,distance,altitude,cadence,power');
    expect(lines[1]).toBe('2024-05-02T08:00:00.000Z,100,45,7,7.5,0,200,85,180');
    expect(lines).toHaveLength(6);
    expect(importWorkout(new TextEncoder().encode(out.stdout)).records).toEqual(importWorkout(files['ride.tcx']!).records);
  });

  it('--records prints JSON rows, elapsed seconds for a file without clock time', async () => {
    const out = await runCli(['fit', 'laps.csv', '--records'], ctx);
    expect(JSON.parse(out.stdout)).toEqual([
      { time: 0, hr: 120 },
      { time: 10, hr: 130 },
    ]);
  });

  it('exits 2 with the code on stderr for bad files and bad options', async () => {
    const cases: [string[], string][] = [
      [['fit', 'cut.fit'], 'TL_ERR_FIT_CORRUPT'],
      [['fit', 'notes.txt'], 'TL_ERR_UNSUPPORTED_FORMAT'],
      [['fit', 'missing.fit'], 'TL_ERR_FILE_NOT_FOUND'],
      [['fit'], 'TL_ERR_CLI_USAGE'],
      [['fit', 'run.gpx', 'ride.tcx'], 'TL_ERR_CLI_USAGE'],
      [['fit', 'run.gpx', '--sex', 'other'], 'TL_ERR_CLI_USAGE'],
      [['fit', 'run.gpx', '--hr-max', 'high'], 'TL_ERR_CLI_USAGE'],
      [['fit', 'run.gpx', '--hr-max', '50', '--hr-rest', '60'], 'TL_ERR_INVALID_ARGUMENT'],
      [['fit', 'run.gpx', '--age', '150'], 'TL_ERR_INVALID_ARGUMENT'],
    ];
    for (const [argv, code] of cases) {
      const out = await runCli(argv, ctx);
      expect(out.exitCode, argv.join(' ')).toBe(2);
      expect(out.stderr, argv.join(' ')).toMatch(new RegExp(`^${code}: `));
    }
  });
});
