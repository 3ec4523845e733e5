/** Number and time formatting for people glancing at a screen: few digits, units where they help. */

export function int(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : String(Math.round(value));
}

export function fixed(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

/** Metres under 10 km as whole metres, beyond as km with two decimals. */
export function distance(metres: number | null | undefined): string {
  if (metres === null || metres === undefined || !Number.isFinite(metres)) return '–';
  return metres < 10_000 ? `${Math.round(metres)} m` : `${(metres / 1000).toFixed(2)} km`;
}

/** m/s as km/h, which coaches read more readily. */
export function kmh(metresPerSecond: number | null | undefined): string {
  return metresPerSecond === null || metresPerSecond === undefined ? '–' : (metresPerSecond * 3.6).toFixed(1);
}

/** Seconds as h:mm:ss or m:ss. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Seconds as "12 min" or "1 h 05 min". */
export function minutes(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  const m = Math.round(seconds / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function timeOfDay(t: number): string {
  return new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function dateTime(t: number): string {
  return new Date(t).toLocaleString([], { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** "just now", "40 s ago", "5 min ago", then the time of day. */
export function ago(t: number | null, now: number): string {
  if (t === null) return 'never';
  const s = Math.round((now - t) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return timeOfDay(t);
}

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
