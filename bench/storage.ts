/**
 * Storage side of the benchmark: the hub's SQLite file after the 40-athlete step, and the naive
 * one-row-per-reading baseline (naive-store.ts) fed the same readings, read back from the hub.
 */
import { fork } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { decodeBlock } from '../hub/src/store/sample-codec.ts';
import { COMPACTED_THROUGH_SQL } from '../hub/src/store/inbox-compactor.ts';
import type { ReadingStream } from '../hub/src/ingest/ingest-contract.ts';
import type { NaiveRow, NaiveStoreJob, NaiveStoreResult } from './naive-store.ts';
import { unlessExited } from './processes.ts';

/**
 * Inbox rows still to be compacted. Rows at or below the blocks' newest sequence number are in a
 * block already and only wait to be deleted (hub/src/store/inbox-compactor.ts); each query below
 * reads one snapshot, so a compaction committing meanwhile is seen whole or not at all.
 */
const UNCOMPACTED = `seq > ${COMPACTED_THROUGH_SQL}`;

export interface HubStorage {
  /** Readings in compacted blocks, and still in the inbox awaiting the next compaction. */
  blockReadings: number;
  inboxReadings: number;
  /** Pages of sample_blocks and its indexes (SQLite's dbstat). */
  blockBytes: number;
  /** hub.sqlite plus its WAL. */
  fileBytes: number;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Every reading the hub has stored, counted without decoding. */
export function storedReadings(databasePath: string): number {
  const db = new DatabaseSync(databasePath, { readOnly: true });
  try {
    db.exec('begin');
    const { blocks } = db.prepare('select coalesce(sum(n), 0) as blocks from sample_blocks').get() as { blocks: number };
    const { inbox } = db.prepare(`select count(*) as inbox from sample_inbox where ${UNCOMPACTED}`).get() as { inbox: number };
    db.exec('commit');
    return blocks + inbox;
  } finally {
    db.close();
  }
}

export function hubStorage(databasePath: string): HubStorage {
  const db = new DatabaseSync(databasePath, { readOnly: true });
  try {
    db.exec('begin');
    const { blockReadings } = db.prepare('select coalesce(sum(n), 0) as blockReadings from sample_blocks').get() as { blockReadings: number };
    const { inboxReadings } = db.prepare(`select count(*) as inboxReadings from sample_inbox where ${UNCOMPACTED}`).get() as { inboxReadings: number };
    // The blocks' table and every index on it.
    const { blockBytes } = db
      .prepare("select coalesce(sum(pgsize), 0) as blockBytes from dbstat where name = 'sample_blocks' or name in (select name from sqlite_master where type = 'index' and tbl_name = 'sample_blocks')")
      .get() as { blockBytes: number };
    db.exec('commit');
    return { blockReadings, inboxReadings, blockBytes, fileBytes: fileSize(databasePath) + fileSize(`${databasePath}-wal`) };
  } finally {
    db.close();
  }
}

/** Writes every stored reading, in time order, as the naive store's input file; returns the count. */
export function exportReadings(databasePath: string, outputPath: string): number {
  const db = new DatabaseSync(databasePath, { readOnly: true });
  const rows: NaiveRow[] = [];
  try {
    db.exec('begin');
    const blocks = db.prepare('select sensor_id, athlete_id, stream, data from sample_blocks order by seq_first').all() as {
      sensor_id: string;
      athlete_id: string | null;
      stream: ReadingStream;
      data: Uint8Array;
    }[];
    for (const block of blocks) {
      for (const { stream, t, ...values } of decodeBlock(block.stream, block.data)) {
        rows.push({ athleteId: block.athlete_id, sensorId: block.sensor_id, stream, t, body: JSON.stringify(values) });
      }
    }
    const inbox = db.prepare(`select sensor_id, athlete_id, stream, t, body from sample_inbox where ${UNCOMPACTED} order by seq`).all() as {
      sensor_id: string;
      athlete_id: string | null;
      stream: string;
      t: number;
      body: string;
    }[];
    for (const row of inbox) rows.push({ athleteId: row.athlete_id, sensorId: row.sensor_id, stream: row.stream, t: row.t, body: row.body });
    db.exec('commit');
  } finally {
    db.close();
  }
  rows.sort((a, b) => a.t - b.t);
  writeFileSync(outputPath, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  return rows.length;
}

/** Runs the naive baseline in its own process over the exported readings. */
export async function runNaiveStore(repoRoot: string, workDir: string, input: string, commitIntervalMs: number, index: boolean): Promise<NaiveStoreResult> {
  const job: NaiveStoreJob = { input, databasePath: join(workDir, index ? 'naive-indexed.sqlite' : 'naive.sqlite'), commitIntervalMs, index };
  const child = fork(join(repoRoot, 'bench/naive-store.ts'), [JSON.stringify(job)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const reply = new Promise<NaiveStoreResult>((resolve, reject) =>
    child.once('message', (m) => {
      const message = m as { type: 'result'; result: NaiveStoreResult } | { type: 'error'; message: string };
      if (message.type === 'result') resolve(message.result);
      else reject(new Error(`naive store: ${message.message}`));
    }),
  );
  return unlessExited(child, 'the naive store', reply);
}
