/**
 * One athlete's heart-rate session: zones, time in zone, TRIMP and energy, in two forms that give the same
 * numbers. `HrSessionAccumulator` is the hub's live form (O(zones) per sample, constant memory);
 * `summarizeHrSession` is the batch form for files and central.
 *
 * How samples become time (one rule for both forms):
 * - A sample is accepted only if its time is later than the last accepted one: a repeated time is a
 *   duplicate, an earlier one is out of order, and both are counted and ignored (a live integral cannot be
 *   rewound). A non-finite time or a rate outside PLAUSIBLE_BPM is invalid, ignored, and does not move the clock.
 * - Each accepted rate holds until the next accepted sample (zero-order hold, as the live screen shows it):
 *   the interval between two samples is credited at the earlier sample's rate.
 * - Max-gap rule: an interval longer than `maxGapS` (default 10 s) is not integrated at all. It means the
 *   strap lost contact or left radio range, and holding the last rate across it would invent load. 10 s
 *   covers 1–4 Hz straps with short dropouts and watches' "smart recording" (a record every few seconds).
 */
import { TouchlineError } from '../errors.ts';
import type { AthleteProfile, HrSample } from '../types.ts';
import { KJ_PER_KCAL, energyRate, hrEnergy, type EnergyConventions } from './energy.ts';
import { requireFinite } from './profile.ts';
import { banisterConstants, banisterIncrement, banisterTrimp, edwardsTrimp, type BanisterConventions, type BanisterFemalePrefactor } from './trimp.ts';
import { DEFAULT_ZONE_MODEL, timeInZones, zoneAtThresholds, zoneThresholdsBpm, type HrInterval, type ZoneModel } from './zones.ts';

export const DEFAULT_MAX_GAP_S = 10;

/** Rates outside this range are sensor artefacts; many straps send 0 while they have no skin contact. */
export const PLAUSIBLE_BPM = Object.freeze({ min: 20, max: 250 });

export type SampleVerdict = 'accepted' | 'duplicate' | 'out-of-order' | 'invalid';

export function judgeSample(sample: HrSample, lastAcceptedT: number | null): SampleVerdict {
  const t = sample?.t;
  const bpm = sample?.bpm;
  if (typeof t !== 'number' || !Number.isFinite(t)) return 'invalid';
  if (typeof bpm !== 'number' || !(bpm >= PLAUSIBLE_BPM.min && bpm <= PLAUSIBLE_BPM.max)) return 'invalid';
  if (lastAcceptedT === null || t > lastAcceptedT) return 'accepted';
  return t === lastAcceptedT ? 'duplicate' : 'out-of-order';
}

export interface IgnoredSamples {
  duplicate: number;
  outOfOrder: number;
  invalid: number;
}

export interface SkippedGaps {
  count: number;
  seconds: number;
}

export interface HrIntervalSeries {
  /** The accepted samples, in order. */
  samples: HrSample[];
  /** One interval per pair of consecutive accepted samples no further apart than the max gap. */
  intervals: HrInterval[];
  ignored: IgnoredSamples;
  gaps: SkippedGaps;
}

function countIgnored(ignored: IgnoredSamples, verdict: SampleVerdict): void {
  if (verdict === 'duplicate') ignored.duplicate++;
  else if (verdict === 'out-of-order') ignored.outOfOrder++;
  else if (verdict === 'invalid') ignored.invalid++;
}

function checkMaxGap(maxGapS: number): number {
  return requireFinite(maxGapS, 'maxGapS', (n) => n > 0, '> 0');
}

/** Turns raw samples into held intervals by the rules in this file's header. */
export function hrIntervals(samples: readonly HrSample[], maxGapS: number = DEFAULT_MAX_GAP_S): HrIntervalSeries {
  checkMaxGap(maxGapS);
  if (!Array.isArray(samples)) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', 'samples must be an array of { t, bpm }', { argument: 'samples' });
  }
  const series: HrIntervalSeries = { samples: [], intervals: [], ignored: { duplicate: 0, outOfOrder: 0, invalid: 0 }, gaps: { count: 0, seconds: 0 } };
  for (const sample of samples) {
    const previous = series.samples.at(-1);
    const verdict = judgeSample(sample, previous?.t ?? null);
    if (verdict !== 'accepted') {
      countIgnored(series.ignored, verdict);
      continue;
    }
    series.samples.push(sample);
    if (!previous) continue;
    const seconds = (sample.t - previous.t) / 1000;
    if (seconds > maxGapS) {
      series.gaps.count++;
      series.gaps.seconds += seconds;
    } else {
      series.intervals.push({ bpm: previous.bpm, seconds });
    }
  }
  return series;
}

