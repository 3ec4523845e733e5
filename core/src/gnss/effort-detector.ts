/**
 * Threshold efforts (sprints, high-speed runs, accelerations, decelerations) as vendors define
 * them: an effort starts when the signal reaches the entry threshold, lasts while it stays at or
 * above entry × exit fraction, and counts only if it lasted the minimum duration (STATSports:
 * entry speed, minimum duration and exit speed as % of entry,
 * https://elitesupport.statsports.com/hc/en-us/articles/13326663967005).
 *
 * The signal is sampled per step between two fixes; a step belongs to the effort when its signal
 * qualifies, so N qualifying steps at 10 Hz last N × 0.1 s.
 */

export interface Effort {
  /** Unix ms at which the first qualifying step began. */
  start: number;
  durationS: number;
  distanceM: number;
  /** Peak signal: speed (m/s) for speed efforts, |acceleration| (m/s²) for (de)accelerations. */
  peak: number;
}

export class EffortDetector {
  readonly #entry: number;
  readonly #exit: number;
  readonly #minDurationMs: number;
  readonly #onEffort: ((effort: Effort) => void) | undefined;
  #completed = 0;
  #open = false;
  #start = 0;
  #end = 0;
  #distanceM = 0;
  #peak = 0;

  constructor(entry: number, exitFraction: number, minDurationS: number, onEffort?: (effort: Effort) => void) {
    this.#entry = entry;
    this.#exit = entry * exitFraction;
    // Durations are compared in whole milliseconds so that ten 0.1 s steps make exactly 1 s.
    this.#minDurationMs = Math.round(minDurationS * 1000);
    this.#onEffort = onEffort;
  }

  /** One step from `from` to `to` (Unix ms) with its signal value and the distance covered. */
  step(from: number, to: number, signal: number, distanceM: number): void {
    if (this.#open && signal < this.#exit) this.close();
    if (!this.#open) {
      if (signal < this.#entry) return;
      this.#open = true;
      this.#start = from;
      this.#distanceM = 0;
      this.#peak = signal;
    }
    this.#end = to;
    this.#distanceM += distanceM;
    if (signal > this.#peak) this.#peak = signal;
  }

  /** Ends any open effort (at a dropout or the end of the data), reporting it if it counts. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    if (!this.#openQualifies()) return;
    this.#completed++;
    this.#onEffort?.({
      start: this.#start,
      durationS: (this.#end - this.#start) / 1000,
      distanceM: this.#distanceM,
      peak: this.#peak,
    });
  }

  /** Completed efforts plus an open one that has already lasted long enough, as a live count shows it. */
  get count(): number {
    return this.#completed + (this.#open && this.#openQualifies() ? 1 : 0);
  }

  #openQualifies(): boolean {
    return Math.round(this.#end - this.#start) >= this.#minDurationMs;
  }
}
