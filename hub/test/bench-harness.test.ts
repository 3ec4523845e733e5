/** The pure parts of the benchmark harness (bench/): percentiles, /proc parsing, the ramp's midpoints. */
import { describe, expect, it } from 'vitest';
import { percentile, summarize } from '../../bench/stats.ts';
import { parseCpuTotals, parseProcIo, parseProcStat, parseProcStatus, readStat, readStatus } from '../../bench/proc-stats.ts';
import { between } from '../../bench/ingest-run.ts';

describe('bench percentiles', () => {
  it('takes the nearest rank, never a value between two samples', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    // rank = ceil(p/100 · n): p50 → 5th, p99 → 10th, p10 → 1st, p11 → 2nd
    expect(percentile(sorted, 50)).toBe(5);
    expect(percentile(sorted, 99)).toBe(10);
    expect(percentile(sorted, 10)).toBe(1);
    expect(percentile(sorted, 11)).toBe(2);
    expect(percentile(sorted, 100)).toBe(10);
    expect(percentile([], 50)).toBeNull();
    expect(() => percentile(sorted, 0)).toThrow(RangeError);
  });

  it('summarizes unsorted samples numerically, not as strings', () => {
    // 200 samples: 198 of 1 ms, then 2 ms and 100 ms; p99 is the 198th (1), max 100.
    const samples = [100, ...Array.from({ length: 198 }, () => 1), 2];
    expect(summarize(samples)).toEqual({ count: 200, p50: 1, p99: 1, max: 100 });
    // String sorting would put 100 before 9.
    expect(summarize([9, 100, 10])).toEqual({ count: 3, p50: 10, p99: 100, max: 100 });
    expect(summarize([])).toEqual({ count: 0, p50: null, p99: null, max: null });
  });
});

describe('bench /proc parsing', () => {
  it('counts stat fields from the last parenthesis, so odd command names do not shift them', () => {
    // Fields 3…15 after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    const line = '4242 (node (hub) x) S 1 4242 4242 0 -1 4194304 5000 0 12 0 731 254 0 0 20 0 11 0 3600 1200000000 30000 18446744073709551615';
    expect(parseProcStat(line)).toEqual({ utimeTicks: 731, stimeTicks: 254 });
  });

  it('reads resident memory from status in bytes', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1200000 kB\nVmHWM:\t  150000 kB\nVmRSS:\t  120000 kB\nThreads:\t11\n';
    expect(parseProcStatus(status)).toEqual({ rssBytes: 120000 * 1024, peakRssBytes: 150000 * 1024 });
  });

  it('reads storage writes from io', () => {
    const io = 'rchar: 100\nwchar: 200\nsyscr: 3\nsyscw: 4\nread_bytes: 4096\nwrite_bytes: 8192000\ncancelled_write_bytes: 4096\n';
    expect(parseProcIo(io)).toEqual({ readBytes: 4096, writeBytes: 8192000, cancelledWriteBytes: 4096 });
  });

  it('counts idle and iowait as not busy in /proc/stat', () => {
    const stat = 'cpu  100 5 50 800 20 3 2 0 0 0\ncpu0 50 2 25 400 10 1 1 0 0 0\n';
    expect(parseCpuTotals(stat)).toEqual({ busyTicks: 160, totalTicks: 980 });
  });

  it('reads this very process', () => {
    const stat = readStat(process.pid);
    expect(stat.utimeTicks + stat.stimeTicks).toBeGreaterThan(0);
    expect(readStatus(process.pid).rssBytes).toBeGreaterThan(1024 * 1024);
  });
});

describe('bench ramp', () => {
  it('refines at the geometric mean of two offered rates', () => {
    // 40 and 80 athletes: √(840 · 1680) = 1187.9 msg/s → 57 athletes at ×0.99
    expect(between({ athletes: 40, speedup: 1 }, { athletes: 80, speedup: 1 })).toEqual({ athletes: 57, speedup: 0.99 });
    // beyond 80 athletes the squad stays at 80 and the speed-up rises: √(2 · 4) = 2.83
    expect(between({ athletes: 80, speedup: 2 }, { athletes: 80, speedup: 4 })).toEqual({ athletes: 80, speedup: 2.83 });
  });
});