export interface HrSessionOptions {
  zoneModel?: ZoneModel;
  maxGapS?: number;
  femalePrefactor?: BanisterFemalePrefactor;
  /** ml/kg/min; selects Keytel's equation with VO2max. */
  vo2max?: number;
  /** Energy counts only at or above this %HRmax (default 50, as Myzone). */
  energyFloorPercentHrMax?: number;
}

export interface HrSessionConventions {
  zoneModel: ZoneModel;
  maxGapS: number;
  hold: 'previous-sample';
  banister: BanisterConventions & { method: 'per-sample' };
  edwardsZoneModel: ZoneModel;
  /** Null when the profile has no age, which Keytel's equation needs. */
  energy: EnergyConventions | null;
}

export interface HrSessionSummary {
  acceptedSamples: number;
  ignored: IgnoredSamples;
  gaps: SkippedGaps;
  firstT: number | null;
  lastT: number | null;
  /** The latest accepted rate, its %HRmax and zone (0 = below zone 1). */
  bpm: number | null;
  percentHrMax: number | null;
  zone: number | null;
  maxBpm: number | null;
  /** Time-weighted over integrated time. */
  meanBpm: number | null;
  integratedSeconds: number;
  /** Index 0 is time below zone 1, index n is zone n. */
  secondsInZone: number[];
  banisterTrimp: number;
  edwardsTrimp: number;
  energyKj: number | null;
  energyKcal: number | null;
  conventions: HrSessionConventions;
}

interface SessionSetup {
  profile: AthleteProfile;
  thresholds: number[];
  edwardsThresholds: number[];
  banister: BanisterConventions;
  kjPerMin: ((bpm: number) => number) | null;
  conventions: HrSessionConventions;
}

function setUpSession(profile: AthleteProfile, options: HrSessionOptions): SessionSetup {
  const zoneModel = options.zoneModel ?? DEFAULT_ZONE_MODEL;
  const maxGapS = checkMaxGap(options.maxGapS ?? DEFAULT_MAX_GAP_S);
  const thresholds = zoneThresholdsBpm(zoneModel, profile);
  const banister = banisterConstants(profile.sex, options.femalePrefactor);
  const energy =
    profile.ageYears === undefined ? null : energyRate(profile, { vo2max: options.vo2max, floorPercentHrMax: options.energyFloorPercentHrMax });
  return {
    profile: { ...profile },
    thresholds,
    edwardsThresholds: zoneThresholdsBpm(DEFAULT_ZONE_MODEL, profile),
    banister,
    kjPerMin: energy?.kjPerMin ?? null,
    conventions: {
      zoneModel,
      maxGapS,
      hold: 'previous-sample',
      banister: { ...banister, method: 'per-sample' },
      edwardsZoneModel: DEFAULT_ZONE_MODEL,
      energy: energy?.conventions ?? null,
    },
  };
}

function latestState(setup: SessionSetup, last: HrSample | undefined) {
  if (!last) return { bpm: null, percentHrMax: null, zone: null };
  return { bpm: last.bpm, percentHrMax: (100 * last.bpm) / setup.profile.hrMax, zone: zoneAtThresholds(last.bpm, setup.thresholds) };
}

/** Batch form: the whole session at once. */
export function summarizeHrSession(samples: readonly HrSample[], profile: AthleteProfile, options: HrSessionOptions = {}): HrSessionSummary {
  const setup = setUpSession(profile, options);
  const series = hrIntervals(samples, setup.conventions.maxGapS);
  const { intervals } = series;
  const integratedSeconds = intervals.reduce((sum, i) => sum + i.seconds, 0);
  const energy =
    setup.kjPerMin === null ? null : hrEnergy(intervals, profile, { vo2max: options.vo2max, floorPercentHrMax: options.energyFloorPercentHrMax });
  return {
    acceptedSamples: series.samples.length,
    ignored: series.ignored,
    gaps: series.gaps,
    firstT: series.samples[0]?.t ?? null,
    lastT: series.samples.at(-1)?.t ?? null,
    ...latestState(setup, series.samples.at(-1)),
    maxBpm: series.samples.length ? series.samples.reduce((max, s) => Math.max(max, s.bpm), 0) : null,
    meanBpm: integratedSeconds > 0 ? intervals.reduce((sum, i) => sum + i.bpm * i.seconds, 0) / integratedSeconds : null,
    integratedSeconds,
    secondsInZone: timeInZones(intervals, setup.conventions.zoneModel, profile),
    banisterTrimp: banisterTrimp(intervals, profile, { femalePrefactor: options.femalePrefactor }).trimp,
    edwardsTrimp: edwardsTrimp(intervals, profile).trimp,
    energyKj: energy?.kj ?? null,
    energyKcal: energy?.kcal ?? null,
    conventions: setup.conventions,
  };
}

