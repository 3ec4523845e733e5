/** An adapter context that runs readings through the real gate and keeps the accepted ones. */
import type { AdapterContext, LogLevel } from '../../src/adapter.ts';
import { ReadingGate, type BridgeReading, type PublishVerdict } from '../../src/hub-link/readings.ts';

export interface CapturedContext extends AdapterContext {
  readings: BridgeReading[];
  rejected: PublishVerdict[];
  logs: { level: LogLevel; message: string }[];
}

export function captureContext(now: () => number = Date.now): CapturedContext {
  const gate = new ReadingGate();
  const context: CapturedContext = {
    readings: [],
    rejected: [],
    logs: [],
    now,
    log: (level, message) => context.logs.push({ level, message }),
    publish(reading) {
      const { verdict, reading: clean } = gate.check(reading, now());
      if (verdict.accepted) context.readings.push(clean!);
      else context.rejected.push(verdict);
      return verdict;
    },
  };
  return context;
}

export function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = async () => {
      if (await check()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(() => void poll(), 5);
    };
    void poll();
  });
}
