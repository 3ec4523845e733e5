/**
 * RR (beat-to-beat) interval input: the plausibility check every HRV function applies, and the text
 * parser for the files people export from straps, apps and HRV tools.
 */
import { TouchlineError } from '../errors.ts';

/**
 * Hard limits for one interval. The lower bound leaves room for the very short intervals a detector
 * produces when it fires twice on one beat (those are extra beats, for artifact correction) while
 * catching zeros and files written in seconds; above 5000 ms (12 bpm) the value is a recording gap,
 * not a beat.
 */
export const RR_INTERVAL_LIMITS_MS = { min: 20, max: 5000 } as const;

/** Header names accepted for the interval column of a CSV, compared case-insensitively. */
export const RR_COLUMN_NAMES = ['rr', 'rr_ms', 'rri', 'nn', 'nni'] as const;

/** Why `ms` is not a usable RR interval, or undefined when it is. */
export function rrIntervalProblem(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return `${String(ms)} is not a finite number`;
  if (ms >= RR_INTERVAL_LIMITS_MS.min && ms <= RR_INTERVAL_LIMITS_MS.max) return undefined;
  const hint = ms > 0 && ms < 10 ? '; the values look like seconds, give milliseconds' : '';
  return `${ms} ms is outside ${RR_INTERVAL_LIMITS_MS.min}–${RR_INTERVAL_LIMITS_MS.max} ms${hint}`;
}

/** Throws TL_ERR_RR_INTERVAL naming the first bad interval, and TL_ERR_TOO_FEW_SAMPLES below `minCount`. */
export function assertRrIntervals(rr: readonly number[], minCount: number): void {
  if (!Array.isArray(rr)) throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', 'RR intervals must be an array of milliseconds');
  rr.forEach((ms, index) => {
    const problem = rrIntervalProblem(ms);
    if (problem) throw new TouchlineError('TL_ERR_RR_INTERVAL', `RR interval ${index}: ${problem}`, { index, value: ms });
  });
  if (rr.length < minCount) {
    throw new TouchlineError('TL_ERR_TOO_FEW_SAMPLES', `Need at least ${minCount} RR intervals, got ${rr.length}`, {
      count: rr.length,
      minCount,
    });
  }
}

export interface ParsedRrIntervals {
  rr: number[];
  /** 1-based line number of each interval in the text, for messages that point into the file. */
  lines: number[];
  format: 'list' | 'csv';
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseNumber(cell: string): number | undefined {
  const text = cell.trim().replace(/^"(.*)"$/, '$1').trim();
  return NUMBER.test(text) ? Number(text) : undefined;
}

function cellsOf(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((cell) => cell.trim().replace(/^"(.*)"$/, '$1').trim());
}

/**
 * Reads RR intervals in ms from text: either one number per line (an optional header line naming
 * the column is skipped), or a CSV (comma, semicolon or tab) whose header names the interval column
 * (`rr`, `rr_ms`, `rri`, `nn` or `nni`) among any others, e.g. systole's index column. Blank lines
 * are ignored; anything else that is not a plausible interval is an error naming its line.
 */
export function parseRrText(text: string): ParsedRrIntervals {
  const rows = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .map((line, i) => ({ line: i + 1, text: line.trim() }))
    .filter((row) => row.text !== '');
  const header = rows[0];
  if (!header) throw new TouchlineError('TL_ERR_TOO_FEW_SAMPLES', 'The input holds no RR intervals (it is empty)', { count: 0 });

  const delimiter = [',', ';', '\t'].find((d) => header.text.includes(d));
  const rr: number[] = [];
  const lines: number[] = [];
  const accept = (value: number, line: number) => {
    const problem = rrIntervalProblem(value);
    if (problem) throw new TouchlineError('TL_ERR_RR_INTERVAL', `Line ${line}: ${problem}`, { line, value });
    rr.push(value);
    lines.push(line);
  };

  if (delimiter === undefined) {
    const hasHeader = (RR_COLUMN_NAMES as readonly string[]).includes(header.text.toLowerCase().replace(/^"(.*)"$/, '$1'));
    for (const row of hasHeader ? rows.slice(1) : rows) {
      const value = parseNumber(row.text);
      if (value === undefined) {
        throw new TouchlineError('TL_ERR_CSV_PARSE', `Line ${row.line}: "${row.text.slice(0, 40)}" is not a number of milliseconds`, {
          line: row.line,
        });
      }
      accept(value, row.line);
    }
    return { rr, lines, format: 'list' };
  }

  const columns = cellsOf(header.text, delimiter).map((name) => name.toLowerCase());
  const column = columns.findIndex((name) => (RR_COLUMN_NAMES as readonly string[]).includes(name));
  if (column < 0) {
    throw new TouchlineError(
      'TL_ERR_CSV_PARSE',
      `Line ${header.line}: no RR column in the header (found ${columns.map((c) => `"${c}"`).join(', ')}; expected one of ${RR_COLUMN_NAMES.join(', ')})`,
      { line: header.line },
    );
  }
  for (const row of rows.slice(1)) {
    const cell = cellsOf(row.text, delimiter)[column];
    const value = cell === undefined ? undefined : parseNumber(cell);
    if (value === undefined) {
      const shown = cell === undefined || cell === '' ? 'is missing' : `"${cell.slice(0, 40)}" is not a number`;
      throw new TouchlineError('TL_ERR_CSV_PARSE', `Line ${row.line}, column "${columns[column]}": the value ${shown}`, {
        line: row.line,
        column: columns[column],
      });
    }
    accept(value, row.line);
  }
  return { rr, lines, format: 'csv' };
}
