/**
 * Checks core's load models against SoccerMon's published derived files (Midoglu et al. 2024, Sci Data,
 * doi:10.1038/s41597-024-03386-x). SoccerMon's licence is unconfirmed, so its files stay in ../shared and
 * this script is not part of `npm test`. Run from the repository: `npx node scripts/validate/soccermon.ts`
 * (npx puts the project's Node 24 first, which runs TypeScript directly).
 *
 * For every player it feeds daily_load.csv through loadMetricsByDay with SoccerMon's conventions
 * (zero-padded windows, population SD) and compares each cell of atl, ctl28, ctl42, acwr, monotony and
 * strain. A cell matches "within rounding" when our unrounded value is as close as SoccerMon's 2-decimal
 * rounding allows: 0.005 for ATL/CTL, that error carried through the ratios for ACWR (ATL(2 dp)/CTL28(2 dp))
 * and monotony (ATL(2 dp)/SD, then 2 dp) and through the product for strain (weekly load × monotony(2 dp)).
 * It also counts the cells reproduced exactly when our values are rounded the way SoccerMon does (numpy,
 * half to even).
 * Undefined values (ACWR with no chronic load, monotony of a constant week) are 0 in SoccerMon's files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMetricsByDay, normalizeLoadDate, type LoadDayRow } from '../../core/src/load/index.ts';

const dir = join(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'soccermon', 'training-load');

/** Known defects listed in shared/datasets/README.md ("Facts verified on these files"). */
const GLITCH_DATE = '2021-08-07';
const BROKEN_PLAYER_PREFIXES = ['TeamA-5cd7a61b', 'TeamA-4051bba7', 'TeamA-32fed4b3'];

interface WideTable {
  players: string[];
  dates: string[];
  /** values[player][day] */
  values: Map<string, number[]>;
}

function readWide(name: string): WideTable {
  const lines = readFileSync(join(dir, `${name}.csv`), 'utf8').trim().split(/\r?\n/);
  const players = (lines[0] ?? '').split(',').slice(1);
  const dates: string[] = [];
  const values = new Map(players.map((p) => [p, [] as number[]]));
  for (const line of lines.slice(1)) {
    const [date, ...cells] = line.split(',');
    const iso = normalizeLoadDate(date ?? '');
    if (!iso) throw new Error(`${name}.csv: bad date ${date}`);
    dates.push(iso);
    players.forEach((p, i) => values.get(p)?.push(cells[i] === '' || cells[i] === undefined ? Number.NaN : Number(cells[i])));
  }
  return { players, dates, values };
}

/** numpy.round(x, 2): scale, round half to even, unscale. */
function round2(x: number): number {
  const s = x * 100;
  const f = Math.floor(s);
  const frac = s - f;
  const n = frac > 0.5 ? f + 1 : frac < 0.5 ? f : f % 2 === 0 ? f : f + 1;
  return n / 100;
}

const ROUNDING = 0.005;
const EPS = 1e-9;

interface Metric {
  file: string;
  ours: (row: LoadDayRow) => number;
  /** How far our unrounded value may sit from SoccerMon's rounded one. */
  tolerance: (row: LoadDayRow) => number;
  /** Our value rounded the way SoccerMon rounds. */
  reproduced: (row: LoadDayRow) => number;
}

/**
 * SoccerMon divides the 2-decimal ATL (the 7-day mean), not the exact mean, by the SD: with the exact mean
 * 10 clean cells land across a rounding boundary, with ATL(2 dp) none do. Our SD is acute / monotony.
 */
function soccermonMonotony(row: LoadDayRow): number {
  if (row.monotony === null || row.acute === null) return 0;
  return round2(round2(row.acute) / (row.acute / row.monotony));
}

/** Monotony's rounding error: 0.005 on the result plus ATL's 0.005 divided by the SD. */
function monotonyTolerance(row: LoadDayRow): number {
  if (row.monotony === null || row.acute === null) return EPS;
  return ROUNDING + ROUNDING / (row.acute / row.monotony) + EPS;
}

