/**
 * Runs the systeminformation probes off the hub's event loop. On Linux, cpuTemperature() shells
 * out with execSync (measured here: 10–270 ms blocked per call), which would stall live fan-out
 * every few seconds; in this worker it only blocks the worker. Answers each message with one
 * SystemProbe sample.
 */
import { parentPort } from 'node:worker_threads';
import si from 'systeminformation';

export interface SystemProbe {
  loadPercent: number | null;
  temperatureC: number | null;
  availableMemoryBytes: number | null;
}

function settled<T>(result: PromiseSettledResult<T>): T | null {
  return result.status === 'fulfilled' ? result.value : null;
}

parentPort?.on('message', async () => {
  const [load, temperature, memory] = await Promise.allSettled([si.currentLoad(), si.cpuTemperature(), si.mem()]);
  const main = settled(temperature)?.main;
  const probe: SystemProbe = {
    loadPercent: settled(load)?.currentLoad ?? null,
    // systeminformation reports null (older versions -1) when no sensor is readable, as on a VM.
    temperatureC: typeof main === 'number' && main !== -1 ? main : null,
    availableMemoryBytes: settled(memory)?.available ?? null,
  };
  parentPort?.postMessage(probe);
});
