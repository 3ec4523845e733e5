/**
 * Seeded pseudo-random numbers, so that one seed reproduces a whole session. Streams are derived
 * from the seed and a label, not from each other's draws: adding a fault stream or an athlete does
 * not change what the others do.
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  uniform(min: number, max: number): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  /** Gaussian by the Box–Muller transform (Box & Muller 1958, Ann Math Stat 29:610–611). */
  normal(mean?: number, sd?: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** An independent stream named `label` under this one. */
  fork(label: string): Random;
}

/** FNV-1a 32-bit hash of a string (Fowler, Noll & Vo; http://www.isthe.com/chongo/tech/comp/fnv/). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** SplitMix32 finaliser (Steele, Lea & Flood 2014, OOPSLA), to spread a seed over the state words. */
function splitMix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export function createRandom(seed: number, label = ''): Random {
  const mixer = { s: (Math.trunc(seed) ^ fnv1a(label)) | 0 };
  // sfc32, Chris Doty-Humphrey's Small Fast Counting generator from PractRand: 128-bit state, passes
  // PractRand and BigCrush, and needs only 32-bit integer operations.
  let a = splitMix32(mixer);
  let b = splitMix32(mixer);
  let c = splitMix32(mixer);
  let d = splitMix32(mixer);
  let spareNormal: number | null = null;

  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };

  const random: Random = {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    normal(mean = 0, sd = 1) {
      if (spareNormal !== null) {
        const value = spareNormal;
        spareNormal = null;
        return mean + sd * value;
      }
      const u = 1 - next();
      const radius = Math.sqrt(-2 * Math.log(u));
      const angle = 2 * Math.PI * next();
      spareNormal = radius * Math.sin(angle);
      return mean + sd * radius * Math.cos(angle);
    },
    chance: (probability) => probability > 0 && next() < probability,
    pick<T>(items: readonly T[]): T {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError('pick() needs a non-empty list');
      return item;
    },
    fork: (childLabel) => createRandom(seed, `${label}/${childLabel}`),
  };
  for (let i = 0; i < 12; i++) next(); // sfc32's recommended warm-up
  return random;
}
