/**
 * RR artifact detection and correction after Lipponen & Tarvainen 2019, "A robust algorithm for heart
 * rate variability time series artefact correction using novel beat classification", J Med Eng
 * Technol 43(3):173–181, doi:10.1080/03091902.2019.1640306 (the method behind Kubios HRV's automatic
 * correction). Constants and decision flow as in NeuroKit2 `signal_fixpeaks._find_artifacts` (MIT):
 *
 * - dRRⱼ = RRⱼ − RRⱼ₋₁, normalised by Th1 = α·(Q3 − Q1)/2 of |dRR| over a centred 91-beat window;
 * - mRRⱼ = RRⱼ − median of 11 beats around j, negative values doubled, normalised by Th2 (same form);
 * - ectopic: dRR > 1 and S12 < −c1·dRR − c2, or dRR < −1 and S12 > −c1·dRR + c2, S12 being the max
 *   (dRR > 0) or min (dRR < 0) of the neighbouring dRRs;
 * - long / short: dRR > 1 and S22 < −1 / dRR < −1 and S22 > 1, S22 being the min (dRR ≥ 0) or max of
 *   the two following dRRs, or |mRR| > 3 (its sign telling which);
 * - missed: a long interval with |RR/2 − medRR| < Th2; extra: a short one with |RRⱼ + RRⱼ₊₁ − medRR| < Th2.
 *
 * The |mRR| > 3 test admits a long/short beat even when |dRR| ≤ 1, as the paper's flow chart and
 * systole's `rr_artefacts` do (NeuroKit2 skips such beats). Correction works on beat times, so the
 * recording keeps its length: an extra beat is deleted, a missed beat is inserted halfway through its
 * interval, and a misplaced beat is moved halfway between its neighbours (for an ectopic pair the beat
 * between the short and the long interval, for a long or short interval the beat that ends it).
 * The interval after an ectopic or extra beat belongs to the same event and is not classified on its
 * own. Detection and correction repeat while the number of artifacts found keeps falling (NeuroKit2's
 * `iterative=True`).
 */
import { TouchlineError } from '../errors.ts';
import { assertRrIntervals } from './rr-intervals.ts';
import { centredRolling, sortedQuantile } from './stats.ts';

export type ArtifactKind = 'ectopic' | 'missed' | 'extra' | 'long' | 'short';

export const ARTIFACT_KINDS: readonly ArtifactKind[] = ['ectopic', 'missed', 'extra', 'long', 'short'];

export interface ArtifactParameters {
  /** Threshold scale α (5.2). */
  alpha: number;
  /** Slope and intercept of the ectopic decision lines in subspace 1 (0.13, 0.17). */
  c1: number;
  c2: number;
  /** Beats in the centred window of the quartile thresholds (91). */
  thresholdWindow: number;
  /** Beats in the centred median filter of mRR (11). */
  medianWindow: number;
  /**
   * Floor of Th1 and Th2 in ms (1). Not in the paper: it keeps the normalisation finite on series with
   * no spread at all (paced or synthetic), 1 ms being the resolution of most RR sources.
   */
  minThresholdMs: number;
  /** Most detect-and-correct passes (10); each pass must find fewer artifacts than the one before. */
  maxPasses: number;
}

export const LIPPONEN_TARVAINEN_PARAMETERS: Readonly<ArtifactParameters> = {
  alpha: 5.2,
  c1: 0.13,
  c2: 0.17,
  thresholdWindow: 91,
  medianWindow: 11,
  minThresholdMs: 1,
  maxPasses: 10,
};

export interface DetectedArtifact {
  /** Index of the interval in the series given to the detector. */
  index: number;
  kind: ArtifactKind;
}

/** An input interval that correction changed, listed once with the kind and pass that first found it. */
export interface CorrectedArtifact extends DetectedArtifact {
  /** The pass (from 1); `index` always points into the original input. */
  pass: number;
}

