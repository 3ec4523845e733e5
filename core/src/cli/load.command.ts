/** `touchline load FILE`: the daily load table (ACWR, monotony, strain, CTL/ATL/TSB) from a date,load CSV. */
import { TouchlineError } from '../errors.ts';
import { EWMA_SEEDS } from '../load/ewma.ts';
import { parseDailyLoadCsv } from '../load/load-csv.ts';
import { DEFAULT_LOAD_CONVENTIONS, LOAD_DAY_COLUMNS, loadMetricsByDay } from '../load/load-table.ts';
import { PMC_DECAYS, TSB_TIMINGS } from '../load/performance-management.ts';
import { SD_CONVENTIONS, WINDOW_FILLS } from '../load/rolling.ts';
import { choiceOption, numberOption, type Command } from './command.ts';

const d = DEFAULT_LOAD_CONVENTIONS;

/** Printed values keep 4 decimals: more than any load measure is worth, and readable in a terminal. */
function rounded(value: unknown): unknown {
  return typeof value === 'number' ? Math.round(value * 1e4) / 1e4 : value;
}

export const loadCommand: Command = {
  name: 'load',
  summary: 'daily training load: acute/chronic, ACWR (coupled, uncoupled, EWMA), monotony, strain, CTL/ATL/TSB',
  usage: [
    'touchline load FILE.csv [options] [--format json|csv]',
    '  FILE.csv has a header naming date and load, then one row per session or day (rows on one date are',
    '  summed); dates YYYY-MM-DD or dd.mm.yyyy; days without a row are rest days (load 0).',
    ...[
      [`--window-fill ${WINDOW_FILLS.join('|')}`, `first weeks of rolling means (default ${d.windowFill})`],
      [`--sd ${SD_CONVENTIONS.join('|')}`, `SD in monotony (default ${d.sd})`],
      ['--ewma-acute N --ewma-chronic N', `EWMA spans in days, lambda = 2/(N+1) (default ${d.ewmaAcuteDays}, ${d.ewmaChronicDays})`],
      [`--ewma-seed ${EWMA_SEEDS.join('|')}`, `start of the EWMAs (default ${d.ewmaSeed})`],
      [`--decay ${PMC_DECAYS.join('|')}`, `CTL/ATL daily factor 1-e^(-1/tau) or 1/tau (default ${d.decay})`],
      ['--ctl-days N --atl-days N', `CTL/ATL time constants (default ${d.ctlDays}, ${d.atlDays})`],
      [`--tsb ${TSB_TIMINGS.join('|')}`, `TSB from yesterday's or today's CTL/ATL (default ${d.tsb})`],
    ].map(([option, text]) => `  ${(option as string).padEnd(50)}${text}`),
    'Empty cells are undefined values (e.g. ACWR while the chronic load is 0). Numbers are rounded to 4 decimals.',
  ].join('\n'),
  options: {
    'window-fill': { type: 'string' },
    sd: { type: 'string' },
    'ewma-acute': { type: 'string' },
    'ewma-chronic': { type: 'string' },
    'ewma-seed': { type: 'string' },
    decay: { type: 'string' },
    'ctl-days': { type: 'string' },
    'atl-days': { type: 'string' },
    tsb: { type: 'string' },
  },
  async run(positionals, values, ctx) {
    if (positionals.length !== 1) {
      throw new TouchlineError('TL_ERR_CLI_USAGE', `load needs exactly one FILE, got ${positionals.length}\nusage: ${loadCommand.usage}`);
    }
    const conventions = {
      windowFill: choiceOption(values, 'window-fill', WINDOW_FILLS, d.windowFill),
      sd: choiceOption(values, 'sd', SD_CONVENTIONS, d.sd),
      ewmaAcuteDays: wholeDays(values, 'ewma-acute', d.ewmaAcuteDays),
      ewmaChronicDays: wholeDays(values, 'ewma-chronic', d.ewmaChronicDays),
      ewmaSeed: choiceOption(values, 'ewma-seed', EWMA_SEEDS, d.ewmaSeed),
      decay: choiceOption(values, 'decay', PMC_DECAYS, d.decay),
      ctlDays: wholeDays(values, 'ctl-days', d.ctlDays),
      atlDays: wholeDays(values, 'atl-days', d.atlDays),
      tsb: choiceOption(values, 'tsb', TSB_TIMINGS, d.tsb),
    };
    const text = (await ctx.readFile(positionals[0] as string)).toString('utf8');
    const { rows } = loadMetricsByDay(parseDailyLoadCsv(text), conventions);
    const columns = [...LOAD_DAY_COLUMNS];
    return { kind: 'rows', columns, rows: rows.map((row) => Object.fromEntries(columns.map((c) => [c, rounded(row[c])]))) };
  },
};

function wholeDays(values: Record<string, unknown>, name: string, fallback: number): number {
  const n = numberOption(values, name, fallback);
  if (!Number.isInteger(n) || n < 1) throw new TouchlineError('TL_ERR_CLI_USAGE', `--${name} needs a whole number of days >= 1, got ${n}`);
  return n;
}
