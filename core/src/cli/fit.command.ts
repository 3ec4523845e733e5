/** `touchline fit FILE`: the summary of a workout file (FIT, GPX, TCX or CSV), or its records. */
import { TouchlineError } from '../errors.ts';
import { WORKOUT_PROFILE_DEFAULTS, importWorkout, summarizeWorkout, type Workout, type WorkoutRecord } from '../import/index.ts';
import { choiceOption, numberOption, type Command, type CommandResult } from './command.ts';

const d = WORKOUT_PROFILE_DEFAULTS;
const usage = [
  'touchline fit FILE [--records] [--hr-max BPM] [--hr-rest BPM] [--sex male|female] [--age YEARS] [--mass KG]',
  '                   [--format json|csv]',
  '  FILE: a FIT, GPX, TCX or CSV workout (CSV: a header with time or timestamp and any of hr, lat, lon,',
  '        speed, distance, altitude, cadence, power). The format is recognised from the content.',
  '  Prints the summary: duration, distance, heart rate, Banister TRIMP, time in HR zones, distance per',
  '  speed zone and HRV of the beat-to-beat data. --records prints the records instead (a table with --format csv).',
  `  Profile defaults, listed under "assumed" when used: --hr-rest ${d.hrRest}, --sex ${d.sex}, --age ${d.ageYears},`,
  `  --mass ${d.massKg}; --hr-max is predicted from age (Tanaka: 208 − 0.7 × age) and raised to the file's highest rate.`,
].join('\n');

const RECORD_FIELDS = ['hr', 'lat', 'lon', 'speed', 'distance', 'altitude', 'cadence', 'power'] as const satisfies readonly (keyof WorkoutRecord)[];

/** camelCase to snake_case, as the CLI prints names (`durationS` → `duration_s`, `vlfMs2` → `vlf_ms2`). */
function snakeCase(name: string): string {
  return name.replace(/(?<=[a-z0-9])([A-Z])/g, '_$1').toLowerCase();
}

function snakeCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeCaseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [snakeCase(key), snakeCaseKeys(v)]));
}

/** One row per record: ISO time (or seconds from the start for elapsed-time files), so the CSV imports again. */
function recordRows(workout: Workout): CommandResult {
  const rows = workout.records.map((r) => {
    const row: Record<string, unknown> = { time: workout.timeBase === 'unix' ? new Date(r.t).toISOString() : r.t / 1000 };
    for (const field of RECORD_FIELDS) row[field] = r[field];
    return row;
  });
  const columns = ['time', ...RECORD_FIELDS.filter((field) => workout.records.some((r) => r[field] !== undefined))];
  return { kind: 'rows', rows, columns };
}

export const fitCommand: Command = {
  name: 'fit',
  summary: 'summary of a FIT, GPX, TCX or CSV workout: distance, HR, TRIMP, HR and speed zones, HRV',
  usage,
  options: {
    records: { type: 'boolean' },
    'hr-max': { type: 'string' },
    'hr-rest': { type: 'string' },
    sex: { type: 'string' },
    age: { type: 'string' },
    mass: { type: 'string' },
  },
  async run(positionals, values, ctx) {
    if (positionals.length !== 1) {
      throw new TouchlineError('TL_ERR_CLI_USAGE', `touchline fit takes one FILE, got ${positionals.length}\nusage: ${usage}`);
    }
    const file = positionals[0]!;
    const workout = importWorkout(await ctx.readFile(file), file);
    if (values.records === true) return recordRows(workout);
    const summary = summarizeWorkout(workout, {
      hrMax: numberOption(values, 'hr-max'),
      hrRest: numberOption(values, 'hr-rest'),
      sex: values.sex === undefined ? undefined : choiceOption(values, 'sex', ['male', 'female'] as const, d.sex),
      ageYears: numberOption(values, 'age'),
      massKg: numberOption(values, 'mass'),
    });
    return { kind: 'object', value: snakeCaseKeys({ file, ...summary, assumed: summary.assumed.map(snakeCase) }) };
  },
};
