/**
 * The box's CPU load, temperature and available memory, without blocking the event loop.
 * CPU load and memory come from systeminformation, whose Linux versions read /proc
 * asynchronously. Its cpuTemperature() shells out with execSync (measured here: 10–270 ms blocked
 * per call, enough to stall live fan-out), so the temperature is read from the same kernel files
 * it reads, asynchronously: the CPU's thermal zone (cpu-thermal on a Raspberry Pi,
 * x86_pkg_temp on Intel), or else the CPU's hwmon sensor (coretemp, k10temp).
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

export async function probeSystem(): Promise<SystemProbe> {
  const [load, memory, temperature] = await Promise.allSettled([si.currentLoad(), si.mem(), thermalZoneTemperature().then((t) => t ?? hwmonTemperature())]);
  const settled = <T>(r: PromiseSettledResult<T>): T | null => (r.status === 'fulfilled' ? r.value : null);
  return {
    loadPercent: settled(load)?.currentLoad ?? null,
    temperatureC: settled(temperature),
    availableMemoryBytes: settled(memory)?.available ?? null,
  };
}
