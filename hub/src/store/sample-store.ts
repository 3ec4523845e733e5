/**
 * Owns raw samples on disk. Accepted readings are group-committed to `sample_inbox` every
 * `commitIntervalMs` (so a QoS 1 PUBACK, sent from the durability callback, always means the
 * reading is on disk), and every `blockSeconds` the inbox is compacted into `sample_blocks`.
 * Storage never blocks the live path: appends only push to an array.
 */
import { statSync } from 'node:fs';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Reading, ReadingStream } from '../ingest/ingest-contract.ts';
import { CODEC_V1, decodeBlock, encodeBlock } from './sample-codec.ts';

export interface SampleStoreOptions {
  commitIntervalMs: number;
  blockSeconds: number;
  maxDiskBytes: number;
  /** Called once when the cap is first reached, so the hub can raise an alert. */
  onFull?: () => void;
}

export interface StoredReading {
  sensorId: string;
  athleteId: string | null;
  reading: Reading;
}

interface PendingRow {
  seq: number;
  sensorId: string;
  athleteId: string | null;
  reading: Reading;
}

export interface SampleStoreStats {
  pendingRows: number;
  inboxRows: number;
  committedRows: number;
  blocksWritten: number;
  unrecordedWhileFull: number;
  full: boolean;
  diskBytes: number;
  lastSeq: number;
}

export class SampleStore {
  private readonly sqlite: DatabaseSync;
  private readonly path: string;
  private readonly options: SampleStoreOptions;
  private pending: PendingRow[] = [];
  private waiters: (() => void)[] = [];
  private commitTimer: NodeJS.Timeout | undefined;
  private compactTimer: NodeJS.Timeout | undefined;
  private nextSeq: number;
  private inboxRows = 0;
  private committedRows = 0;
  private blocksWritten = 0;
  private unrecorded = 0;
  private full = false;
  private diskBytes = 0;
  private readonly insertInbox: StatementSync;
  private readonly insertBlock: StatementSync;

