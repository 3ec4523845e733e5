/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter",
 * 2015): wait a uniformly random time in [0, min(cap, base * 2^(attempt-1))]. The randomness
 * spreads a club's hubs apart after central comes back, instead of all retrying in step.
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 52));
  return Math.floor(random() * ceiling);
}
