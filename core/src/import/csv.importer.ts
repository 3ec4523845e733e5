/**
 * Workout samples from a CSV table (RFC 4180 quoting; comma, semicolon or tab separated, chosen by
 * which occurs most in the header). Columns are matched by name, case-insensitively, with an optional
 * unit in brackets: `time`/`timestamp`, `hr`/`heart_rate`, `lat`, `lon`, `speed` [m/s or km/h],
 * `distance` [m or km], `altitude`/`ele`, `cadence`, `power`. Other columns are ignored.
 *
 * The time column may hold ISO 8601 date-times (no zone means UTC), Unix seconds or milliseconds, or
 * elapsed time as seconds or h:mm:ss. Numbers from 10^8 (1973 as Unix seconds) are Unix seconds, from
 * 10^11 Unix milliseconds; smaller ones are seconds since the start (about three years of headroom).
 */
import { TouchlineError } from '../errors.ts';
import { parseIsoTime } from './timestamps.ts';
import { assembleWorkout, compactRecord, hasMeasurement, type TimeBase, type Workout, type WorkoutRecord } from './workout.ts';

type Field = Exclude<keyof WorkoutRecord, 't'> | 't';

/** Accepted names per field and, per accepted unit, the factor to the record's unit. */
const COLUMNS: Record<Field, { names: string[]; units: Record<string, number> }> = {
  t: { names: ['time', 'timestamp', 'datetime', 'date_time'], units: { s: 1, utc: 1 } },
  hr: { names: ['hr', 'heart_rate', 'heartrate'], units: { bpm: 1 } },
  lat: { names: ['lat', 'latitude'], units: { deg: 1, '°': 1 } },
  lon: { names: ['lon', 'lng', 'long', 'longitude'], units: { deg: 1, '°': 1 } },
  speed: { names: ['speed'], units: { 'm/s': 1, 'km/h': 1 / 3.6 } },
  distance: { names: ['distance'], units: { m: 1, km: 1000 } },
  altitude: { names: ['altitude', 'ele', 'elevation'], units: { m: 1 } },
  cadence: { names: ['cadence'], units: { rpm: 1 } },
  power: { names: ['power', 'watts'], units: { w: 1 } },
};

const MISSING = new Set(['', 'null', 'nan', 'na', 'n/a', '-']);

function csvError(message: string, detail?: Record<string, unknown>): TouchlineError {
  return new TouchlineError('TL_ERR_CSV_PARSE', message, detail);
}

/** Splits CSV text into rows of cells, each row with the 1-based line it starts on. */
function parseRows(text: string, delimiter: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.some((x) => x.trim() !== '')) rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      rowLine = ++line;
    } else {
      cell += c;
    }
  }
  if (quoted) throw csvError(`Line ${rowLine}: a quoted cell is never closed.`, { line: rowLine });
  cells.push(cell);
  if (cells.some((x) => x.trim() !== '')) rows.push({ line: rowLine, cells });
  return rows;
}

function chooseDelimiter(headerLine: string): string {
  const counts = [',', ';', '\t'].map((d) => [d, headerLine.split(d).length] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

/** Maps each known field to its column index and unit factor, from header cells such as "Speed [m/s]". */
function mapColumns(header: string[]): Map<Field, { index: number; factor: number; label: string }> {
  const columns = new Map<Field, { index: number; factor: number; label: string }>();
  header.forEach((label, index) => {
    const match = /^(.*?)\s*(?:[[(]([^\])]*)[\])])?\s*$/.exec(label.trim())!;
    const name = match[1]!.toLowerCase().replace(/[\s-]+/g, '_');
    const unit = match[2]?.trim().toLowerCase();
    const field = (Object.keys(COLUMNS) as Field[]).find((f) => COLUMNS[f].names.includes(name));
    if (!field || columns.has(field)) return;
    const factor = unit === undefined || unit === '' ? 1 : COLUMNS[field].units[unit];
    if (factor === undefined) {
      throw csvError(`Column "${label.trim()}" is in ${unit}; Touchline reads ${Object.keys(COLUMNS[field].units).join(' or ')} there.`, { column: label.trim() });
    }
    columns.set(field, { index, factor, label: label.trim() });
  });
  return columns;
}

