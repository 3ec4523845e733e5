/**
 * Catapult PlayerLoad, in arbitrary units (AU):
 *   PL = Σ_t √((x_t − x_{t−1})² + (y_t − y_{t−1})² + (z_t − z_{t−1})²) / 100
 * with tri-axial acceleration in g (Catapult, "What is Player Load",
 * https://support.catapultsports.com/hc/en-us/articles/360000510795-What-is-Player-Load). The /100
 * applies to the root, not inside it: an R implementation computing √(Σ…/100) reports 10× too
 * much. The norm of the difference does not depend on how the axes are oriented, so any orthogonal
 * device frame gives the same value.
 *
 * Catapult samples at 100 Hz (smoothed from 400 Hz, filter unpublished); the value depends on rate
 * and filtering (Bredt et al. 2020, J Hum Kinet 71:5–9), so PlayerLoad from other devices or rates
 * is comparable only with itself.
 */
import { TouchlineError } from '../errors.ts';
import type { AccelSample } from '../types.ts';

export interface PlayerLoadConventions {
  /** Seconds; samples further apart than this are not differenced (a dropout, not a movement). */
  maxGapSeconds: number;
  /** Catapult's divisor, fixed; reported so that a consumer can see which scaling was used. */
  readonly divisor: 100;
}

export type PlayerLoadOptions = Partial<Pick<PlayerLoadConventions, 'maxGapSeconds'>>;

export type ReadingVerdict = 'used' | 'invalid' | 'out-of-order' | 'duplicate';

export interface ReadingCounts {
  /** Raw samples plus device-computed increments. */
  received: number;
  used: number;
  invalid: number;
  outOfOrder: number;
  duplicate: number;
  /** Dropouts longer than maxGapSeconds, across which nothing was differenced. */
  gaps: number;
}

export interface PlayerLoadResult {
  playerLoad: number;
  /** Time spanned by differenced samples and by increments (s), dropouts excluded. */
  durationS: number;
  /** PlayerLoad per minute of covered time; null before any time is covered. */
  perMinute: number | null;
  readings: ReadingCounts;
  conventions: Readonly<PlayerLoadConventions>;
}

export interface PlayerLoadState extends PlayerLoadResult {
  /** Time of the last used reading (Unix ms); null before the first. */
  t: number | null;
}

const DIVISOR = 100;

export const DEFAULT_PLAYER_LOAD_CONVENTIONS: Readonly<PlayerLoadConventions> = Object.freeze({ maxGapSeconds: 5, divisor: DIVISOR });

/** One PlayerLoad step between consecutive samples, in AU. */
export function playerLoadStep(previous: AccelSample, current: AccelSample): number {
  checkSample(previous, 'previous');
  checkSample(current, 'current');
  return Math.hypot(current.x - previous.x, current.y - previous.y, current.z - previous.z) / DIVISOR;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function checkSample(sample: AccelSample, name: string): void {
  if (!isFiniteNumber(sample?.x) || !isFiniteNumber(sample?.y) || !isFiniteNumber(sample?.z)) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `${name} sample needs finite x, y and z in g`, { argument: name });
  }
}

/**
 * Streaming PlayerLoad for the hub: O(1) per sample. Feed a sensor's raw samples (one at a time or
 * as the `imu` stream's blocks of `hz` samples) or its device-computed increments; a sensor sends
 * one kind, and both add to the same total.
 */
export class PlayerLoadAccumulator {
  readonly conventions: Readonly<PlayerLoadConventions>;
  readonly #readings: ReadingCounts = { received: 0, used: 0, invalid: 0, outOfOrder: 0, duplicate: 0, gaps: 0 };
  #lastT: number | null = null;
  /** Whether the last reading was a raw sample to difference against (not after an increment or a dropout). */
  #hasPrevious = false;
  #previousX = 0;
  #previousY = 0;
  #previousZ = 0;
  #playerLoad = 0;
  #durationS = 0;

