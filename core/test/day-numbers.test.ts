/**
 * Day numbers and calendar dates (daily-load.ts), checked against the JavaScript Date's own
 * proleptic Gregorian calendar: every day from 1900 to 2100, the century and leap-year rules, and
 * dates outside four-digit years.
 */
import { describe, expect, it } from 'vitest';
import { dateOfDayNumber, dayNumberOf } from '../src/load/daily-load.ts';

const DAY_MS = 86_400_000;
const viaDate = (dayNumber: number) => new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);

describe('dateOfDayNumber', () => {
  it('gives the same date as Date for every day from 1900 to 2100', () => {
    const first = Date.UTC(1900, 0, 1) / DAY_MS;
    const last = Date.UTC(2100, 11, 31) / DAY_MS;
    const wrong: number[] = [];
    for (let n = first; n <= last; n++) if (dateOfDayNumber(n) !== viaDate(n)) wrong.push(n);
    expect(wrong).toEqual([]);
  });

  it('follows the leap-year rules: 1900 and 2100 are not leap years, 2000 and 2024 are', () => {
    expect(dateOfDayNumber(Date.UTC(1900, 1, 28) / DAY_MS + 1)).toBe('1900-03-01');
    expect(dateOfDayNumber(Date.UTC(2000, 1, 28) / DAY_MS + 1)).toBe('2000-02-29');
    expect(dateOfDayNumber(Date.UTC(2024, 1, 28) / DAY_MS + 1)).toBe('2024-02-29');
    expect(dateOfDayNumber(Date.UTC(2100, 1, 28) / DAY_MS + 1)).toBe('2100-03-01');
    expect(dateOfDayNumber(0)).toBe('1970-01-01');
    expect(dateOfDayNumber(-1)).toBe('1969-12-31');
  });

  it('takes the day a fractional day number falls in, and writes years outside 1000–9999 as Date does', () => {
    expect(dateOfDayNumber(0.5)).toBe('1970-01-01');
    expect(dateOfDayNumber(-0.5)).toBe('1969-12-31');
    for (const n of [Date.UTC(999, 11, 31) / DAY_MS, Date.UTC(1000, 0, 1) / DAY_MS, Date.UTC(9999, 11, 31) / DAY_MS, Date.UTC(9999, 11, 31) / DAY_MS + 1]) {
      expect(dateOfDayNumber(n)).toBe(viaDate(n));
    }
  });

  it('is the inverse of dayNumberOf', () => {
    for (const date of ['1900-01-01', '1999-12-31', '2000-02-29', '2026-03-10', '2099-07-04']) expect(dateOfDayNumber(dayNumberOf(date)!)).toBe(date);
  });
});
