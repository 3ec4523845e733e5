/**
 * The shape every `touchline` subcommand takes. A command parses its own options, reads its input
 * through `CliContext` (so tests can run it without a shell) and returns rows or one object; the
 * dispatcher in `main.ts` prints them as JSON or CSV and turns a TouchlineError into exit code 2.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { TouchlineError } from '../errors.ts';

export type OutputFormat = 'json' | 'csv';

export type CommandResult =
  | { kind: 'object'; value: unknown }
  | { kind: 'rows'; rows: Record<string, unknown>[]; columns?: string[] };

export interface CliContext {
  readFile(path: string): Promise<Buffer>;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(positionals: string[], values: Record<string, string | boolean | undefined>, ctx: CliContext): Promise<CommandResult>;
}

export const fileContext: CliContext = {
  async readFile(path) {
    try {
      return await readFile(path);
    } catch (err) {
      throw new TouchlineError('TL_ERR_FILE_NOT_FOUND', `Cannot read ${path}: ${(err as Error).message}`, { path });
    }
  },
};

/** Parses argv for one command, turning node:util's errors into a coded usage error. */
export function parseCommandArgs(command: Command, argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { ...command.options, format: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new TouchlineError('TL_ERR_CLI_USAGE', `${(err as Error).message}\nusage: ${command.usage}`);
  }
}

/** Reads a numeric option, naming it when the value is not a finite number. */
export function numberOption(values: Record<string, unknown>, name: string, fallback: number): number;
export function numberOption(values: Record<string, unknown>, name: string, fallback?: undefined): number | undefined;
export function numberOption(values: Record<string, unknown>, name: string, fallback?: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n)) {
    throw new TouchlineError('TL_ERR_CLI_USAGE', `--${name} needs a number, got "${String(raw)}"`);
  }
  return n;
}

/** Reads an option restricted to a fixed set of words. */
export function choiceOption<T extends string>(values: Record<string, unknown>, name: string, choices: readonly T[], fallback: T): T {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !(choices as readonly string[]).includes(raw)) {
    throw new TouchlineError('TL_ERR_CLI_USAGE', `--${name} must be one of ${choices.join(', ')}, got "${String(raw)}"`);
  }
  return raw as T;
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV with a header row; columns default to the keys of the first row. */
export function formatCsv(rows: Record<string, unknown>[], columns?: string[]): string {
  const cols = columns ?? Object.keys(rows[0] ?? {});
  const lines = [cols.join(','), ...rows.map((row) => cols.map((c) => csvCell(row[c])).join(','))];
  return lines.join('\n') + '\n';
}

/** Flattens one object into a single CSV row, joining nested keys with '.'. */
export function flattenForCsv(value: unknown, prefix = '', into: Record<string, unknown> = {}): Record<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flattenForCsv(v, prefix ? `${prefix}.${k}` : k, into);
  } else {
    into[prefix] = value;
  }
  return into;
}

export function formatResult(result: CommandResult, format: OutputFormat): string {
  if (format === 'json') {
    const value = result.kind === 'object' ? result.value : result.rows;
    return JSON.stringify(value, null, 2) + '\n';
  }
  if (result.kind === 'rows') return formatCsv(result.rows, result.columns);
  return formatCsv([flattenForCsv(result.value)]);
}
