/**
 * CPU, memory and disk writes of a process, read from Linux's /proc (proc(5)): `stat` for CPU
 * ticks, `status` for resident memory, `io` for the bytes the process caused to be written to
 * storage. Reading /proc costs the measured process nothing.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcStat {
  /** User and system CPU time, in clock ticks (sysconf(_SC_CLK_TCK)). */
  utimeTicks: number;
  stimeTicks: number;
}

export interface ProcStatus {
  rssBytes: number;
  /** Peak resident set ("high water mark") since the process started. */
  peakRssBytes: number;
}

export interface ProcIo {
  readBytes: number;
  writeBytes: number;
  cancelledWriteBytes: number;
}

/**
 * Parses /proc/<pid>/stat. The command name (field 2) is in parentheses and may itself contain
 * spaces and parentheses, so fields are counted from the last ')'.
 */
export function parseProcStat(text: string): ProcStat {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error('not a /proc/<pid>/stat line');
  // After ')': field 3 (state) is index 0, so utime (field 14) and stime (field 15) are 11 and 12.
  const fields = text.slice(close + 2).trim().split(/\s+/);
  const utimeTicks = Number(fields[11]);
  const stimeTicks = Number(fields[12]);
  if (!Number.isFinite(utimeTicks) || !Number.isFinite(stimeTicks)) throw new Error('/proc/<pid>/stat has no utime/stime');
  return { utimeTicks, stimeTicks };
}

function kilobytesField(text: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(text);
  if (!match) throw new Error(`/proc/<pid>/status has no ${name}`);
  return Number(match[1]) * 1024;
}

/** Parses /proc/<pid>/status (VmRSS, VmHWM in kB). */
export function parseProcStatus(text: string): ProcStatus {
  return { rssBytes: kilobytesField(text, 'VmRSS'), peakRssBytes: kilobytesField(text, 'VmHWM') };
}

/** Parses /proc/<pid>/io ("name: value" lines). */
export function parseProcIo(text: string): ProcIo {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [name, value] = line.split(':');
    if (name && value !== undefined) values.set(name.trim(), Number(value.trim()));
  }
  const field = (name: string): number => {
    const v = values.get(name);
    if (v === undefined || !Number.isFinite(v)) throw new Error(`/proc/<pid>/io has no ${name}`);
    return v;
  };
  return { readBytes: field('read_bytes'), writeBytes: field('write_bytes'), cancelledWriteBytes: field('cancelled_write_bytes') };
}

/** Busy and total CPU ticks of the whole machine, from the first ("cpu") line of /proc/stat. */
export function parseCpuTotals(text: string): { busyTicks: number; totalTicks: number } {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat has no cpu line');
  // user nice system idle iowait irq softirq steal ...; idle and iowait are the time not spent working.
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const totalTicks = ticks.reduce((a, b) => a + b, 0);
  return { busyTicks: totalTicks - (ticks[3] ?? 0) - (ticks[4] ?? 0), totalTicks };
}

let clockTicks: number | undefined;

/** Clock ticks per second of /proc CPU times; 100 on practically every Linux. */
export function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export const readStat = (pid: number): ProcStat => parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
export const readStatus = (pid: number): ProcStatus => parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
export const readIo = (pid: number): ProcIo => parseProcIo(readFileSync(`/proc/${pid}/io`, 'utf8'));

export const readCpuTotals = () => parseCpuTotals(readFileSync('/proc/stat', 'utf8'));

export function cpuSeconds(stat: ProcStat): number {
  return (stat.utimeTicks + stat.stimeTicks) / clockTicksPerSecond();
}

export interface ProcessUsage {
  /** CPU time over wall time, in % of one core (200 % = both cores of a 2-core machine). */
  cpuPercent: number;
  peakRssMb: number;
  meanRssMb: number;
  writeBytes: number;
}

/** The whole machine's busy CPU over a window, in % of one core (so up to 100 × cores). */
export class MachineSampler {
  private readonly start = readCpuTotals();
  private readonly cores: number;

  constructor(cores: number) {
    this.cores = cores;
  }

  stop(): number {
    const end = readCpuTotals();
    const total = end.totalTicks - this.start.totalTicks;
    return total > 0 ? ((end.busyTicks - this.start.busyTicks) / total) * 100 * this.cores : 0;
  }
}

/**
 * Follows one process over a measurement window: CPU time and disk writes as the difference
 * between the window's ends, resident memory sampled every `intervalMs`.
 */
export class ProcessSampler {
  private readonly pid: number;
  private readonly startedAt = performance.now();
  private readonly startCpu: number;
  private readonly startWrites: number;
  private readonly rss: number[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(pid: number, intervalMs = 250) {
    this.pid = pid;
    this.startCpu = cpuSeconds(readStat(pid));
    this.startWrites = readIo(pid).writeBytes;
    this.sampleRss();
    this.timer = setInterval(() => this.sampleRss(), intervalMs);
  }

  private sampleRss(): void {
    try {
      this.rss.push(readStatus(this.pid).rssBytes);
    } catch {
      // the process ended; stop() reports what was seen
    }
  }

  stop(): ProcessUsage {
    clearInterval(this.timer);
    this.sampleRss();
    const wallS = (performance.now() - this.startedAt) / 1000;
    const cpu = cpuSeconds(readStat(this.pid)) - this.startCpu;
    const mb = (bytes: number) => bytes / 1024 / 1024;
    return {
      cpuPercent: wallS > 0 ? (cpu / wallS) * 100 : 0,
      peakRssMb: mb(Math.max(...this.rss)),
      meanRssMb: mb(this.rss.reduce((a, b) => a + b, 0) / this.rss.length),
      writeBytes: readIo(this.pid).writeBytes - this.startWrites,
    };
  }
}
