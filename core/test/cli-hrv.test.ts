import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../src/cli/command.ts';
import { runCli } from '../src/cli/main.ts';
import { TouchlineError } from '../src/errors.ts';

const fixtures = join(import.meta.dirname, 'fixtures', 'hrv');
const files: Record<string, string | Buffer> = {
  'rest.txt': readFileSync(join(fixtures, 'rhenanbartels-rest-rri.txt')),
  'real.txt': readFileSync(join(fixtures, 'rhenanbartels-real-rri.txt')),
};
const ctx: CliContext = {
  async readFile(path) {
    const content = files[path];
    if (content === undefined) throw new TouchlineError('TL_ERR_FILE_NOT_FOUND', `Cannot read ${path}`);
    return Buffer.from(content);
  },
};
const run = async (args: string[]) => {
  const outcome = await runCli(['hrv', ...args], ctx);
  return { ...outcome, json: outcome.exitCode === 0 && !args.includes('csv') ? JSON.parse(outcome.stdout) : undefined };
};

describe('touchline hrv', () => {
  it('prints every metric of rest_rri.txt with correction off, matching numpy and scipy', async () => {
    const { exitCode, json } = await run(['rest.txt', '--no-correction']);
    expect(exitCode).toBe(0);
    // Same independent numpy/scipy values as hrv-time-domain and hrv-frequency-domain tests.
    const expected: Record<string, number> = {
      n: 910,
      mean_rr_ms: 1058.7186813186813,
      sdnn_ms: 57.81817771970009,
      rmssd_ms: 55.13744203126742,
      ln_rmssd: 4.009829014081921,
      sdsd_ms: 55.167700730663555,
      nn50: 321,
      pnn50_pct: 35.31353135313531,
      nn20: 663,
      pnn20_pct: 72.93729372937294,
      mean_hr_bpm: 56.672278536983335,
      min_hr_bpm: 49.586776859504134,
      max_hr_bpm: 76.62835249042146,
      sd1_ms: 39.00945528912225,
      sd2_ms: 71.87886417160782,
      vlf_ms2: 1156.7475506090937,
      lf_ms2: 849.8610141727497,
      hf_ms2: 892.6955038524983,
      lf_hf: 0.9520166848663482,
    };
    for (const [key, value] of Object.entries(expected)) expect(json[key], key).toBeCloseTo(value, 8);
    expect(json.artifact_correction).toEqual({ enabled: false, method: null, input_n: 910, output_n: 910 });
    expect(json.conventions).toMatchObject({ sd_ddof: 1, pnn_denominator: 'differences', mean_hr: 'from-mean-rr' });
    expect(json.conventions.frequency).toMatchObject({ resample_hz: 4, segment_s: 256, overlap: 0.5, window: 'hann-periodic', segments: 6 });
  });

  it('reports what artifact correction changed, by line', async () => {
    // A steady list with one missed beat on line 101 (intervals 100 and 101 fused).
    const clean = Array.from({ length: 200 }, (_, i) => 900 + 40 * Math.sin((2 * Math.PI * i) / 9) + 6 * Math.sin(1.3 * i));
    const missed = [...clean.slice(0, 100), (clean[100] as number) + (clean[101] as number), ...clean.slice(102)];
    files['missed.txt'] = `rr\n${missed.join('\n')}\n`;
    const { exitCode, json } = await run(['missed.txt']);
    expect(exitCode).toBe(0);
    expect(json.n).toBe(200);
    expect(json.artifact_correction).toMatchObject({
      enabled: true,
      method: 'lipponen-tarvainen-2019',
      input_n: 199,
      output_n: 200,
      count: 1,
      percent: 100 / 199,
      by_kind: { ectopic: 0, missed: 1, extra: 0, long: 0, short: 0 },
      artifacts: [{ index: 100, line: 102, kind: 'missed', pass: 1 }],
    });
    const uncorrected = await run(['missed.txt', '--no-correction']);
    expect(uncorrected.json.n).toBe(199);
    expect(uncorrected.json.rmssd_ms).toBeGreaterThan(json.rmssd_ms);
  });

  it('reads a CSV with an index column and applies named conventions', async () => {
    files['indexed.csv'] = ',RR\n0,800\n1,810\n2,790\n3,850\n4,820\n';
    const { exitCode, json } = await run(['indexed.csv', '--pnn-denominator', 'intervals', '--mean-hr', 'mean-of-beats', '--sd-ddof', '0']);
    expect(exitCode).toBe(0);
    expect(json.n).toBe(5);
    expect(json.pnn50_pct).toBe(20); // 1 of 5 intervals
    expect(json.sdnn_ms).toBeCloseTo(Math.sqrt(2120 / 5), 12);
    expect(json.mean_hr_bpm).toBeCloseTo((60000 / 800 + 60000 / 810 + 60000 / 790 + 60000 / 850 + 60000 / 820) / 5, 12);
    expect(json.vlf_ms2).toBeNull();
    expect(json.frequency_domain_skipped).toMatch(/at least 120 s/);
    expect(json.conventions).toMatchObject({ sd_ddof: 0, pnn_denominator: 'intervals', mean_hr: 'mean-of-beats', frequency: null });
  });

  it('prints one CSV row when asked', async () => {
    const { exitCode, stdout } = await run(['rest.txt', '--no-correction', '--format', 'csv']);
    expect(exitCode).toBe(0);
    const [header, row] = stdout.trim().split('\n');
    const columns = header?.split(',') ?? [];
    expect(columns).toContain('rmssd_ms');
    expect(columns).toContain('artifact_correction.enabled');
    expect(row?.split(',')[columns.indexOf('nn50')]).toBe('321');
  });
});

describe('touchline hrv on bad input', () => {
  const failure = async (args: string[], code: string, message?: RegExp) => {
    const { exitCode, stderr, stdout } = await run(args);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.startsWith(`${code}: `)).toBe(true);
    if (message) expect(stderr).toMatch(message);
  };

  it('names the trailing zero of real_rri.txt by its line', async () => {
    await failure(['real.txt'], 'TL_ERR_RR_INTERVAL', /Line 772: 0 ms/);
  });

  it('rejects empty files, non-numeric lines and negative intervals', async () => {
    files['empty.txt'] = '';
    files['words.txt'] = '800\n810\nabout 800\n';
    files['negative.txt'] = '800\n-810\n820\n';
    files['two.txt'] = '800\n810\n';
    await failure(['empty.txt'], 'TL_ERR_TOO_FEW_SAMPLES', /empty/);
    await failure(['words.txt'], 'TL_ERR_CSV_PARSE', /Line 3/);
    await failure(['negative.txt'], 'TL_ERR_RR_INTERVAL', /Line 2: -810 ms/);
    await failure(['two.txt'], 'TL_ERR_TOO_FEW_SAMPLES', /at least 3/);
  });

  it('rejects a missing file and a bad command line', async () => {
    await failure(['nowhere.txt'], 'TL_ERR_FILE_NOT_FOUND');
    await failure([], 'TL_ERR_CLI_USAGE', /one FILE/);
    await failure(['rest.txt', 'real.txt'], 'TL_ERR_CLI_USAGE');
    await failure(['rest.txt', '--sd-ddof', '2'], 'TL_ERR_CLI_USAGE', /--sd-ddof/);
    await failure(['rest.txt', '--bogus'], 'TL_ERR_CLI_USAGE');
  });
});