  constructor(options: PlayerLoadOptions = {}) {
    const maxGapSeconds = options?.maxGapSeconds ?? DEFAULT_PLAYER_LOAD_CONVENTIONS.maxGapSeconds;
    if (!isFiniteNumber(maxGapSeconds) || maxGapSeconds <= 0) {
      throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `PlayerLoad option maxGapSeconds must be > 0, got ${String(maxGapSeconds)}`, {
        argument: 'maxGapSeconds',
      });
    }
    this.conventions = Object.freeze({ maxGapSeconds, divisor: DIVISOR });
  }

  pushSample(sample: AccelSample): ReadingVerdict {
    if (sample === null || typeof sample !== 'object') return this.#count('invalid');
    return this.#addSample(sample.t, sample.x, sample.y, sample.z);
  }

  /** One `imu` stream message: samples [x, y, z] in g at `hz`, the first measured at `t`. */
  pushBlock(t: number, hz: number, acc: readonly (readonly number[])[]): void {
    if (!isFiniteNumber(t) || !isFiniteNumber(hz) || hz <= 0 || !Array.isArray(acc)) {
      throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', 'An accelerometer block needs a finite t, hz > 0 and an array of [x, y, z] samples', {
        t,
        hz,
      });
    }
    const periodMs = 1000 / hz;
    acc.forEach((xyz, i) => {
      if (!Array.isArray(xyz) || xyz.length !== 3) this.#count('invalid');
      else this.#addSample(t + i * periodMs, xyz[0], xyz[1], xyz[2]);
    });
  }

  /** A PlayerLoad increment the device computed itself, accumulated since its previous one. */
  pushIncrement(t: number, playerLoad: number): ReadingVerdict {
    if (!isFiniteNumber(t) || !isFiniteNumber(playerLoad) || playerLoad < 0) return this.#count('invalid');
    const verdict = this.#advance(t);
    if (verdict !== 'used') return verdict;
    this.#hasPrevious = false;
    this.#playerLoad += playerLoad;
    return verdict;
  }

  snapshot(): PlayerLoadState {
    const minutes = this.#durationS / 60;
    return {
      t: this.#lastT,
      playerLoad: this.#playerLoad,
      durationS: this.#durationS,
      perMinute: minutes > 0 ? this.#playerLoad / minutes : null,
      readings: { ...this.#readings },
      conventions: this.conventions,
    };
  }

  #addSample(t: number, x: unknown, y: unknown, z: unknown): ReadingVerdict {
    if (!isFiniteNumber(t) || !isFiniteNumber(x) || !isFiniteNumber(y) || !isFiniteNumber(z)) return this.#count('invalid');
    const verdict = this.#advance(t);
    if (verdict !== 'used') return verdict;
    // #advance has broken the chain if this sample follows a dropout.
    if (this.#hasPrevious) {
      this.#playerLoad += Math.hypot(x - this.#previousX, y - this.#previousY, z - this.#previousZ) / DIVISOR;
    }
    this.#hasPrevious = true;
    this.#previousX = x;
    this.#previousY = y;
    this.#previousZ = z;
    return verdict;
  }

  /** Orders a reading in time and credits the interval since the last one unless it is a dropout. */
  #advance(t: number): ReadingVerdict {
    const lastT = this.#lastT;
    if (lastT !== null && t < lastT) return this.#count('out-of-order');
    if (lastT !== null && t === lastT) return this.#count('duplicate');
    if (lastT !== null) {
      const dtS = (t - lastT) / 1000;
      if (dtS > this.conventions.maxGapSeconds) {
        this.#readings.gaps++;
        this.#hasPrevious = false;
      } else {
        this.#durationS += dtS;
      }
    }
    this.#lastT = t;
    return this.#count('used');
  }

  #count(verdict: ReadingVerdict): ReadingVerdict {
    this.#readings.received++;
    if (verdict === 'used') this.#readings.used++;
    else if (verdict === 'invalid') this.#readings.invalid++;
    else if (verdict === 'out-of-order') this.#readings.outOfOrder++;
    else this.#readings.duplicate++;
    return verdict;
  }
}

/** Batch PlayerLoad over recorded samples, by the same rules as the live accumulator. */
export function summarizePlayerLoad(samples: readonly AccelSample[], options?: PlayerLoadOptions): PlayerLoadResult {
  if (!Array.isArray(samples)) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', 'samples must be an array of accelerometer samples', { argument: 'samples' });
  }
  const accumulator = new PlayerLoadAccumulator(options);
  for (const sample of samples) accumulator.pushSample(sample);
  const { t: _t, ...result } = accumulator.snapshot();
  return result;
}
