/** Days as central counts them: 'YYYY-MM-DD' in UTC. */

const DAY_MS = 86_400_000;

export function dayOf(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

export function today(): string {
  return dayOf(Date.now());
}

/** The day `n` days before `day` (negative n: after). */
export function daysBefore(day: string, n: number): string {
  return dayOf(Date.parse(`${day}T00:00:00Z`) - n * DAY_MS);
}

/** A day as seconds since the epoch at UTC midnight, uPlot's time axis unit. */
export function daySeconds(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}

export function dayLabel(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** A 'YYYY-MM-DD' string that is a real day. */
export function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** Every day from `from` to `to`, both included. */
export function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end && days.length < 3700; t += DAY_MS) days.push(dayOf(t));
  return days;
}
