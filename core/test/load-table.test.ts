import { describe, expect, it } from 'vitest';
import { DEFAULT_LOAD_CONVENTIONS, LOAD_DAY_COLUMNS, loadMetricsByDay, normalizeLoadDate, parseDailyLoadCsv, type DailyLoad } from '../src/load/index.ts';

/** Ten days from sessions: two on 1 March, none on 2, 4 and 8 March. Daily loads 500,0,400,0,250,600,350,0,450,300. */
const sessions: DailyLoad[] = [
  { date: '2024-03-01', load: 300 },
  { date: '2024-03-01', load: 200 },
  { date: '2024-03-03', load: 400 },
  { date: '2024-03-05', load: 250 },
  { date: '2024-03-06', load: 600 },
  { date: '2024-03-07', load: 350 },
  { date: '2024-03-10', load: 300 },
  { date: '2024-03-09', load: 450 },
];

describe('loadMetricsByDay', () => {
  it('returns one row per calendar day with the documented columns and default conventions', () => {
    const { rows, conventions } = loadMetricsByDay(sessions);
    expect(rows.map((r) => r.date)).toEqual(Array.from({ length: 10 }, (_, i) => `2024-03-${String(i + 1).padStart(2, '0')}`));
    expect(rows.map((r) => r.load)).toEqual([500, 0, 400, 0, 250, 600, 350, 0, 450, 300]);
    expect(Object.keys(rows[0] ?? {})).toEqual([...LOAD_DAY_COLUMNS]);
    expect(conventions).toEqual(DEFAULT_LOAD_CONVENTIONS);
  });

  // Expected values from an independent numpy implementation of each formula (scratch script, by hand).
  it('matches numpy on the synthetic series with SoccerMon conventions (zero-padded, population SD)', () => {
    const { rows } = loadMetricsByDay(sessions);
    const day10 = rows[9];
    expect(day10?.acute).toBeCloseTo(278.5714285714, 9);
    expect(day10?.chronic28).toBeCloseTo(101.7857142857, 9);
    expect(day10?.chronic42).toBeCloseTo(67.8571428571, 9);
    expect(day10?.acwr).toBeCloseTo(2.7368421053, 9);
    expect(day10?.acwr_uncoupled).toBeCloseTo(6.5, 9);
    expect(day10?.acwr_ewma).toBeCloseTo(0.78993769, 8);
    expect(day10?.monotony).toBeCloseTo(1.3586293779, 9);
    expect(day10?.strain).toBeCloseTo(2649.3272868439, 6);
    expect(day10?.ctl).toBeCloseTo(60.5823727151, 9);
    expect(day10?.atl).toBeCloseTo(221.6074700852, 9);
    expect(day10?.tsb).toBeCloseTo(-154.755572560, 8);
    expect(rows[0]).toMatchObject({ acute: 500 / 7, acwr: 4, acwr_uncoupled: null, acwr_ewma: 1, tsb: 0 });
    expect(rows[0]?.monotony).toBeCloseTo(0.4082482905, 9);
    expect(rows[6]?.acwr_uncoupled).toBeNull();
    expect(rows[6]?.monotony).toBeCloseTo(1.3922864427, 9);
  });

  it('switches every convention by name', () => {
    const { rows, conventions } = loadMetricsByDay(sessions, {
      windowFill: 'partial',
      sd: 'sample',
      decay: 'linear',
      tsb: 'same-day',
      ewmaSeed: 'zero',
    });
    expect(conventions).toMatchObject({ windowFill: 'partial', sd: 'sample', decay: 'linear', tsb: 'same-day', ewmaSeed: 'zero' });
    const day10 = rows[9];
    expect(day10?.chronic28).toBeCloseTo(285, 9);
    expect(day10?.acwr).toBeCloseTo(0.9774436090, 9);
    expect(day10?.acwr_uncoupled).toBeCloseTo(0.9285714286, 9);
    expect(day10?.monotony).toBeCloseTo(1.2578463862, 9);
    expect(day10?.acwr_ewma).toBeCloseTo(1.91278054, 8);
    expect(day10?.ctl).toBeCloseTo(61.2330662641, 9);
    expect(day10?.atl).toBeCloseTo(229.4982311884, 9);
    expect(day10?.tsb).toBeCloseTo(-168.2651649243, 9);
    expect(rows[0]).toMatchObject({ acute: 500, chronic28: 500, acwr: 1, monotony: null });
  });

  it('leaves values null until windows are full with complete-only', () => {
    const { rows } = loadMetricsByDay(sessions, { windowFill: 'complete-only' });
    expect(rows[5]).toMatchObject({ acute: null, monotony: null, strain: null, acwr: null });
    expect(rows[6]?.acute).toBe(300);
    expect(rows[9]).toMatchObject({ chronic28: null, chronic42: null, acwr: null, acwr_uncoupled: null });
  });

  it('uses the EWMA spans given', () => {
    // Spans 3 and 6 -> λ 0.5 and 2/7; seeded with 500: on day 2 acute 250, chronic 500·5/7 -> 0.7.
    const { rows } = loadMetricsByDay(sessions, { ewmaAcuteDays: 3, ewmaChronicDays: 6 });
    expect(rows[1]?.acwr_ewma).toBeCloseTo(0.7, 12);
  });

  it('gives no rows for no entries and rejects bad conventions', () => {
    expect(loadMetricsByDay([]).rows).toEqual([]);
    const invalid = expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' });
    expect(() => loadMetricsByDay(sessions, { sd: 'both' as 'sample' })).toThrow(invalid);
    expect(() => loadMetricsByDay(sessions, { ctlDays: 4.5 })).toThrow(invalid);
    expect(() => loadMetricsByDay(sessions, { windowFill: 'none' as 'partial' })).toThrow(invalid);
  });
});