  constructor(sqlite: DatabaseSync, path: string, options: SampleStoreOptions) {
    this.sqlite = sqlite;
    this.path = path;
    this.options = options;
    const maxSeq = sqlite
      .prepare('select max(s) as s from (select max(seq) as s from sample_inbox union all select max(seq_last) as s from sample_blocks)')
      .get() as { s: number | null };
    this.nextSeq = (maxSeq.s ?? 0) + 1;
    this.insertInbox = sqlite.prepare('insert into sample_inbox (seq, sensor_id, athlete_id, stream, t, body) values (?, ?, ?, ?, ?, ?)');
    this.insertBlock = sqlite.prepare(
      'insert into sample_blocks (sensor_id, athlete_id, stream, t_start, t_end, n, seq_first, seq_last, codec, data) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    // Readings left in the inbox by a crash are compacted before anything new arrives.
    this.compact();
    this.refreshDiskUsage();
    this.compactTimer = setInterval(() => {
      this.compact();
      this.refreshDiskUsage();
    }, options.blockSeconds * 1000);
    this.compactTimer.unref();
  }

  /**
   * Queues readings for the next group commit; `onDurable` runs once they are committed (or at
   * once when the store is full and they will not be recorded).
   */
  append(sensorId: string, athleteId: string | null, readings: readonly Reading[], onDurable?: () => void): void {
    if (this.full) {
      this.unrecorded += readings.length;
      onDurable?.();
      return;
    }
    for (const reading of readings) this.pending.push({ seq: this.nextSeq++, sensorId, athleteId, reading });
    if (onDurable) this.waiters.push(onDurable);
    this.commitTimer ??= setTimeout(() => this.commit(), this.options.commitIntervalMs);
  }

  /** Writes every pending row in one transaction, then releases the waiting acknowledgements. */
  commit(): void {
    clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    const rows = this.pending;
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    if (rows.length > 0) {
      this.sqlite.exec('begin');
      try {
        for (const row of rows) {
          const { stream, t, ...body } = row.reading;
          this.insertInbox.run(row.seq, row.sensorId, row.athleteId, stream, t, JSON.stringify(body));
        }
        this.sqlite.exec('commit');
      } catch (err) {
        this.sqlite.exec('rollback');
        throw err;
      }
      this.inboxRows += rows.length;
      this.committedRows += rows.length;
    }
    for (const done of waiters) done();
  }

  /** Moves the committed inbox into compressed blocks, one per sensor, athlete and stream. */
  compact(): void {
    const rows = this.sqlite.prepare('select seq, sensor_id, athlete_id, stream, t, body from sample_inbox order by seq').all() as unknown as {
      seq: number;
      sensor_id: string;
      athlete_id: string | null;
      stream: ReadingStream;
      t: number;
      body: string;
    }[];
    if (rows.length === 0) return;
    const groups = new Map<string, typeof rows>();
    for (const row of rows) {
      const key = `${row.sensor_id}\u0000${row.athlete_id ?? ''}\u0000${row.stream}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = []));
      group.push(row);
    }
    this.sqlite.exec('begin');
    try {
      for (const group of groups.values()) {
        const first = group[0]!;
        const readings = group.map((row) => ({ stream: row.stream, t: row.t, ...JSON.parse(row.body) }) as Reading);
        let tStart = Infinity;
        let tEnd = -Infinity;
        for (const r of readings) {
          tStart = Math.min(tStart, r.t);
          tEnd = Math.max(tEnd, r.t);
        }
        this.insertBlock.run(first.sensor_id, first.athlete_id, first.stream, tStart, tEnd, readings.length, first.seq, group.at(-1)!.seq, CODEC_V1, encodeBlock(first.stream, readings));
        this.blocksWritten++;
      }
      this.sqlite.prepare('delete from sample_inbox where seq <= ?').run(rows.at(-1)!.seq);
      this.sqlite.exec('commit');
    } catch (err) {
      this.sqlite.exec('rollback');
      throw err;
    }
    this.inboxRows = 0;
  }

  private refreshDiskUsage(): void {
    if (this.path === ':memory:') return;
    let bytes = 0;
    for (const suffix of ['', '-wal', '-shm']) {
      try {
        bytes += statSync(this.path + suffix).size;
      } catch {
        // the WAL and shared-memory files come and go with checkpoints
      }
    }
    this.diskBytes = bytes;
    if (!this.full && bytes >= this.options.maxDiskBytes) {
      this.full = true;
      this.options.onFull?.();
    }
  }

  /** Readings of one athlete and stream in [from, to], from blocks and the inbox, in time order. */
  readAthlete(athleteId: string, stream: ReadingStream, from: number, to: number): StoredReading[] {
    this.commit();
    return this.read('athlete_id = ?', athleteId, stream, from, to);
  }

  readSensor(sensorId: string, stream: ReadingStream, from: number, to: number): StoredReading[] {
    this.commit();
    return this.read('sensor_id = ?', sensorId, stream, from, to);
  }

  private read(filter: string, key: string, stream: ReadingStream, from: number, to: number): StoredReading[] {
    const out: StoredReading[] = [];
    const blocks = this.sqlite
      .prepare(`select sensor_id, athlete_id, data from sample_blocks where ${filter} and stream = ? and t_end >= ? and t_start <= ? order by seq_first`)
      .all(key, stream, from, to) as { sensor_id: string; athlete_id: string | null; data: Uint8Array }[];
    for (const block of blocks) {
      for (const reading of decodeBlock(stream, block.data)) {
        if (reading.t >= from && reading.t <= to) out.push({ sensorId: block.sensor_id, athleteId: block.athlete_id, reading });
      }
    }
    const inbox = this.sqlite
      .prepare(`select sensor_id, athlete_id, t, body from sample_inbox where ${filter} and stream = ? and t between ? and ? order by seq`)
      .all(key, stream, from, to) as { sensor_id: string; athlete_id: string | null; t: number; body: string }[];
    for (const row of inbox) out.push({ sensorId: row.sensor_id, athleteId: row.athlete_id, reading: { stream, t: row.t, ...JSON.parse(row.body) } as Reading });
    return out.sort((a, b) => a.reading.t - b.reading.t);
  }

  stats(): SampleStoreStats {
    return {
      pendingRows: this.pending.length,
      inboxRows: this.inboxRows,
      committedRows: this.committedRows,
      blocksWritten: this.blocksWritten,
      unrecordedWhileFull: this.unrecorded,
      full: this.full,
      diskBytes: this.diskBytes,
      lastSeq: this.nextSeq - 1,
    };
  }

  /** Commits and compacts what is pending; the hub calls this on graceful shutdown. */
  close(): void {
    clearInterval(this.compactTimer);
    this.commit();
    this.compact();
  }
}
