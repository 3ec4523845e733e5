/** Capped exponential backoff with jitter, for reopening ports and reconnecting sensors. */
export class Backoff {
  readonly #baseMs: number;
  readonly #capMs: number;
  #attempt = 0;

  constructor(baseMs: number, capMs: number) {
    this.#baseMs = baseMs;
    this.#capMs = capMs;
  }

  /** The next delay: base·2^attempt up to the cap, scaled by a random 50–100 % so devices do not retry in lockstep. */
  next(): number {
    const delay = Math.min(this.#capMs, this.#baseMs * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 30);
    return Math.round(delay * (0.5 + Math.random() / 2));
  }

  reset(): void {
    this.#attempt = 0;
  }

  get attempts(): number {
    return this.#attempt;
  }
}
