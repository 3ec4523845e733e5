/**
 * The squad: athletes and the profile values their metrics depend on (HRmax, resting HR, sex, body
 * mass, zone bounds, speed thresholds). Kept in memory because the engine reads profiles for every
 * reading; every change is written through to the database first.
 */
import { TouchlineError, type AthleteProfile, type Sex } from '@touchline/core/metrics';
import type { AthleteRepository } from '../repositories/athlete.repository.ts';
import type { AthletesTable } from '../store/tables.ts';
import { newId } from './secrets.ts';
import { compareCodeUnits } from './code-unit-order.ts';

export interface Athlete {
  id: string;
  name: string;
  number: number | null;
  position: string | null;
  group: string | null;
  hrMax: number;
  hrRest: number;
  sex: Sex;
  massKg: number;
  birthYear: number | null;
  /** Lower bound of each HR zone in % of HRmax; null takes the core default (50/60/70/80/90). */
  zones: number[] | null;
  /** Speed thresholds in m/s; null takes the hub default. */
  thresholds: { hsr: number; sprint: number } | null;
}

export type AthleteInput = Omit<Athlete, 'id'>;

function fromRow(row: AthletesTable): Athlete {
  return {
    id: row.id,
    name: row.name,
    number: row.number,
    position: row.position,
    group: row.group_name,
    hrMax: row.hr_max,
    hrRest: row.hr_rest,
    sex: row.sex as Sex,
    massKg: row.mass_kg,
    birthYear: row.birth_year,
    zones: JSON.parse(row.zones) as number[] | null,
    thresholds: JSON.parse(row.thresholds) as Athlete['thresholds'],
  };
}

function checkProfile(a: AthleteInput): void {
  if (a.hrRest >= a.hrMax) throw new TouchlineError('TL_ERR_VALIDATION', `hrRest (${a.hrRest}) must be below hrMax (${a.hrMax})`);
  if (a.zones && a.zones.some((z, i) => i > 0 && z <= a.zones![i - 1]!)) throw new TouchlineError('TL_ERR_VALIDATION', 'zones must be strictly increasing');
  if (a.thresholds && a.thresholds.sprint <= a.thresholds.hsr) throw new TouchlineError('TL_ERR_VALIDATION', 'the sprint threshold must be above the high-speed running threshold');
}

export function profileOf(a: Athlete, year = new Date().getUTCFullYear()): AthleteProfile {
  const profile: AthleteProfile = { hrMax: a.hrMax, hrRest: a.hrRest, sex: a.sex, massKg: a.massKg };
  if (a.birthYear) profile.ageYears = year - a.birthYear;
  return profile;
}

export class AthleteService {
  private readonly repo: AthleteRepository;
  private readonly byId = new Map<string, Athlete>();
  private readonly listeners: ((athlete: Athlete | undefined, id: string) => void)[] = [];

  constructor(repo: AthleteRepository) {
    this.repo = repo;
  }

  async load(): Promise<void> {
    this.byId.clear();
    for (const row of await this.repo.listActive()) this.byId.set(row.id, fromRow(row));
  }

  /** Called after every change, so the engine can pick up new profiles. */
  onChange(listener: (athlete: Athlete | undefined, id: string) => void): void {
    this.listeners.push(listener);
  }

  list(): Athlete[] {
    return [...this.byId.values()].sort((a, b) => (a.number ?? 1e9) - (b.number ?? 1e9) || compareCodeUnits(a.name, b.name));
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): Athlete {
    const athlete = this.byId.get(id);
    if (!athlete) throw new TouchlineError('TL_ERR_NOT_FOUND', `No athlete "${id}"`);
    return athlete;
  }

  find(id: string): Athlete | undefined {
    return this.byId.get(id);
  }

  async create(input: AthleteInput, id: string = newId()): Promise<Athlete> {
    checkProfile(input);
    if (this.byId.has(id)) throw new TouchlineError('TL_ERR_CONFLICT', `Athlete "${id}" already exists`);
    await this.repo.insert({
      id,
      name: input.name,
      number: input.number,
      position: input.position,
      group_name: input.group,
      hr_max: input.hrMax,
      hr_rest: input.hrRest,
      sex: input.sex,
      mass_kg: input.massKg,
      birth_year: input.birthYear,
      zones: JSON.stringify(input.zones),
      thresholds: JSON.stringify(input.thresholds),
      created_at: Date.now(),
      archived_at: null,
    });
    const athlete = { id, ...input };
    this.byId.set(id, athlete);
    for (const l of this.listeners) l(athlete, id);
    return athlete;
  }

  async update(id: string, changes: Partial<AthleteInput>): Promise<Athlete> {
    const next = { ...this.get(id), ...changes };
    checkProfile(next);
    await this.repo.update(id, {
      name: next.name,
      number: next.number,
      position: next.position,
      group_name: next.group,
      hr_max: next.hrMax,
      hr_rest: next.hrRest,
      sex: next.sex,
      mass_kg: next.massKg,
      birth_year: next.birthYear,
      zones: JSON.stringify(next.zones),
      thresholds: JSON.stringify(next.thresholds),
    });
    this.byId.set(id, next);
    for (const l of this.listeners) l(next, id);
    return next;
  }

  async archive(id: string): Promise<void> {
    this.get(id);
    await this.repo.update(id, { archived_at: Date.now() });
    this.byId.delete(id);
    for (const l of this.listeners) l(undefined, id);
  }
}
