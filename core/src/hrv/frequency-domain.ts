/**
 * Frequency-domain HRV: VLF, LF and HF power of the NN series.
 *
 * Method (Task Force 1996, Circulation 93(5):1043–1065, for the bands and the normalised units;
 * Welch 1967, IEEE Trans Audio Electroacoust 15(2):70–73, for the periodogram):
 * 1. place each NN value at the time of the beat that ends it and interpolate with a natural cubic
 *    spline at `resampleHz` (4 Hz, as Kubios HRV does);
 * 2. cut the evenly sampled series into segments of `segmentSeconds` (256 s = 1024 samples) overlapping
 *    by `overlap` (50 %); a recording shorter than one segment is one segment;
 * 3. remove each segment's least-squares line, apply a periodic Hann window, zero-pad to a power of
 *    two and take the FFT; scale to a one-sided density |X|²/(fs·Σw²), doubled except at 0 and
 *    Nyquist, and average the segments. This is scipy.signal.welch(window='hann', detrend='linear',
 *    scaling='density', average='mean');
 * 4. band power = Σ PSD(f)·Δf over the bins with lower edge ≤ f < upper edge.
 */
import { TouchlineError } from '../errors.ts';
import { naturalCubicSpline } from './cubic-spline.ts';
import { fftInPlace, nextPowerOfTwo } from './fft.ts';
import { assertRrIntervals } from './rr-intervals.ts';

export interface FrequencyBands {
  /** [lower, upper) edges in Hz. */
  vlf: readonly [number, number];
  lf: readonly [number, number];
  hf: readonly [number, number];
}

export interface FrequencyDomainOptions {
  resampleHz: number;
  segmentSeconds: number;
  /** Fraction of a segment shared with the next, in [0, 1). */
  overlap: number;
  bands: FrequencyBands;
  /** Shortest recording analysed; the Task Force asks for at least 2 minutes for LF. */
  minDurationSeconds: number;
}

export const TASK_FORCE_BANDS: FrequencyBands = { vlf: [0.0033, 0.04], lf: [0.04, 0.15], hf: [0.15, 0.4] };

export const DEFAULT_FREQUENCY_OPTIONS: Readonly<FrequencyDomainOptions> = {
  resampleHz: 4,
  segmentSeconds: 256,
  overlap: 0.5,
  bands: TASK_FORCE_BANDS,
  minDurationSeconds: 120,
};

export interface FrequencyMethod extends FrequencyDomainOptions {
  interpolation: 'natural-cubic-spline';
  estimator: 'welch';
  window: 'hann-periodic';
  detrend: 'linear-per-segment';
  /** Samples per segment and FFT length actually used. */
  segmentSamples: number;
  fftSamples: number;
  segments: number;
}

export interface FrequencyDomainResult {
  vlfMs2: number;
  lfMs2: number;
  hfMs2: number;
  /** VLF + LF + HF. */
  totalMs2: number;
  /** LF/HF; null when HF power is 0. */
  lfHf: number | null;
  /** 100·LF/(LF + HF) and 100·HF/(LF + HF); null when both are 0. */
  lfNu: number | null;
  hfNu: number | null;
  /** Time from the first beat to the last: the span the spectrum describes. */
  durationSeconds: number;
  method: FrequencyMethod;
}

export interface PowerSpectrum {
  frequenciesHz: number[];
  /** Power spectral density in ms²/Hz. */
  density: number[];
  method: FrequencyMethod;
}

function resolveOptions(options: Partial<FrequencyDomainOptions>): FrequencyDomainOptions {
  const o = { ...DEFAULT_FREQUENCY_OPTIONS, ...options };
  const bad = (argument: string, rule: string) =>
    new TouchlineError('TL_ERR_INVALID_ARGUMENT', `${argument} must be ${rule}`, { argument });
  if (!(o.resampleHz > 0 && Number.isFinite(o.resampleHz))) throw bad('resampleHz', 'a positive number');
  if (!(o.segmentSeconds > 0 && Number.isFinite(o.segmentSeconds))) throw bad('segmentSeconds', 'a positive number');
  if (!(o.overlap >= 0 && o.overlap < 1)) throw bad('overlap', 'in [0, 1)');
  if (!(o.minDurationSeconds >= 0)) throw bad('minDurationSeconds', 'zero or more');
  for (const [name, [lower, upper]] of Object.entries(o.bands)) {
    if (!(lower >= 0 && upper > lower && upper <= o.resampleHz / 2)) throw bad(`bands.${name}`, 'ascending edges below the Nyquist frequency');
  }
  return o;
}

