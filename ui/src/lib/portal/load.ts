/** Reading a LoadDay series for tables: the latest figure, the last week's sum, and how to flag ACWR. */
import type { LoadDay } from './types.ts';

/** The last non-null value of a figure. */
export function latest(days: LoadDay[], key: 'acwr' | 'acwrEwma' | 'monotony' | 'strain' | 'ctl' | 'atl' | 'tsb'): number | null {
  for (let i = days.length - 1; i >= 0; i--) {
    const value = days[i]![key];
    if (value !== null && Number.isFinite(value)) return value;
  }
  return null;
}

/** The load of the last `n` days of the series. */
export function sumLast(days: LoadDay[], n: number): number {
  return days.slice(-n).reduce((sum, d) => sum + d.load, 0);
}

/**
 * ACWR bands as Gabbett (2016, Br J Sports Med 50:273) draws them: 0.8-1.3 the "sweet spot",
 * above 1.5 the "danger zone"; below 0.8 an athlete is doing less than they are prepared for.
 */
export const ACWR_SWEET_SPOT: [number, number] = [0.8, 1.3];
export const ACWR_DANGER = 1.5;

export function acwrTone(value: number | null): 'ok' | 'warn' | 'danger' | '' {
  if (value === null) return '';
  if (value > ACWR_DANGER) return 'danger';
  if (value < ACWR_SWEET_SPOT[0] || value > ACWR_SWEET_SPOT[1]) return 'warn';
  return 'ok';
}

/** Distinct line colours for several athletes on one chart, readable on both themes. */
export const PALETTE = ['#0b5fd6', '#c4121f', '#0f7a33', '#b35c00', '#7b2cbf', '#00838f', '#ad1457', '#5d4037', '#546e7a', '#9e9d24'];
