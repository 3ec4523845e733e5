/** The bench's handle on one load-generator child process (bench/load-generator.ts). */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ChildMessage, LoadPlan, LoadResult, LoadWindow } from './load-protocol.ts';
import { exitWithin, stopChild, unlessExited } from './processes.ts';

export class LoadGenerator {
  readonly devices: number;
  readonly athletes: number;
  private readonly child: ChildProcess;

  private constructor(child: ChildProcess, devices: number, athletes: number) {
    this.child = child;
    this.devices = devices;
    this.athletes = athletes;
  }

  /** Forks the generator and resolves once every device is connected. */
  static async start(repoRoot: string, plan: LoadPlan): Promise<LoadGenerator> {
    const child = fork(join(repoRoot, 'bench/load-generator.ts'), [JSON.stringify(plan)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    try {
      const ready = await unlessExited(child, 'the load generator', next(child, 60_000));
      if (ready.type !== 'ready') throw new Error(`load generator: ${ready.type === 'error' ? ready.message : 'unexpected reply'}`);
      return new LoadGenerator(child, ready.devices, plan.athletes);
    } catch (err) {
      await stopChild(child);
      throw err;
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Publishes through one warm-up and measurement window; resolves after the drain. */
  async run(window: LoadWindow): Promise<LoadResult> {
    const reply = next(this.child, window.windowEnd + window.drainMs - Date.now() + 30_000);
    this.child.send({ type: 'run', window });
    const message = await unlessExited(this.child, 'the load generator', reply);
    if (message.type !== 'result') throw new Error(`load generator: ${message.type === 'error' ? message.message : 'unexpected reply'}`);
    return message.result;
  }

  async stop(): Promise<void> {
    // Asked first, so the devices disconnect cleanly; ended by signal only if that takes too long.
    if (this.child.connected) this.child.send({ type: 'stop' });
    await exitWithin(this.child, 5_000);
    await stopChild(this.child, 5_000);
  }
}

/**
 * One connected generator per target at a time, kept from step to step while the squad size stays
 * the same: the ramp changes only the speed-up, and devices need not reconnect for it.
 */
export class GeneratorPool {
  private readonly repoRoot: string;
  private readonly plan: Omit<LoadPlan, 'athletes'>;
  private current: LoadGenerator | undefined;

  constructor(repoRoot: string, plan: Omit<LoadPlan, 'athletes'>) {
    this.repoRoot = repoRoot;
    this.plan = plan;
  }

  async get(athletes: number): Promise<LoadGenerator> {
    if (this.current?.athletes === athletes) return this.current;
    await this.close();
    this.current = await LoadGenerator.start(this.repoRoot, { ...this.plan, athletes });
    return this.current;
  }

  async close(): Promise<void> {
    const generator = this.current;
    this.current = undefined;
    await generator?.stop();
  }
}

function next(child: ChildProcess, timeoutMs: number): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`load generator silent for ${timeoutMs} ms`)), timeoutMs);
    // A generator that exits is reported by unlessExited; this timer must not keep the bench alive after it.
    timer.unref();
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as ChildMessage);
    });
  });
}
