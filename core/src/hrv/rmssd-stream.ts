/**
 * Live RMSSD for the hub: RMSSD = sqrt(mean(ΔRR²)) (Task Force 1996, Circulation 93(5):1043–1065)
 * over a sliding window of the last N intervals or the last T seconds of beats, kept with running sums
 * so each interval costs O(1) and memory is bounded by the window.
 *
 * A difference is counted only between two intervals that followed each other: a rejected interval
 * or a gap in the samples breaks the chain, as GoldenCheetah's HrvMetrics counts ΔRR only between
 * consecutive valid beats. The online guard rejects intervals outside a plausible range and
 * intervals that differ from the median of the last few plausible ones by more than a fraction of it
 * (the 20 % rule of Malik's criterion as implemented in hrv-analysis `remove_ectopic_beats(method=
 * "malik")`, which compares with the previous interval; the median of five keeps one bad reference
 * from rejecting good beats and lets a real change of pace through after three beats).
 * On clean data the window's RMSSD equals `hrvTimeDomain` on the same intervals.
 */
import { TouchlineError } from '../errors.ts';
import type { HrSample } from '../types.ts';
import { RR_INTERVAL_LIMITS_MS, rrIntervalProblem } from './rr-intervals.ts';

export interface RrGuardOptions {
  /** Plausible range in ms; 250 ms (240 bpm) leaves room for sprinting, 2000 ms (30 bpm) for rest. */
  minRrMs: number;
  maxRrMs: number;
  /** Largest accepted |RR − reference| / reference (0.2). */
  maxRelativeChange: number;
  /** Plausible intervals whose median is the reference (5). */
  referenceBeats: number;
}

export const DEFAULT_RR_GUARD: Readonly<RrGuardOptions> = { minRrMs: 250, maxRrMs: 2000, maxRelativeChange: 0.2, referenceBeats: 5 };

export type RrWindow = { beats: number } | { seconds: number };

export interface RmssdStreamOptions {
  window: RrWindow;
  /** false turns the guard off; the hard limits of RR_INTERVAL_LIMITS_MS still apply. */
  guard: RrGuardOptions | false;
  /** A sample arriving this long after the previous one means lost intervals: the chain breaks (3000 ms). */
  maxGapMs: number;
}

export type RrVerdict = 'accepted' | 'out-of-range' | 'implausible-change';

export class RmssdStream {
  readonly options: RmssdStreamOptions;
  private readonly capacity: number;
  private readonly windowMs: number;
  private readonly values: Float64Array;
  private readonly squaredDifferences: Float64Array;
  private readonly linked: Uint8Array;
  private head = 0;
  private count = 0;
  private sumMs = 0;
  private sumSquares = 0;
  private differences = 0;
  private evictionsSinceResum = 0;
  private chainBroken = true;
  private readonly reference: number[] = [];
  private lastSampleT: number | undefined;

  constructor(options: Partial<RmssdStreamOptions> & { window: RrWindow }) {
    this.options = { guard: { ...DEFAULT_RR_GUARD }, maxGapMs: 3000, ...options };
    const { window, guard } = this.options;
    const bad = (argument: string, rule: string) =>
      new TouchlineError('TL_ERR_INVALID_ARGUMENT', `${argument} must be ${rule}`, { argument });
    if (guard) {
      if (!(guard.minRrMs > 0 && guard.maxRrMs > guard.minRrMs)) throw bad('guard.minRrMs/maxRrMs', 'a positive ascending range');
      if (!(guard.maxRelativeChange > 0)) throw bad('guard.maxRelativeChange', 'positive');
      if (!Number.isInteger(guard.referenceBeats) || guard.referenceBeats < 1) throw bad('guard.referenceBeats', 'a whole number of at least 1');
    }
    if (!(this.options.maxGapMs > 0)) throw bad('maxGapMs', 'positive');
    if ('beats' in window) {
      if (!Number.isInteger(window.beats) || window.beats < 2) throw bad('window.beats', 'a whole number of at least 2');
      this.capacity = window.beats;
      this.windowMs = Infinity;
    } else {
      if (!(window.seconds > 0 && Number.isFinite(window.seconds))) throw bad('window.seconds', 'a positive number');
      this.windowMs = window.seconds * 1000;
      const shortest = guard ? Math.max(guard.minRrMs, RR_INTERVAL_LIMITS_MS.min) : RR_INTERVAL_LIMITS_MS.min;
      this.capacity = Math.ceil(this.windowMs / shortest) + 1;
    }
    this.values = new Float64Array(this.capacity);
    this.squaredDifferences = new Float64Array(this.capacity);
    this.linked = new Uint8Array(this.capacity);
  }

