/**
 * Days of training load. Every load model here works on an unbroken run of calendar days, so this file
 * owns turning sessions (several per day, days missing) into that run: loads on one date are summed and
 * days without a record are rest days with load 0 (Foster 1998; SoccerMon's daily_load does the same).
 */
import { TouchlineError } from '../errors.ts';

export interface DailyLoad {
  /** Calendar date, YYYY-MM-DD. */
  date: string;
  /** Arbitrary units, e.g. session-RPE (RPE × minutes) or TRIMP; >= 0. */
  load: number;
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 for a YYYY-MM-DD date, or undefined if it is not a real calendar date. */
export function dayNumberOf(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (year < 1900 || back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined;
  return ms / DAY_MS;
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/**
 * YYYY-MM-DD of a day number. Calendar arithmetic (Hinnant's civil_from_days,
 * https://howardhinnant.github.io/date_algorithms.html) rather than a Date and toISOString per
 * day: a team's season turns tens of thousands of days into dates per request.
 */
export function dateOfDayNumber(dayNumber: number): string {
  const day = Math.floor(dayNumber);
  // Outside years 1000–9999 the ISO form is not four digits wide; Date knows how it looks there.
  if (!(day >= -354_285 && day <= 2_932_896)) return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Sums loads per date and fills every missing day from the first to the last date with 0, in date order. */
export function fillDailyLoads(entries: readonly DailyLoad[]): DailyLoad[] {
  if (!Array.isArray(entries)) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', 'entries must be an array of { date, load }', { argument: 'entries' });
  }
  const byDay = new Map<number, number>();
  entries.forEach((entry, index) => {
    const day = typeof entry?.date === 'string' ? dayNumberOf(entry.date) : undefined;
    if (day === undefined) {
      throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `entries[${index}].date must be a calendar date YYYY-MM-DD, got ${String(entry?.date)}`, {
        argument: `entries[${index}].date`,
      });
    }
    const load = entry.load;
    if (typeof load !== 'number' || !Number.isFinite(load) || load < 0) {
      throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `entries[${index}].load must be a finite number >= 0, got ${String(load)}`, {
        argument: `entries[${index}].load`,
      });
    }
    byDay.set(day, (byDay.get(day) ?? 0) + load);
  });
  if (byDay.size === 0) return [];
  const days = [...byDay.keys()];
  const first = days.reduce((a, b) => Math.min(a, b));
  const last = days.reduce((a, b) => Math.max(a, b));
  const filled: DailyLoad[] = [];
  for (let day = first; day <= last; day++) filled.push({ date: dateOfDayNumber(day), load: byDay.get(day) ?? 0 });
  return filled;
}
