/**
 * The box's CPU load, temperature and available memory, without blocking the event loop.
 * Available memory comes from systeminformation, whose Linux mem() reads /proc/meminfo
 * asynchronously. Its currentLoad() and cpuTemperature() do not: on Linux both shell out with
 * execSync (systeminformation 5.33: `cat /proc/stat | grep cpu` in currentLoad, 30–40 ms of
 * blocked event loop per call, measured in a bare Node; cpuTemperature 10–270 ms), enough to hold
 * back MQTT acknowledgements and live updates at every sample. So CPU load and temperature are
 * read from the kernel's files here, asynchronously:
 * - CPU load: the busy share of all cores' time since the previous sample, from /proc/stat's
 *   `cpu` line (iowait counts as idle, as in top);
 * - temperature: the CPU's thermal zone (cpu-thermal on a Raspberry Pi, x86_pkg_temp on Intel),
 *   or else the CPU's hwmon sensor (coretemp, k10temp).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import si from 'systeminformation';

export interface SystemProbe {
  loadPercent: number | null;
  temperatureC: number | null;
  availableMemoryBytes: number | null;
}

const THERMAL = '/sys/class/thermal';
const HWMON = '/sys/class/hwmon';
const CPU_ZONE = /cpu|x86_pkg|soc|package/i;
const CPU_HWMON = /^(coretemp|k10temp|zenpower|cpu_thermal|cpu-thermal)$/;

const readText = (path: string) => readFile(path, 'utf8').then((s) => s.trim(), () => null);

/** Millidegrees as the kernel writes them, to °C; null for anything implausible. */
function celsius(milli: string | null): number | null {
  const value = Number(milli) / 1000;
  return milli && Number.isFinite(value) && value > -40 && value < 150 ? value : null;
}

async function thermalZoneTemperature(): Promise<number | null> {
  const zones = (await readdir(THERMAL).catch(() => [] as string[])).filter((z) => z.startsWith('thermal_zone')).sort();
  const typed = await Promise.all(zones.map(async (zone) => ({ zone, type: (await readText(join(THERMAL, zone, 'type'))) ?? '' })));
  const cpu = typed.find((z) => CPU_ZONE.test(z.type)) ?? (typed.length === 1 ? typed[0] : undefined);
  return cpu ? celsius(await readText(join(THERMAL, cpu.zone, 'temp'))) : null;
}

async function hwmonTemperature(): Promise<number | null> {
  for (const mon of (await readdir(HWMON).catch(() => [] as string[])).sort()) {
    if (!CPU_HWMON.test((await readText(join(HWMON, mon, 'name'))) ?? '')) continue;
    // temp1 is the package (coretemp) or Tctl (k10temp) sensor.
    const value = celsius(await readText(join(HWMON, mon, 'temp1_input')));
    if (value !== null) return value;
  }
  return null;
}

interface CpuTimes {
  busy: number;
  total: number;
}

/** All cores' busy and total time from /proc/stat's first line, in clock ticks; null off Linux. */
async function cpuTimes(): Promise<CpuTimes | null> {
  const line = (await readText('/proc/stat'))?.split('\n', 1)[0];
  if (!line?.startsWith('cpu ')) return null;
  // user nice system idle iowait irq softirq steal; guest time is already counted in user and nice.
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.split(/\s+/).slice(1, 9).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

let previousCpu: CpuTimes | null = null;

/** Busy share of all cores since the previous call; the first call measures a quarter of a second. */
async function cpuLoadPercent(): Promise<number | null> {
  if (!previousCpu) {
    previousCpu = await cpuTimes();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const now = await cpuTimes();
  const before = previousCpu;
  previousCpu = now;
  if (!now || !before || now.total <= before.total) return null;
  return (100 * (now.busy - before.busy)) / (now.total - before.total);
}

export async function probeSystem(): Promise<SystemProbe> {
  const [load, memory, temperature] = await Promise.allSettled([cpuLoadPercent(), si.mem(), thermalZoneTemperature().then((t) => t ?? hwmonTemperature())]);
  const settled = <T>(r: PromiseSettledResult<T>): T | null => (r.status === 'fulfilled' ? r.value : null);
  return {
    loadPercent: settled(load),
    temperatureC: settled(temperature),
    availableMemoryBytes: settled(memory)?.available ?? null,
  };
}
