import { describe, expect, it } from 'vitest';
import type { CliContext } from '../src/cli/command.ts';
import { runCli } from '../src/cli/main.ts';
import { TouchlineError } from '../src/errors.ts';

function context(files: Record<string, string>): CliContext {
  return {
    async readFile(path) {
      const text = files[path];
      if (text === undefined) throw new TouchlineError('TL_ERR_FILE_NOT_FOUND', `Cannot read ${path}`, { path });
      return Buffer.from(text, 'utf8');
    },
  };
}

/** Daily loads 500, 0, 400 from three sessions; a day with no row in between. */
const ctx = context({
  'load.csv': 'date,load\n2024-03-01,300\n01.03.2024,200\n2024-03-03,400\n',
  'bad.csv': 'date,load\n2024-03-01,300\n2024-03-02,lots\n',
});

describe('touchline load', () => {
  it('prints one JSON row per day with rest days filled', async () => {
    const out = await runCli(['load', 'load.csv'], ctx);
    expect(out.exitCode).toBe(0);
    const rows = JSON.parse(out.stdout) as Record<string, unknown>[];
    expect(rows.map((r) => [r.date, r.load])).toEqual([
      ['2024-03-01', 500],
      ['2024-03-02', 0],
      ['2024-03-03', 400],
    ]);
    // By hand: acute = 900/7 = 128.5714 (4 dp), ACWR = (900/7)/(900/28) = 4, no uncoupled chronic yet.
    expect(rows[2]).toMatchObject({ acute: 128.5714, acwr: 4, acwr_uncoupled: null, tsb: expect.any(Number) });
  });

  it('prints CSV with the documented columns; undefined values are empty cells', async () => {
    const out = await runCli(['load', 'load.csv', '--format', 'csv'], ctx);
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toBe('date,load,acute,chronic28,chronic42,acwr,acwr_uncoupled,acwr_ewma,monotony,strain,ctl,atl,tsb');
    expect(lines).toHaveLength(4);
    expect(lines[1]?.startsWith('2024-03-01,500,71.4286,17.8571,11.9048,4,,1,')).toBe(true);
  });

  it('selects conventions from options', async () => {
    const out = await runCli(['load', 'load.csv', '--decay', 'linear', '--tsb', 'same-day', '--window-fill', 'partial', '--sd', 'sample'], ctx);
    const rows = JSON.parse(out.stdout) as Record<string, number>[];
    // Linear decay on day 1: CTL 500/42 = 11.9048, ATL 500/7 = 71.4286, same-day TSB = −59.5238.
    expect(rows[0]).toMatchObject({ acute: 500, ctl: 11.9048, atl: 71.4286, tsb: -59.5238, monotony: null });
    // Sample SD of 500, 0, 400 is 264.5751 (numpy ddof=1); mean 300 -> monotony 1.1339.
    expect(rows[2]?.monotony).toBeCloseTo(1.1339, 4);
    const spans = JSON.parse((await runCli(['load', 'load.csv', '--ewma-acute', '3', '--ewma-chronic', '6'], ctx)).stdout);
    expect(spans[1].acwr_ewma).toBe(0.7); // λ 0.5 and 2/7 seeded with 500: 250 / (500·5/7)
  });

  it('reports a bad row as TL_ERR_CSV_PARSE naming the line', async () => {
    const out = await runCli(['load', 'bad.csv'], ctx);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(/^TL_ERR_CSV_PARSE: line 3: /);
  });

  it('reports usage errors and a missing file with their codes', async () => {
    expect((await runCli(['load'], ctx)).stderr).toMatch(/^TL_ERR_CLI_USAGE/);
    expect((await runCli(['load', 'load.csv', 'other.csv'], ctx)).stderr).toMatch(/^TL_ERR_CLI_USAGE/);
    expect((await runCli(['load', 'load.csv', '--sd', 'both'], ctx)).stderr).toMatch(/^TL_ERR_CLI_USAGE: --sd must be one of/);
    expect((await runCli(['load', 'load.csv', '--ctl-days', '0'], ctx)).stderr).toMatch(/^TL_ERR_CLI_USAGE: --ctl-days/);
    expect((await runCli(['load', 'load.csv', '--ewma-acute', '2.5'], ctx)).stderr).toMatch(/^TL_ERR_CLI_USAGE: --ewma-acute/);
    expect((await runCli(['load', 'missing.csv'], ctx)).stderr).toMatch(/^TL_ERR_FILE_NOT_FOUND/);
  });

  it('lists its options in --help', async () => {
    const out = await runCli(['load', '--help'], ctx);
    expect(out.exitCode).toBe(0);
    for (const option of ['--window-fill', '--sd', '--ewma-acute', '--ewma-chronic', '--ewma-seed', '--decay', '--ctl-days', '--atl-days', '--tsb']) {
      expect(out.stdout).toContain(option);
    }
  });
});