describe('parseDailyLoadCsv', () => {
  const csvError = (line: number) => expect.objectContaining({ code: 'TL_ERR_CSV_PARSE', detail: expect.objectContaining({ line }) });

  it('reads date,load rows in either date form, any column order, with a BOM and CRLF', () => {
    const text = '\uFEFFsession,Load,Date\r\n"Pitch, AM",300,2024-03-01\r\nGym,200,1.3.2024\r\n\r\nMatch,450.5,09.03.2024\r\n';
    expect(parseDailyLoadCsv(text)).toEqual([
      { date: '2024-03-01', load: 300 },
      { date: '2024-03-01', load: 200 },
      { date: '2024-03-09', load: 450.5 },
    ]);
  });

  it('normalizes European dates and rejects impossible ones', () => {
    expect(normalizeLoadDate('07.08.2021')).toBe('2021-08-07');
    expect(normalizeLoadDate('31.02.2021')).toBeUndefined();
    expect(normalizeLoadDate('2021/08/07')).toBeUndefined();
  });

  it('names the line of a bad row', () => {
    expect(() => parseDailyLoadCsv('date,load\n2024-03-01,100\n2024-13-01,100\n')).toThrow(csvError(3));
    expect(() => parseDailyLoadCsv('date,load\n2024-03-01,100\n2024-03-02,-5\n')).toThrow(csvError(3));
    expect(() => parseDailyLoadCsv('date,load\n2024-03-01,0x10\n')).toThrow(csvError(2));
    expect(() => parseDailyLoadCsv('date,load\n2024-03-01,\n')).toThrow(csvError(2));
    expect(() => parseDailyLoadCsv('date,load\n2024-03-01\n')).toThrow(csvError(2));
    expect(() => parseDailyLoadCsv('date,load\n"2024-03-01,5\n')).toThrow(csvError(2));
  });

  it('requires a header naming date and load, and at least one row', () => {
    expect(() => parseDailyLoadCsv('2024-03-01,100\n')).toThrow(csvError(1));
    expect(() => parseDailyLoadCsv('\n\nday,load\n')).toThrow(csvError(3));
    expect(() => parseDailyLoadCsv('date,load\n')).toThrow(csvError(1));
    expect(() => parseDailyLoadCsv('')).toThrow(csvError(1));
  });
});