export interface ArtifactCorrection {
  method: 'lipponen-tarvainen-2019';
  /** The corrected (NN) series. */
  nn: number[];
  artifacts: CorrectedArtifact[];
  /** Counts of `artifacts`, by kind and in all. */
  countsByKind: Record<ArtifactKind, number>;
  count: number;
  /** Corrected intervals per 100 input intervals. */
  percent: number;
  inputCount: number;
  outputCount: number;
  passes: number;
  parameters: ArtifactParameters;
}

function resolveParameters(options: Partial<ArtifactParameters>): ArtifactParameters {
  const parameters = { ...LIPPONEN_TARVAINEN_PARAMETERS, ...options };
  for (const [name, value] of Object.entries(parameters)) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `${name} must be a positive number, got ${String(value)}`, { argument: name });
    }
  }
  return parameters;
}

/** α·(Q3 − Q1)/2 of |values| over a centred window, floored. */
function rollingThreshold(values: readonly number[], p: ArtifactParameters): number[] {
  const spread = centredRolling(values.map(Math.abs), p.thresholdWindow, (w) => (sortedQuantile(w, 0.75) - sortedQuantile(w, 0.25)) / 2);
  return spread.map((s) => Math.max(p.alpha * s, p.minThresholdMs));
}

/** One detection pass. The first interval (no predecessor) and the last two (no following differences) are not classified. */
export function detectArtifacts(rr: readonly number[], options: Partial<ArtifactParameters> = {}): DetectedArtifact[] {
  const parameters = resolveParameters(options);
  assertRrIntervals(rr, 1);
  return findArtifacts(rr, parameters);
}

function findArtifacts(rr: readonly number[], p: ArtifactParameters): DetectedArtifact[] {
  const n = rr.length;
  if (n < 4) return [];
  const at = (values: readonly number[], i: number) => values[i] as number;
  const reflect = (i: number) => (i < 0 ? -i : i > n - 1 ? 2 * (n - 1) - i : i);

  const dRr = rr.map((v, i) => (i === 0 ? 0 : v - at(rr, i - 1)));
  const th1 = rollingThreshold(dRr, p);
  const d = dRr.map((v, i) => v / at(th1, i));

  const medRr = centredRolling(rr, p.medianWindow, (w) => sortedQuantile(w, 0.5));
  const mRr = rr.map((v, i) => {
    const deviation = v - at(medRr, i);
    return deviation < 0 ? 2 * deviation : deviation;
  });
  const th2 = rollingThreshold(mRr, p);
  const m = mRr.map((v, i) => v / at(th2, i));

  const dAt = (i: number) => at(d, reflect(i));
  const s12 = (j: number) => {
    const dj = dAt(j);
    if (dj > 0) return Math.max(dAt(j - 1), dAt(j + 1));
    return dj < 0 ? Math.min(dAt(j - 1), dAt(j + 1)) : 0;
  };
  const s22 = (j: number) => (dAt(j) >= 0 ? Math.min(dAt(j + 1), dAt(j + 2)) : Math.max(dAt(j + 1), dAt(j + 2)));

  const classifyLongShort = (k: number): ArtifactKind | undefined => {
    const dk = dAt(k);
    const mk = at(m, k);
    const long = (dk > 1 && s22(k) < -1) || (Math.abs(mk) > 3 && mk > 0);
    const short = (dk < -1 && s22(k) > 1) || (Math.abs(mk) > 3 && mk < 0);
    if (long) return Math.abs(at(rr, k) / 2 - at(medRr, k)) < at(th2, k) ? 'missed' : 'long';
    if (short) return Math.abs(at(rr, k) + at(rr, k + 1) - at(medRr, k)) < at(th2, k) ? 'extra' : 'short';
    return undefined;
  };

  const found: DetectedArtifact[] = [];
  for (let j = 1; j <= n - 3; ) {
    const dj = dAt(j);
    const ectopic = (dj > 1 && s12(j) < -p.c1 * dj - p.c2) || (dj < -1 && s12(j) > -p.c1 * dj + p.c2);
    if (ectopic) {
      found.push({ index: j, kind: 'ectopic' });
      // The next interval is this beat's compensation; judged on its own it can look ectopic too.
      j += 2;
      continue;
    }
    if (Math.abs(dj) <= 1 && Math.abs(at(m, j)) <= 3) {
      j += 1;
      continue;
    }
    // A long/short beat often drags its successor's difference along; judge the successor too when
    // its own difference is the smaller of the next two (Lipponen & Tarvainen 2019, Fig. 1).
    const last = Math.abs(dAt(j + 1)) < Math.abs(dAt(j + 2)) ? j + 1 : j;
    let k = j;
    while (k <= last) {
      const kind = classifyLongShort(k);
      if (kind) found.push({ index: k, kind });
      // An extra beat splits one interval in two: the second half is not judged on its own.
      k += kind === 'extra' ? 2 : 1;
    }
    j = k;
  }
  return found;
}