/**
 * Streaming form for the hub: push samples as they arrive, read `summary()` whenever the screen needs it.
 * Each push is O(number of zones) and memory is constant. Invalid input is judged and counted, never thrown.
 */
export class HrSessionAccumulator {
  readonly #setup: SessionSetup;
  #first: HrSample | null = null;
  #last: HrSample | null = null;
  #maxBpm = 0;
  #accepted = 0;
  readonly #ignored: IgnoredSamples = { duplicate: 0, outOfOrder: 0, invalid: 0 };
  readonly #gaps: SkippedGaps = { count: 0, seconds: 0 };
  #integratedSeconds = 0;
  #bpmSeconds = 0;
  readonly #secondsInZone: number[];
  #banister = 0;
  #edwardsMinutesWeighted = 0;
  #energyKj = 0;

  constructor(profile: AthleteProfile, options: HrSessionOptions = {}) {
    this.#setup = setUpSession(profile, options);
    this.#secondsInZone = new Array<number>(this.#setup.thresholds.length + 1).fill(0);
  }

  push(sample: HrSample): SampleVerdict {
    const previous = this.#last;
    const verdict = judgeSample(sample, previous?.t ?? null);
    if (verdict !== 'accepted') {
      countIgnored(this.#ignored, verdict);
      return verdict;
    }
    // Keep our own copy so a caller reusing its sample object cannot rewrite history.
    const current = { t: sample.t, bpm: sample.bpm };
    this.#accepted++;
    this.#first ??= current;
    this.#last = current;
    this.#maxBpm = Math.max(this.#maxBpm, current.bpm);
    if (previous) this.#integrate(previous.bpm, (current.t - previous.t) / 1000);
    return verdict;
  }

  #integrate(bpm: number, seconds: number): void {
    const setup = this.#setup;
    if (seconds > setup.conventions.maxGapS) {
      this.#gaps.count++;
      this.#gaps.seconds += seconds;
      return;
    }
    this.#integratedSeconds += seconds;
    this.#bpmSeconds += bpm * seconds;
    const zone = zoneAtThresholds(bpm, setup.thresholds);
    this.#secondsInZone[zone] = (this.#secondsInZone[zone] as number) + seconds;
    this.#banister += banisterIncrement(bpm, seconds, setup.profile, setup.banister);
    this.#edwardsMinutesWeighted += (seconds / 60) * zoneAtThresholds(bpm, setup.edwardsThresholds);
    if (setup.kjPerMin) this.#energyKj += (seconds / 60) * setup.kjPerMin(bpm);
  }

  summary(): HrSessionSummary {
    const setup = this.#setup;
    const hasEnergy = setup.kjPerMin !== null;
    return {
      acceptedSamples: this.#accepted,
      ignored: { ...this.#ignored },
      gaps: { ...this.#gaps },
      firstT: this.#first?.t ?? null,
      lastT: this.#last?.t ?? null,
      ...latestState(setup, this.#last ?? undefined),
      maxBpm: this.#last ? this.#maxBpm : null,
      meanBpm: this.#integratedSeconds > 0 ? this.#bpmSeconds / this.#integratedSeconds : null,
      integratedSeconds: this.#integratedSeconds,
      secondsInZone: [...this.#secondsInZone],
      banisterTrimp: this.#banister,
      edwardsTrimp: this.#edwardsMinutesWeighted,
      energyKj: hasEnergy ? this.#energyKj : null,
      energyKcal: hasEnergy ? this.#energyKj / KJ_PER_KCAL : null,
      conventions: setup.conventions,
    };
  }
}
