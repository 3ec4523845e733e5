/** Child-process and port helpers of the bench: every process it starts, it stops by its own handle. */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { cpuSeconds, readStat } from './proc-stats.ts';

/** A free TCP port on loopback, found by letting the kernel pick one. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value, or throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

/** Rejects naming `what` if `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Asks a child to stop (SIGTERM), and kills that one child if it has not exited in time. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Resolves when the child has exited or `ms` have passed, whichever is first. */
export async function exitWithin(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await Promise.race([once(child, 'exit'), sleep(ms)]);
}

/** Rejects when the child exits before `promise` settles, so a crashed child never hangs the bench. */
export function unlessExited<T>(child: ChildProcess, name: string, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    once(child, 'exit').then(async ([code, signal]) => {
      // A child's last IPC message may be delivered just after its exit event.
      await sleep(200);
      throw new Error(`${name} exited early (code ${String(code)}, signal ${String(signal)})`);
    }),
  ]);
}

/**
 * Waits until the given processes together use less than `maxCpuPercent` of a core over half a
 * second, so the backlog of one step never spills into the next. Gives up after `timeoutMs`.
 */
export async function waitIdle(pids: number[], maxCpuPercent = 10, timeoutMs = 20_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const before = pids.reduce((sum, pid) => sum + cpuSeconds(readStat(pid)), 0);
    await sleep(500);
    const after = pids.reduce((sum, pid) => sum + cpuSeconds(readStat(pid)), 0);
    const percent = ((after - before) / 0.5) * 100;
    if (percent < maxCpuPercent || Date.now() - started > timeoutMs) return Date.now() - started;
  }
}
