/**
 * The store's maintenance thread: compaction and WAL checkpoints on a connection of its own.
 * Both are long (a compaction decodes and deflates tens of thousands of readings; a checkpoint
 * copies pages and fsyncs), and on the hub's event loop every one of them held back MQTT
 * acknowledgements and live updates for 100–300 ms. Here they only occupy this thread, and WAL
 * lets the hub's group commits go on meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DatabaseSync } from 'node:sqlite';
import { InboxCompactor } from './inbox-compactor.ts';
import type { MaintenanceReply, MaintenanceRequest, MaintenanceWorkerData } from './store-maintenance.ts';

const { path } = workerData as MaintenanceWorkerData;
const sqlite = new DatabaseSync(path);
sqlite.exec('PRAGMA synchronous = NORMAL');
// Waiting for the hub's short group commits is this thread's job, not the hub's.
sqlite.exec('PRAGMA busy_timeout = 10000');
sqlite.exec('PRAGMA wal_autocheckpoint = 0');
// This connection reads the inbox once per compaction, front to back: a page cache (2 MB by
// default) would hold pages it never reads again.
sqlite.exec('PRAGMA cache_size = -256');
const compactor = new InboxCompactor(sqlite);

function checkpoint(): { walPages: number; checkpointedPages: number } {
  const result = sqlite.prepare('PRAGMA wal_checkpoint(PASSIVE)').get() as { busy: number; log: number; checkpointed: number };
  return { walPages: result.log, checkpointedPages: result.checkpointed };
}

function handle(request: MaintenanceRequest): MaintenanceReply {
  const started = performance.now();
  switch (request.type) {
    case 'compact': {
      const result = compactor.compact();
      return { type: 'compacted', ...result, ...checkpoint(), ms: performance.now() - started };
    }
    case 'checkpoint':
      return { type: 'checkpointed', ...checkpoint(), ms: performance.now() - started };
    case 'stop':
      sqlite.close();
      return { type: 'stopped' };
  }
}

parentPort!.on('message', (request: MaintenanceRequest) => {
  try {
    parentPort!.postMessage(handle(request));
  } catch (err) {
    parentPort!.postMessage({ type: 'failed', request: request.type, message: err instanceof Error ? err.message : String(err) } satisfies MaintenanceReply);
  }
});