type TimeKind = 'iso' | 'unix-s' | 'unix-ms' | 'elapsed';

const CLOCK = /^(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)$/;

function timeKind(value: string): TimeKind | undefined {
  if (parseIsoTime(value) !== undefined) return 'iso';
  if (CLOCK.test(value)) return 'elapsed';
  const n = Number(value);
  if (!Number.isFinite(n)) return undefined;
  return n >= 1e11 ? 'unix-ms' : n >= 1e8 ? 'unix-s' : 'elapsed';
}

function parseTime(value: string, kind: TimeKind): number | undefined {
  if (kind === 'iso') return parseIsoTime(value);
  const clock = CLOCK.exec(value);
  if (clock) return kind === 'elapsed' ? (Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3])) * 1000 : undefined;
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n)) return undefined;
  return kind === 'unix-ms' ? n : n * 1000;
}

export function importCsv(text: string): Workout {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = chooseDelimiter(firstLine);
  const [header, ...rows] = parseRows(text, delimiter);
  if (!header) throw csvError('The CSV file is empty.');
  if (header.cells.every((cell) => cell.trim() !== '' && Number.isFinite(Number(cell)))) {
    throw csvError('The first line holds numbers, not column names: a workout CSV needs a header such as "time,hr". (A bare list of RR intervals is read by `touchline hrv`.)', { line: header.line });
  }
  const columns = mapColumns(header.cells);
  const time = columns.get('t');
  if (!time) {
    throw csvError(`No time column: the header needs "time" or "timestamp" (found: ${header.cells.map((c) => c.trim()).join(', ')}).`);
  }
  if (columns.size === 1) {
    throw csvError('No data column: the header needs at least one of hr, heart_rate, lat, lon, speed, distance, altitude, cadence, power.');
  }
  if (rows.length === 0) throw csvError('The CSV file has a header but no rows.');

  const firstTime = rows[0]!.cells[time.index]?.trim() ?? '';
  const kind = timeKind(firstTime);
  if (!kind) throw csvError(`Line ${rows[0]!.line}: time "${firstTime}" is neither an ISO 8601 date-time, a Unix time nor elapsed seconds.`, { line: rows[0]!.line });
  // A semicolon-separated file is usually written with decimal commas.
  const decimalComma = delimiter === ';';

  const records = rows.map(({ line, cells }) => {
    if (cells.length > header.cells.length && cells.slice(header.cells.length).some((c) => c.trim() !== '')) {
      throw csvError(`Line ${line} has ${cells.length} cells but the header has ${header.cells.length}.`, { line });
    }
    const rawTime = cells[time.index]?.trim() ?? '';
    const t = parseTime(rawTime, kind);
    if (t === undefined) throw csvError(`Line ${line}: time "${rawTime}" does not match the first row's time format (${kind}).`, { line, column: time.label });
    const fields: Partial<Record<Field, number>> = {};
    for (const [field, { index, factor, label }] of columns) {
      if (field === 't') continue;
      const raw = (cells[index] ?? '').trim();
      if (MISSING.has(raw.toLowerCase())) continue;
      const value = Number(decimalComma ? raw.replace(',', '.') : raw);
      if (!Number.isFinite(value)) throw csvError(`Line ${line}, column "${label}": "${raw}" is not a number.`, { line, column: label });
      fields[field] = value * factor;
    }
    return compactRecord({ ...fields, t });
  });

  const measured = records.filter(hasMeasurement);
  if (measured.length === 0) throw csvError('Every row of the CSV file is empty apart from its time.');
  const timeBase: TimeBase = kind === 'elapsed' ? 'elapsed' : 'unix';
  return assembleWorkout({ format: 'csv', sport: 'generic', timeBase, records: measured, laps: [], sessions: [], rr: [] });
}
