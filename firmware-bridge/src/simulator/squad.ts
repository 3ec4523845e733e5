/**
 * The demo squad: athletes with plausible profiles and the ids of the sensors they wear. The hub's
 * demo mode calls `demoSquad` with the simulator's count and seed to create matching athletes and
 * pair their sensors.
 */
import { TouchlineError, type Sex } from '@touchline/core/metrics';
import { createRandom, type Random } from './random.ts';

export type PlayingPosition = 'goalkeeper' | 'defender' | 'midfielder' | 'forward';

export interface DemoAthlete {
  name: string;
  /** Shirt number, unique in the squad. */
  number: number;
  position: PlayingPosition;
  hrMax: number;
  hrRest: number;
  sex: Sex;
  massKg: number;
  birthYear: number;
  /** Chest strap: streams `hr` and `battery`. */
  hrSensorId: string;
  /** GNSS/IMU pod: streams `gnss`, `imu` and `battery`. */
  podSensorId: string;
}

export interface DemoSquadOptions {
  sex?: Sex;
  /** Year the ages are counted from; defaults to the current UTC year. */
  asOfYear?: number;
}

/** Two-digit numbering (`sim-hr-01` … `sim-hr-99`) caps the squad. */
export const MAX_SIMULATED_ATHLETES = 99;

/** An unpaired strap, worn by a member of staff on the touchline, for the hub's discovery list. */
export const SPARE_STRAP_ID = 'sim-hr-spare';

export function strapSensorId(index: number): string {
  return `sim-hr-${String(index + 1).padStart(2, '0')}`;
}

export function podSensorId(index: number): string {
  return `sim-pod-${String(index + 1).padStart(2, '0')}`;
}

const FIRST_NAMES: Record<Sex, readonly string[]> = {
  male: [
    'Adam', 'Ahmed', 'Alex', 'Ben', 'Carlos', 'Daniel', 'David', 'Emil', 'Finn', 'Gabriel', 'Hugo', 'Ivan',
    'Jakob', 'Jonas', 'Kai', 'Kwame', 'Leon', 'Liam', 'Luca', 'Marco', 'Mateo', 'Max', 'Noah', 'Oliver',
    'Oscar', 'Pablo', 'Rafael', 'Samuel', 'Tariq', 'Theo', 'Tom', 'Yusuf',
  ],
  female: [
    'Alba', 'Amara', 'Anna', 'Chloe', 'Clara', 'Elena', 'Ella', 'Emma', 'Freya', 'Hanna', 'Ida', 'Isla',
    'Jade', 'Julia', 'Lara', 'Lea', 'Lina', 'Lucia', 'Maja', 'Maria', 'Mia', 'Nadia', 'Nora', 'Olivia',
    'Rosa', 'Sara', 'Sofia', 'Tara', 'Vera', 'Yara', 'Zoe', 'Zara',
  ],
};

const LAST_NAMES: readonly string[] = [
  'Andersen', 'Bakker', 'Barros', 'Bianchi', 'Brennan', 'Costa', 'Dahl', 'Diallo', 'Dubois', 'Evans',
  'Fischer', 'Garcia', 'Hansen', 'Hughes', 'Ivanov', 'Jensen', 'Kim', 'Kowalski', 'Lambert', 'Lindqvist',
  'Mensah', 'Moreau', 'Murphy', 'Nakamura', 'Novak', 'Okafor', 'Petrov', 'Quinn', 'Rossi', 'Santos',
  'Schmidt', 'Silva', 'Taylor', 'Vidal', 'Walsh', 'Weber', 'Yilmaz', 'Zielinski',
];

/** Share of a football squad in each position (3 keepers, 8 defenders, 8 midfielders, 5 forwards of 24). */
const POSITION_SHARES: readonly [PlayingPosition, number][] = [
  ['goalkeeper', 3 / 24],
  ['defender', 8 / 24],
  ['midfielder', 8 / 24],
  ['forward', 5 / 24],
];

function positionOf(index: number, count: number): PlayingPosition {
  let cumulative = 0;
  for (const [position, share] of POSITION_SHARES) {
    cumulative += share * count;
    if (index < Math.round(cumulative)) return position;
  }
  return 'forward';
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export function checkAthleteCount(count: unknown): number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_SIMULATED_ATHLETES) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `athletes must be an integer 1..${MAX_SIMULATED_ATHLETES}, got ${String(count)}`, {
      argument: 'athletes',
    });
  }
  return count;
}

export function checkSeed(seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `seed must be an integer, got ${String(seed)}`, { argument: 'seed' });
  }
  return seed;
}

function uniqueName(rng: Random, sex: Sex, taken: Set<string>): string {
  for (;;) {
    const name = `${rng.pick(FIRST_NAMES[sex])} ${rng.pick(LAST_NAMES)}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

/** `count` athletes drawn from `seed`; the same arguments always give the same squad. */
export function demoSquad(count = 24, seed = 1, options: DemoSquadOptions = {}): DemoAthlete[] {
  checkAthleteCount(count);
  checkSeed(seed);
  const sex = options.sex ?? 'male';
  if (sex !== 'male' && sex !== 'female') {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `sex must be "male" or "female", got ${String(sex)}`, { argument: 'sex' });
  }
  const asOfYear = options.asOfYear ?? new Date().getUTCFullYear();
  const rng = createRandom(seed, 'squad');
  const names = new Set<string>();
  const freeNumbers = Array.from({ length: 98 }, (_, i) => i + 2);
  let keeperNumberTaken = false;

  return Array.from({ length: count }, (_, index) => {
    const position = positionOf(index, count);
    let number: number;
    if (position === 'goalkeeper' && !keeperNumberTaken) {
      keeperNumberTaken = true;
      number = 1;
    } else {
      // Squad numbers cluster low: draw from the lowest free ones.
      number = freeNumbers.splice(rng.int(0, Math.min(freeNumbers.length, count + 8) - 1), 1)[0] ?? 99;
    }
    const age = rng.int(18, 34);
    // Tanaka, Monahan & Seals 2001 (J Am Coll Cardiol 37:153–156): HRmax = 208 − 0.7·age, with the
    // individual scatter (SD ≈ 7 bpm) their meta-analysis reports around the line.
    const hrMax = Math.round(clamp(208 - 0.7 * age + rng.normal(0, 7), 172, 212));
    // Trained footballers rest at roughly 45–60 bpm.
    const hrRest = rng.int(44, 60);
    const meanMass = sex === 'male' ? 77 : 63;
    const massKg = Math.round(clamp(rng.normal(meanMass + (position === 'goalkeeper' ? 6 : 0), 6), meanMass - 16, meanMass + 20) * 10) / 10;
    return {
      name: uniqueName(rng, sex, names),
      number,
      position,
      hrMax,
      hrRest,
      sex,
      massKg,
      birthYear: asOfYear - age,
      hrSensorId: strapSensorId(index),
      podSensorId: podSensorId(index),
    };
  });
}