  /** RMSSD in ms of the window, or null before it holds one difference. */
  get rmssdMs(): number | null {
    return this.differences > 0 ? Math.sqrt(Math.max(0, this.sumSquares) / this.differences) : null;
  }

  get intervalCount(): number {
    return this.count;
  }

  get differenceCount(): number {
    return this.differences;
  }

  /** The intervals in the window, oldest first (O(window): for inspection, not the hot path). */
  intervals(): number[] {
    return Array.from({ length: this.count }, (_, i) => this.values[(this.head + i) % this.capacity] as number);
  }

  /** Marks lost intervals: the next accepted interval starts a new chain of differences. */
  breakSequence(): void {
    this.chainBroken = true;
  }

  push(rrMs: number): RrVerdict {
    const guard = this.options.guard;
    if (rrIntervalProblem(rrMs) !== undefined || (guard && (rrMs < guard.minRrMs || rrMs > guard.maxRrMs))) {
      this.chainBroken = true;
      return 'out-of-range';
    }
    if (guard) {
      const reference = this.referenceMedian();
      this.reference.push(rrMs);
      if (this.reference.length > guard.referenceBeats) this.reference.shift();
      if (reference !== undefined && Math.abs(rrMs - reference) > guard.maxRelativeChange * reference) {
        this.chainBroken = true;
        return 'implausible-change';
      }
    }
    this.append(rrMs);
    return 'accepted';
  }

  /**
   * Feeds one heart-rate sample's intervals. A sample not newer than the last one (a duplicate or a
   * late delivery) is ignored; one after a gap longer than maxGapMs breaks the chain first.
   */
  pushSample(sample: HrSample): { stale: boolean; accepted: number; rejected: number } {
    if (this.lastSampleT !== undefined && !(sample.t > this.lastSampleT)) return { stale: true, accepted: 0, rejected: 0 };
    if (this.lastSampleT !== undefined && sample.t - this.lastSampleT > this.options.maxGapMs) this.breakSequence();
    this.lastSampleT = sample.t;
    let accepted = 0;
    for (const rr of sample.rr ?? []) if (this.push(rr) === 'accepted') accepted++;
    return { stale: false, accepted, rejected: (sample.rr?.length ?? 0) - accepted };
  }

  reset(): void {
    this.head = 0;
    this.count = 0;
    this.sumMs = 0;
    this.sumSquares = 0;
    this.differences = 0;
    this.evictionsSinceResum = 0;
    this.chainBroken = true;
    this.reference.length = 0;
    this.lastSampleT = undefined;
  }

  /** Median of the reference ring, once it holds enough values for one outlier not to decide it. */
  private referenceMedian(): number | undefined {
    const guard = this.options.guard;
    if (!guard || this.reference.length < Math.ceil(guard.referenceBeats / 2)) return undefined;
    const sorted = [...this.reference].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  }

  private append(rrMs: number): void {
    if (this.count === this.capacity) this.evictOldest();
    const slot = (this.head + this.count) % this.capacity;
    const hasPredecessor = this.count > 0 && !this.chainBroken;
    if (hasPredecessor) {
      const previous = this.values[(slot - 1 + this.capacity) % this.capacity] as number;
      const squared = (rrMs - previous) ** 2;
      this.squaredDifferences[slot] = squared;
      this.sumSquares += squared;
      this.differences++;
    }
    this.linked[slot] = hasPredecessor ? 1 : 0;
    this.values[slot] = rrMs;
    this.count++;
    this.sumMs += rrMs;
    this.chainBroken = false;
    while (this.count > 0 && this.sumMs > this.windowMs) this.evictOldest();
  }

  private evictOldest(): void {
    this.sumMs -= this.values[this.head] as number;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    // The new oldest interval's difference reached back to the one just dropped.
    if (this.count > 0 && this.linked[this.head]) {
      this.linked[this.head] = 0;
      this.sumSquares -= this.squaredDifferences[this.head] as number;
      this.differences--;
    }
    // Adding and subtracting leaves rounding residue; re-sum once per window length (O(1) amortised).
    if (++this.evictionsSinceResum >= this.capacity) this.resum();
  }

  private resum(): void {
    this.evictionsSinceResum = 0;
    this.sumMs = 0;
    this.sumSquares = 0;
    for (let i = 0; i < this.count; i++) {
      const slot = (this.head + i) % this.capacity;
      this.sumMs += this.values[slot] as number;
      if (this.linked[slot]) this.sumSquares += this.squaredDifferences[slot] as number;
    }
  }
}