/** Welch power spectrum of the resampled NN series (steps 1–3 above). */
export function nnPowerSpectrum(nn: readonly number[], options: Partial<FrequencyDomainOptions> = {}): PowerSpectrum {
  const o = resolveOptions(options);
  assertRrIntervals(nn, 3);

  const beatSeconds: number[] = [];
  let elapsed = 0;
  for (const ms of nn) beatSeconds.push((elapsed += ms) / 1000);
  const first = beatSeconds[0] as number;
  const duration = (beatSeconds[beatSeconds.length - 1] as number) - first;
  if (duration < o.minDurationSeconds) {
    throw new TouchlineError(
      'TL_ERR_TOO_FEW_SAMPLES',
      `Frequency-domain HRV needs at least ${o.minDurationSeconds} s of intervals, got ${duration.toFixed(1)} s`,
      { durationSeconds: duration, minDurationSeconds: o.minDurationSeconds },
    );
  }
  const sampleCount = Math.floor(duration * o.resampleHz + 1e-9) + 1;
  const grid = Array.from({ length: sampleCount }, (_, i) => first + i / o.resampleHz);
  const resampled = naturalCubicSpline(beatSeconds, nn, grid);

  const segmentSamples = Math.min(Math.round(o.segmentSeconds * o.resampleHz), sampleCount);
  if (segmentSamples < 4) {
    throw new TouchlineError('TL_ERR_TOO_FEW_SAMPLES', 'The recording is too short for a power spectrum', { durationSeconds: duration });
  }
  const step = segmentSamples - Math.floor(segmentSamples * o.overlap);
  const segments = Math.floor((sampleCount - segmentSamples) / step) + 1;
  const fftSamples = nextPowerOfTwo(segmentSamples);
  const window = Array.from({ length: segmentSamples }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / segmentSamples));
  const windowPower = window.reduce((sum, w) => sum + w * w, 0);
  const bins = fftSamples / 2 + 1;
  const density = new Array<number>(bins).fill(0);

  // Least-squares line over sample positions 0..L−1: slope and intercept from centred sums.
  const centre = (segmentSamples - 1) / 2;
  let positionSquares = 0;
  for (let i = 0; i < segmentSamples; i++) positionSquares += (i - centre) ** 2;

  for (let s = 0; s < segments; s++) {
    const offset = s * step;
    let sum = 0;
    let cross = 0;
    for (let i = 0; i < segmentSamples; i++) {
      const v = resampled[offset + i] as number;
      sum += v;
      cross += (i - centre) * v;
    }
    const level = sum / segmentSamples;
    const slope = cross / positionSquares;
    const re = new Float64Array(fftSamples);
    const im = new Float64Array(fftSamples);
    for (let i = 0; i < segmentSamples; i++) {
      re[i] = ((resampled[offset + i] as number) - level - slope * (i - centre)) * (window[i] as number);
    }
    fftInPlace(re, im);
    for (let k = 0; k < bins; k++) {
      const edge = k === 0 || k === fftSamples / 2;
      const power = ((re[k] as number) ** 2 + (im[k] as number) ** 2) / (o.resampleHz * windowPower);
      density[k] = (density[k] as number) + ((edge ? 1 : 2) * power) / segments;
    }
  }

  return {
    frequenciesHz: density.map((_, k) => (k * o.resampleHz) / fftSamples),
    density,
    method: {
      ...o,
      interpolation: 'natural-cubic-spline',
      estimator: 'welch',
      window: 'hann-periodic',
      detrend: 'linear-per-segment',
      segmentSamples,
      fftSamples,
      segments,
    },
  };
}

export function hrvFrequencyDomain(nn: readonly number[], options: Partial<FrequencyDomainOptions> = {}): FrequencyDomainResult {
  const { frequenciesHz, density, method } = nnPowerSpectrum(nn, options);
  const resolution = (frequenciesHz[1] as number) - (frequenciesHz[0] as number);
  const bandPower = ([lower, upper]: readonly [number, number]) => {
    let power = 0;
    frequenciesHz.forEach((f, k) => {
      if (f >= lower && f < upper) power += (density[k] as number) * resolution;
    });
    return power;
  };
  const vlfMs2 = bandPower(method.bands.vlf);
  const lfMs2 = bandPower(method.bands.lf);
  const hfMs2 = bandPower(method.bands.hf);
  const lfPlusHf = lfMs2 + hfMs2;
  let elapsed = 0;
  for (const ms of nn) elapsed += ms;
  return {
    vlfMs2,
    lfMs2,
    hfMs2,
    totalMs2: vlfMs2 + lfMs2 + hfMs2,
    lfHf: hfMs2 > 0 ? lfMs2 / hfMs2 : null,
    lfNu: lfPlusHf > 0 ? (100 * lfMs2) / lfPlusHf : null,
    hfNu: lfPlusHf > 0 ? (100 * hfMs2) / lfPlusHf : null,
    durationSeconds: (elapsed - (nn[0] as number)) / 1000,
    method,
  };
}
