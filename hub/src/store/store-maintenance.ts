/**
 * The hub's side of the store-maintenance thread (store-maintenance.worker.ts): one request at a
 * time, answered in order. A thread that dies is started again on the next request, so a failed
 * compaction leaves the readings in the inbox for the next run instead of stopping the hub.
 */
import { Worker } from 'node:worker_threads';
import type { CompactionResult } from './inbox-compactor.ts';

/** The thread's entry beside this module: TypeScript in the source tree, JavaScript in the build (hub/build.ts). */
const WORKER_FILE = import.meta.url.endsWith('.ts') ? './store-maintenance.worker.ts' : './store-maintenance.worker.js';

export interface MaintenanceWorkerData {
  path: string;
}

export type MaintenanceRequest = { type: 'compact' } | { type: 'checkpoint' } | { type: 'stop' };

interface CheckpointResult {
  walPages: number;
  checkpointedPages: number;
}

export type MaintenanceReply =
  | ({ type: 'compacted'; ms: number } & CompactionResult & CheckpointResult)
  | ({ type: 'checkpointed'; ms: number } & CheckpointResult)
  | { type: 'stopped' }
  | { type: 'failed'; request: MaintenanceRequest['type']; message: string };

export class StoreMaintenance {
  private readonly path: string;
  private worker: Worker | null = null;
  private readonly waiting: { type: MaintenanceRequest['type']; resolve: (reply: MaintenanceReply) => void }[] = [];

  constructor(path: string) {
    this.path = path;
  }

  /** Sends a request; resolves with its reply, or a `failed` reply when the thread dies. */
  request(request: MaintenanceRequest): Promise<MaintenanceReply> {
    const worker = (this.worker ??= this.spawn());
    return new Promise((resolve) => {
      this.waiting.push({ type: request.type, resolve });
      worker.postMessage(request);
    });
  }

  /** Lets the thread finish what it is doing, closes its connection and ends it. */
  async stop(): Promise<void> {
    if (!this.worker) return;
    const worker = this.worker;
    await this.request({ type: 'stop' });
    this.worker = null;
    await worker.terminate();
  }

  private spawn(): Worker {
    const worker = new Worker(new URL(WORKER_FILE, import.meta.url), {
      workerData: { path: this.path } satisfies MaintenanceWorkerData,
      // A compaction holds at most one inbox's readings; a small young generation keeps the
      // thread's share of the hub's memory small.
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    worker.unref();
    worker.on('message', (reply: MaintenanceReply) => this.waiting.shift()?.resolve(reply));
    worker.on('error', () => {});
    worker.once('exit', () => {
      if (this.worker === worker) this.worker = null;
      for (const { type, resolve } of this.waiting.splice(0)) resolve({ type: 'failed', request: type, message: 'the store maintenance thread ended' });
    });
    return worker;
  }
}
