/**
 * Checks core's HRV against the published expected values of two GPL-3 projects whose data may not be
 * copied into the repository, so this script reads ../shared/datasets/hrv and is not part of `npm test`.
 * Run from the repository: `npx node scripts/validate/hrv.ts` (npx puts the project's Node 24 first).
 *
 * - Aura-healthcare/hrv-analysis tests/test_nn_intervals.txt (1000 NN) against the expected values of
 *   its tests/test_extract_features_methods.py (listed in shared/reference/sports-science.md §3.1).
 * - embodied-computation-group/systole datasets/rr.txt (245 RR) against systole's own values and the
 *   Kubios HRV 2.2 values quoted in its test comments (§3.3).
 *
 * Artifact correction is off: both expected sets describe the intervals as given. Where a project's
 * convention differs from our Kubios default, the row names the option that reproduces it. Rows marked
 * "info" compare different methods and only report the gap.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeHrv, hrvTimeDomain, parseRrText, type TimeDomainConventions } from '../../core/src/hrv/index.ts';

const dir = join(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'hrv');
const read = (name: string) => parseRrText(readFileSync(join(dir, name), 'utf8')).rr;

interface Row {
  source: string;
  metric: string;
  ours: number;
  expected: number;
  /** Absolute tolerance; undefined marks an informational row. */
  tolerance?: number;
  note?: string;
}

const rows: Row[] = [];
const check = (source: string, metric: string, ours: number | null, expected: number, tolerance?: number, note?: string) =>
  rows.push({ source, metric, ours: ours ?? Number.NaN, expected, tolerance, note });

// hrv-analysis: its expected values carry full double precision, so tolerances are 1e-9.
const nn = read('hrvanalysis_test_nn_intervals.txt');
const kubios = analyzeHrv(nn, { correction: false });
const td = kubios.timeDomain;
const as = (conventions: Partial<TimeDomainConventions>) => hrvTimeDomain(nn, conventions);
const ha = 'hrv-analysis';
check(ha, 'n', td.n, 1000, 0);
check(ha, 'mean NN (ms)', td.meanRrMs, 718.248, 1e-9);
check(ha, 'SDNN (ms)', td.sdnnMs, 43.113074968427306, 1e-9);
check(ha, 'RMSSD (ms)', td.rmssdMs, 19.519400785039664, 1e-9);
check(ha, 'lnRMSSD', td.lnRmssd, 2.971409, 1e-6, 'computed in sports-science.md §3.1');
check(ha, 'SDSD (ms)', as({ ddof: 0 }).sdsdMs, 19.519367520775713, 1e-9, 'ddof: 0');
check(ha, 'NN50', td.nn50, 24, 0);
check(ha, 'pNN50 (%)', td.pnn50Pct, 2.4024024024024024, 1e-9);
check(ha, 'pNN50 (%) over N', as({ pnnDenominator: 'intervals' }).pnn50Pct, 2.4, 1e-9, "pnnDenominator: 'intervals'");
check(ha, 'NN20', td.nn20, 225, 0);
check(ha, 'pNN20 (%)', td.pnn20Pct, 22.52252252252252, 1e-9);
check(ha, 'pNN20 (%) over N', as({ pnnDenominator: 'intervals' }).pnn20Pct, 22.5, 1e-9, "pnnDenominator: 'intervals'");
check(ha, 'mean HR (bpm)', as({ meanHr: 'mean-of-beats' }).meanHrBpm, 83.84733227281252, 1e-9, "meanHr: 'mean-of-beats'");
check(ha, 'mean HR (bpm) Kubios', td.meanHrBpm, 60000 / 718.248, 1e-9, '60000 / mean NN');
check(ha, 'max HR (bpm)', td.maxHrBpm, 101.69491525423729, 1e-9);
check(ha, 'min HR (bpm)', td.minHrBpm, 71.51370679380214, 1e-9);
check(ha, 'SD1 (ms)', td.sd1Ms, 13.80919037557993, 1e-9);
check(ha, 'SD2 (ms)', as({ poincare: 'sdnn-sdsd-identity' }).sd2Ms, 59.38670497373513, 1e-9, "poincare: 'sdnn-sdsd-identity'");
check(ha, 'SD2 (ms) rotated axes', td.sd2Ms, 59.38670497373513, undefined, 'info: Kubios-style default vs the identity');

// systole: its values are given to 6 decimals, Kubios 2.2's to its display precision.
const rr = read('systole_rr.txt');
const sys = analyzeHrv(rr, { correction: false });
const st = sys.timeDomain;
check('systole', 'n', st.n, 245, 0);
check('systole', 'mean RR (ms)', st.meanRrMs, 883.238095, 5e-7);
check('systole', 'SDNN (ms)', st.sdnnMs, 84.690544, 5e-7);
check('systole', 'RMSSD (ms)', st.rmssdMs, 45.546669, 5e-7);
check('systole', 'NN50', st.nn50, 64, 0);
check('systole', 'pNN50 (%)', st.pnn50Pct, 26.229508, 5e-7);
check('systole', 'mean HR (bpm)', hrvTimeDomain(rr, { meanHr: 'mean-of-beats' }).meanHrBpm, 68.577834, 5e-7, "meanHr: 'mean-of-beats'");
check('Kubios 2.2', 'mean RR (ms)', st.meanRrMs, 883.24, 0.005);
check('Kubios 2.2', 'SDNN (ms)', st.sdnnMs, 84.691, 0.0005);
check('Kubios 2.2', 'NN50', st.nn50, 64, 0);
check('Kubios 2.2', 'pNN50 (%)', st.pnn50Pct, 26.23, 0.0005);
check('Kubios 2.2', 'RMSSD (ms)', st.rmssdMs, 45.545, undefined, 'info');
check('Kubios 2.2', 'SD1 (ms)', st.sd1Ms, 32.273, undefined, 'info');
check('Kubios 2.2', 'SD2 (ms)', st.sd2Ms, 115.38, undefined, 'info');
check('Kubios 2.2', 'LF (ms²)', sys.frequencyDomain?.lfMs2 ?? null, 2393.9, undefined, 'info: Kubios detrends by smoothness priors');
check('systole', 'LF (ms²)', sys.frequencyDomain?.lfMs2 ?? null, 2339.54, undefined, 'info: systole own spectrum');

const format = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(12));
let failures = 0;
console.log(['source', 'metric', 'ours', 'expected', 'difference', 'result', 'note'].join('\t'));
for (const row of rows) {
  const difference = row.ours - row.expected;
  const result = row.tolerance === undefined ? 'info' : Math.abs(difference) <= row.tolerance ? 'ok' : 'FAIL';
  if (result === 'FAIL') failures++;
  console.log([row.source, row.metric, format(row.ours), format(row.expected), difference.toExponential(2), result, row.note ?? ''].join('\t'));
}
const checked = rows.filter((r) => r.tolerance !== undefined).length;
console.log(`\n${checked - failures} passed, ${failures} failed (${rows.length - checked} informational rows)`);
process.exitCode = failures ? 1 : 0;
