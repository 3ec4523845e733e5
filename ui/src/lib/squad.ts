/** Ordering and filtering of the squad on the live grid. */
import type { LiveAthlete } from './types.ts';

export type SortKey = 'number' | 'zone' | 'load';

const byNumber = (a: LiveAthlete, b: LiveAthlete) => (a.number ?? 1e9) - (b.number ?? 1e9) || a.name.localeCompare(b.name);

/** Athletes with no signal at all go last whatever the key: they have nothing to compare. */
export function sortAthletes(athletes: LiveAthlete[], key: SortKey): LiveAthlete[] {
  const silent = (a: LiveAthlete) => (a.signal === 'none' || a.signal === 'lost' ? 1 : 0);
  const compare: Record<SortKey, (a: LiveAthlete, b: LiveAthlete) => number> = {
    number: byNumber,
    zone: (a, b) => silent(a) - silent(b) || (b.hr.percentHrMax ?? -1) - (a.hr.percentHrMax ?? -1) || byNumber(a, b),
    load: (a, b) => silent(a) - silent(b) || b.hr.banisterTrimp - a.hr.banisterTrimp || byNumber(a, b),
  };
  return [...athletes].sort(compare[key]);
}

export interface SquadFilter {
  group: string;
  position: string;
}

export function matches(athlete: LiveAthlete, filter: SquadFilter): boolean {
  return (!filter.group || athlete.group === filter.group) && (!filter.position || athlete.position === filter.position);
}

/** Distinct non-empty values, sorted, for a filter's choices. */
export function distinct(athletes: Iterable<LiveAthlete>, pick: (a: LiveAthlete) => string | null): string[] {
  const values = new Set<string>();
  for (const athlete of athletes) {
    const value = pick(athlete);
    if (value) values.add(value);
  }
  return [...values].sort((a, b) => a.localeCompare(b));
}