/** Applies one pass of corrections to the beat times, keeping untouched intervals bit-for-bit. */
function applyCorrections(rr: readonly number[], origin: readonly number[], found: readonly DetectedArtifact[]) {
  const beatTimes = [0];
  for (const v of rr) beatTimes.push((beatTimes[beatTimes.length - 1] as number) + v);
  const time = (k: number) => beatTimes[k] as number;
  const deleted = new Set<number>();
  const moved = new Map<number, number>();
  const insertedBefore = new Map<number, number>();
  for (const { index: j, kind } of found) {
    if (kind === 'extra') deleted.add(j + 1);
    else if (kind === 'missed') insertedBefore.set(j + 1, (time(j) + time(j + 1)) / 2);
    else if (kind === 'ectopic') moved.set(j, (time(j - 1) + time(j + 1)) / 2);
    else moved.set(j + 1, (time(j) + time(j + 2)) / 2);
  }

  // Beats of the corrected series: time, original beat index (-1 if inserted), and whether it moved.
  const beats: { t: number; from: number; moved: boolean; origin: number }[] = [{ t: 0, from: 0, moved: false, origin: -1 }];
  for (let k = 1; k <= rr.length; k++) {
    const intervalOrigin = origin[k - 1] as number;
    const inserted = insertedBefore.get(k);
    if (inserted !== undefined) beats.push({ t: inserted, from: -1, moved: true, origin: intervalOrigin });
    if (deleted.has(k)) continue;
    const newTime = moved.get(k);
    beats.push({ t: newTime ?? time(k), from: k, moved: newTime !== undefined, origin: intervalOrigin });
  }

  const nn: number[] = [];
  const nnOrigin: number[] = [];
  for (let b = 1; b < beats.length; b++) {
    const start = beats[b - 1] as (typeof beats)[number];
    const end = beats[b] as (typeof beats)[number];
    const untouched = !start.moved && !end.moved && start.from >= 0 && end.from === start.from + 1;
    nn.push(untouched ? (rr[start.from] as number) : end.t - start.t);
    nnOrigin.push(end.origin);
  }
  return { nn, origin: nnOrigin };
}

export function correctArtifacts(rr: readonly number[], options: Partial<ArtifactParameters> = {}): ArtifactCorrection {
  const parameters = resolveParameters(options);
  assertRrIntervals(rr, 1);
  let nn = [...rr];
  let origin = rr.map((_, i) => i);
  const artifacts: CorrectedArtifact[] = [];
  const reported = new Set<number>();
  let passes = 0;
  let previousCount = Infinity;
  while (passes < parameters.maxPasses) {
    const found = findArtifacts(nn, parameters);
    if (found.length === 0 || found.length >= previousCount) break;
    passes += 1;
    for (const a of found) {
      const index = origin[a.index] as number;
      if (!reported.has(index)) artifacts.push({ index, kind: a.kind, pass: passes });
      reported.add(index);
    }
    ({ nn, origin } = applyCorrections(nn, origin, found));
    previousCount = found.length;
  }
  const countsByKind = Object.fromEntries(ARTIFACT_KINDS.map((kind) => [kind, 0])) as Record<ArtifactKind, number>;
  for (const a of artifacts) countsByKind[a.kind] += 1;
  return {
    method: 'lipponen-tarvainen-2019',
    nn,
    artifacts,
    countsByKind,
    count: artifacts.length,
    percent: (100 * artifacts.length) / rr.length,
    inputCount: rr.length,
    outputCount: nn.length,
    passes,
    parameters,
  };
}
