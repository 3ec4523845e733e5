/**
 * Reads training load from CSV text: a header naming `date` and `load` (any order, other columns
 * ignored), then one row per session or per day. Dates are YYYY-MM-DD or dd.mm.yyyy (the European form
 * SoccerMon and spreadsheet exports use). Loads on the same date are summed later by fillDailyLoads.
 */
import { TouchlineError } from '../errors.ts';
import { dateOfDayNumber, dayNumberOf, type DailyLoad } from './daily-load.ts';

function csvError(line: number, message: string, column?: string): TouchlineError {
  return new TouchlineError('TL_ERR_CSV_PARSE', `line ${line}: ${message}`, column === undefined ? { line } : { line, column });
}

/** Splits one line into cells; double-quoted cells may hold commas and "" for a quote. */
function splitCells(text: string, line: number): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === ',') {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += c;
    }
  }
  if (quoted) throw csvError(line, 'a quoted cell is not closed');
  cells.push(cell.trim());
  return cells;
}

/** YYYY-MM-DD, or d.m.yyyy / dd.mm.yyyy, as YYYY-MM-DD; undefined if not a real calendar date. */
export function normalizeLoadDate(text: string): string | undefined {
  const european = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  const iso = european ? `${european[3]}-${european[2]?.padStart(2, '0')}-${european[1]?.padStart(2, '0')}` : text;
  const day = dayNumberOf(iso);
  return day === undefined ? undefined : dateOfDayNumber(day);
}

const DECIMAL = /^\+?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseDailyLoadCsv(text: string): DailyLoad[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) throw csvError(1, 'the file is empty; expected a header "date,load" and rows below it');
  const header = splitCells(lines[headerIndex] as string, headerIndex + 1).map((h) => h.toLowerCase());
  const dateColumn = header.indexOf('date');
  const loadColumn = header.indexOf('load');
  if (dateColumn < 0 || loadColumn < 0) {
    throw csvError(headerIndex + 1, `the header must name the columns date and load (comma-separated), got "${lines[headerIndex]}"`);
  }
  const entries: DailyLoad[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw.trim() === '') continue;
    const line = i + 1;
    const cells = splitCells(raw, line);
    const dateText = cells[dateColumn];
    const loadText = cells[loadColumn];
    if (dateText === undefined || loadText === undefined) {
      throw csvError(line, `expected ${header.length} cells, got ${cells.length}`);
    }
    const date = normalizeLoadDate(dateText);
    if (date === undefined) throw csvError(line, `"${dateText}" is not a date (use YYYY-MM-DD or dd.mm.yyyy)`, 'date');
    const load = DECIMAL.test(loadText) ? Number(loadText) : Number.NaN;
    if (!Number.isFinite(load)) throw csvError(line, `load "${loadText}" is not a number >= 0`, 'load');
    entries.push({ date, load });
  }
  if (entries.length === 0) throw csvError(headerIndex + 1, 'the header has no rows of load below it');
  return entries;
}