const weekly = (row: LoadDayRow) => (row.acute ?? 0) * 7;
const metrics: Metric[] = [
  { file: 'atl', ours: (r) => r.acute ?? 0, tolerance: () => ROUNDING + EPS, reproduced: (r) => round2(r.acute ?? 0) },
  { file: 'ctl28', ours: (r) => r.chronic28 ?? 0, tolerance: () => ROUNDING + EPS, reproduced: (r) => round2(r.chronic28 ?? 0) },
  { file: 'ctl42', ours: (r) => r.chronic42 ?? 0, tolerance: () => ROUNDING + EPS, reproduced: (r) => round2(r.chronic42 ?? 0) },
  {
    file: 'acwr',
    ours: (r) => r.acwr ?? 0,
    tolerance: (r) => (r.chronic28 ? (ROUNDING * (1 + (r.acwr ?? 0))) / Math.max(r.chronic28 - ROUNDING, ROUNDING) : 0) + EPS,
    reproduced: (r) => {
      const chronic = round2(r.chronic28 ?? 0);
      return chronic === 0 ? 0 : round2(r.acute ?? 0) / chronic;
    },
  },
  { file: 'monotony', ours: (r) => r.monotony ?? 0, tolerance: monotonyTolerance, reproduced: soccermonMonotony },
  {
    file: 'strain',
    ours: (r) => r.strain ?? 0,
    tolerance: (r) => weekly(r) * (monotonyTolerance(r) - EPS) + 1e-6,
    reproduced: (r) => weekly(r) * soccermonMonotony(r),
  },
];

const daily = readWide('daily_load');
const ourRows = new Map<string, LoadDayRow[]>();
for (const player of daily.players) {
  const loads = daily.values.get(player) ?? [];
  const { rows } = loadMetricsByDay(
    daily.dates.map((date, i) => ({ date, load: loads[i] ?? Number.NaN })),
    { windowFill: 'zero-padded', sd: 'population' },
  );
  if (rows.length !== daily.dates.length) throw new Error(`${player}: ${rows.length} rows for ${daily.dates.length} dates`);
  ourRows.set(player, rows);
}

const isBroken = (player: string) => BROKEN_PLAYER_PREFIXES.some((p) => player.startsWith(p));
console.log(`SoccerMon training-load: ${daily.players.length} players x ${daily.dates.length} days (${daily.dates[0]} .. ${daily.dates.at(-1)})`);
console.log('metric    | all cells: within rounding  exact | clean cells*: within rounding  exact');
const offenders = new Map<string, number>();
for (const metric of metrics) {
  const table = readWide(metric.file);
  const count = { all: 0, allNear: 0, allExact: 0, clean: 0, cleanNear: 0, cleanExact: 0 };
  for (const player of table.players) {
    const rows = ourRows.get(player);
    if (!rows) throw new Error(`${metric.file}.csv names a player missing from daily_load.csv: ${player}`);
    table.dates.forEach((date, i) => {
      const row = rows[i] as LoadDayRow;
      if (row.date !== date) throw new Error(`${metric.file}.csv: date ${date} out of step with daily_load.csv`);
      const theirs = table.values.get(player)?.[i] ?? Number.NaN;
      const near = Math.abs(metric.ours(row) - theirs) <= metric.tolerance(row);
      const exact = Math.abs(metric.reproduced(row) - theirs) <= 1e-9 * Math.max(1, Math.abs(theirs));
      const clean = date !== GLITCH_DATE && !isBroken(player);
      count.all++;
      count.allNear += Number(near);
      count.allExact += Number(exact);
      if (clean) {
        count.clean++;
        count.cleanNear += Number(near);
        count.cleanExact += Number(exact);
        if (!near) offenders.set(`${metric.file} ${player}`, (offenders.get(`${metric.file} ${player}`) ?? 0) + 1);
      }
    });
  }
  const pct = (n: number, of: number) => `${n}/${of} (${((100 * n) / of).toFixed(2)}%)`;
  console.log(
    `${metric.file.padEnd(9)} | ${pct(count.allNear, count.all).padEnd(22)} ${pct(count.allExact, count.all).padEnd(22)} | ${pct(count.cleanNear, count.clean).padEnd(22)} ${pct(count.cleanExact, count.clean)}`,
  );
}
console.log(`* clean: without the all-zero glitch row ${GLITCH_DATE} and the 3 players the README lists as breaking the formulas`);
console.log(offenders.size === 0 ? 'clean cells outside rounding: none' : 'clean cells outside rounding:');
for (const [key, n] of offenders) console.log(`  ${key}: ${n}`);
