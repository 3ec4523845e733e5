/**
 * Owns raw samples on disk. Accepted readings are group-committed to `sample_inbox` every
 * `commitIntervalMs` (so a QoS 1 PUBACK, sent from the durability callback, always means the
 * reading is on disk). Every `blockSeconds`, or sooner when the inbox grows past `maxInboxRows`,
 * the maintenance thread compacts the inbox into `sample_blocks` and checkpoints the WAL, both on
 * its own connection: the group commit (a few hundred microseconds, no fsync in WAL mode with
 * synchronous=NORMAL) is the only storage work left on the hub's event loop.
 */
import { statSync } from 'node:fs';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Reading, ReadingStream } from '../ingest/ingest-contract.ts';
import { BUSY_TIMEOUT_MS } from './database.ts';
import { COMPACTED_THROUGH_SQL, decodeInboxRow, InboxCompactor } from './inbox-compactor.ts';
import { decodeBlock } from './sample-codec.ts';
import { StoreMaintenance, type MaintenanceRequest } from './store-maintenance.ts';

export interface SampleStoreOptions {
  commitIntervalMs: number;
  blockSeconds: number;
  maxDiskBytes: number;
  /** Compact early when the inbox holds this many readings, which bounds a compaction's memory. */
  maxInboxRows?: number;
  /** Checkpoint the WAL this often between compactions, so it stays a few megabytes. */
  checkpointSeconds?: number;
  /**
   * While the disk refuses commits, at most this many readings wait in memory for it (about 260
   * bytes each); past that the oldest are given up, so a broken card cannot exhaust the box's memory.
   */
  maxPendingRows?: number;
  /**
   * How long publishes go unanswered while the disk refuses their readings. The broker reads a
   * device's next messages only as it answers the last ones, so this is also how long live screens
   * may stall on a failing disk before the hub answers what it cannot write (default 5 s).
   */
  holdAnswersMs?: number;
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
  /** The last compaction: how long it took on the maintenance thread, and its outcome. */
  lastCompaction: { at: number; ms: number; rows: number; blocks: number } | null;
  /** Compactions or checkpoints that failed (the readings stay in the inbox for the next run). */
  maintenanceFailures: number;
  lastMaintenanceError: string | null;
  /** Group commits that failed since start (disk full, I/O error); their readings wait, unacknowledged, for the next try. */
  commitFailures: number;
  /** Why group commits are failing now; null once one succeeds. */
  lastCommitError: string | null;
  /** True once the disk has refused commits for `holdAnswersMs`: publishes are answered though not written. */
  answeringUnwritten: boolean;
  /** Readings given up since start because the disk refused them for longer than `maxPendingRows` lasts. */
  discardedWhileFailing: number;
  /** Stored readings found damaged (not the JSON the hub wrote) by compactions since start, and deleted. */
  undecodableRows: number;
}

/** A publish waiting for its readings to be written: its answer (a QoS 1 PUBACK) goes out once they are. */
interface Waiter {
  /** The sequence number of the waiter's last reading: it is answered once every reading up to it is written or given up. */
  throughSeq: number;
  done: () => void;
}

const DEFAULT_MAX_INBOX_ROWS = 50_000;
/** About 13 MB, a minute of a 40-athlete squad. */
const DEFAULT_MAX_PENDING_ROWS = 50_000;
const DEFAULT_HOLD_ANSWERS_MS = 5000;
const DEFAULT_CHECKPOINT_SECONDS = 5;
/** After a failed group commit (disk full, I/O error), the next try; the readings wait meanwhile. */
const COMMIT_RETRY_MS = 1000;

export class SampleStore {
  private readonly sqlite: DatabaseSync;
  private readonly path: string;
  private readonly options: SampleStoreOptions;
  private pending: PendingRow[] = [];
  private waiters: Waiter[] = [];
  private commitTimer: NodeJS.Timeout | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly maintenance: StoreMaintenance;
  /** The running compaction, so that two never overlap and close() can wait for it. */
  private compacting: Promise<void> | null = null;
  private compactAgain: Promise<void> | null = null;
  private lastCompaction: SampleStoreStats['lastCompaction'] = null;
  private maintenanceFailures = 0;
  private lastMaintenanceError: string | null = null;
  private commitFailures = 0;
  private lastCommitError: string | null = null;
  private discardedWhileFailing = 0;
  private undecodableRows = 0;
  /** When the current run of refused commits began; null while commits succeed. */
  private failingSince: number | null = null;
  /** Set once the disk has refused commits for `holdAnswersMs`: publishes are answered as they arrive. */
  private answeringUnwritten = false;
  private nextSeq: number;
  private inboxRows = 0;
  private committedRows = 0;
  private blocksWritten = 0;
  private unrecorded = 0;
  private full = false;
  private diskBytes = 0;
  private readonly insertInbox: StatementSync;

  constructor(sqlite: DatabaseSync, path: string, options: SampleStoreOptions) {
    this.sqlite = sqlite;
    this.path = path;
    this.options = options;
    const maxSeq = sqlite
      .prepare('select max(s) as s from (select max(seq) as s from sample_inbox union all select max(seq_last) as s from sample_blocks)')
      .get() as { s: number | null };
    this.nextSeq = (maxSeq.s ?? 0) + 1;
    this.insertInbox = sqlite.prepare('insert into sample_inbox (seq, sensor_id, athlete_id, stream, t, body) values (?, ?, ?, ?, ?, ?)');
    // Only the maintenance thread checkpoints: an automatic checkpoint would run inside a group
    // commit, on this event loop.
    sqlite.exec('PRAGMA wal_autocheckpoint = 0');
    // Readings left in the inbox by a crash are compacted before anything new arrives.
    new InboxCompactor(sqlite).compact();
    this.refreshDiskUsage();
    this.maintenance = new StoreMaintenance(path);
    const every = (seconds: number, run: () => void) => {
      const timer = setInterval(run, seconds * 1000);
      timer.unref();
      this.timers.push(timer);
    };
    every(options.blockSeconds, () => void this.compact());
    every(options.checkpointSeconds ?? DEFAULT_CHECKPOINT_SECONDS, () => {
      if (!this.compacting) void this.maintain({ type: 'checkpoint' });
      this.refreshDiskUsage();
    });
  }

  /**
   * Queues readings for the next group commit; `onDurable` runs once they are committed (or at
   * once when the store is full and they will not be recorded, or when the disk has refused commits
   * for longer than `holdAnswersMs`).
   */
  append(sensorId: string, athleteId: string | null, readings: readonly Reading[], onDurable?: () => void): void {
    if (this.full) {
      this.unrecorded += readings.length;
      onDurable?.();
      return;
    }
    for (const reading of readings) this.pending.push({ seq: this.nextSeq++, sensorId, athleteId, reading });
    if (this.answeringUnwritten) onDurable?.();
    else if (onDurable) this.waiters.push({ throughSeq: this.nextSeq - 1, done: onDurable });
    if (this.failingSince !== null) this.boundPending();
    this.commitTimer ??= setTimeout(() => this.commit(false), this.options.commitIntervalMs);
  }

  /**
   * Gives up the oldest waiting readings once more than `maxPendingRows` wait for a disk that
   * refuses them, a tenth of the bound at a time, and answers their publishes. Without a bound, a
   * card gone read-only would fill the box's memory in an hour or two.
   */
  private boundPending(): void {
    const max = this.options.maxPendingRows ?? DEFAULT_MAX_PENDING_ROWS;
    if (this.pending.length <= max) return;
    const given = this.pending.splice(0, this.pending.length - Math.floor(max * 0.9));
    this.discardedWhileFailing += given.length;
    const through = given.at(-1)!.seq;
    let answered = 0;
    while (answered < this.waiters.length && this.waiters[answered]!.throughSeq <= through) answered++;
    for (const waiter of this.waiters.splice(0, answered)) waiter.done();
  }

  /**
   * Writes every pending row in one transaction, then releases the waiting acknowledgements.
   * The timer's commits never wait on the event loop: while the maintenance thread holds the write
   * lock (a compaction's short write), they try again 2 ms later instead of letting SQLite's busy
   * handler sleep. Reads and shutdown pass `wait`, since they need the rows on disk now.
   */
  commit(wait = true): void {
    clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    const retry = (ms: number) => {
      this.commitTimer = setTimeout(() => this.commit(false), ms);
    };
    if (this.sqlite.isTransaction) {
      // A Kysely transaction is open on this connection (it awaits between statements); the
      // readings wait for it rather than join it.
      retry(1);
      return;
    }
    const rows = this.pending;
    const waiters = this.waiters;
    if (rows.length > 0) {
      if (!this.begin(wait)) {
        retry(2);
        return;
      }
      this.pending = [];
      this.waiters = [];
      try {
        for (const row of rows) {
          const { stream, t, ...body } = row.reading;
          this.insertInbox.run(row.seq, row.sensorId, row.athleteId, stream, t, JSON.stringify(body));
        }
        this.sqlite.exec('commit');
      } catch (err) {
        if (this.sqlite.isTransaction) this.sqlite.exec('rollback');
        // The readings go back in front of what arrived since, unacknowledged: a full or failing
        // disk stops the recording, not the hub (reads return what is stored), and a short
        // failure loses nothing a device was told is stored.
        this.pending = rows.concat(this.pending);
        this.waiters = waiters.concat(this.waiters);
        this.commitFailures++;
        this.lastCommitError = err instanceof Error ? err.message : String(err);
        this.failingSince ??= Date.now();
        if (!this.answeringUnwritten && Date.now() - this.failingSince >= (this.options.holdAnswersMs ?? DEFAULT_HOLD_ANSWERS_MS)) {
          // Past the grace, a failure is not passing (a card gone read-only, a full disk): devices
          // held up this long no longer reach the live screens, which matter more at the pitch than
          // the recording. The readings stay pending (the newest, up to the bound) and are written
          // if the disk takes them again; their publishes are answered from now on, as when the
          // store is full.
          this.answeringUnwritten = true;
          retry(COMMIT_RETRY_MS);
          for (const waiter of this.waiters.splice(0)) waiter.done();
          return;
        }
        retry(COMMIT_RETRY_MS);
        return;
      }
      this.lastCommitError = null;
      this.failingSince = null;
      this.answeringUnwritten = false;
      this.inboxRows += rows.length;
      this.committedRows += rows.length;
      if (!this.compacting && this.inboxRows >= (this.options.maxInboxRows ?? DEFAULT_MAX_INBOX_ROWS)) void this.compact();
    } else {
      this.waiters = [];
    }
    for (const waiter of waiters) waiter.done();
  }

  /** BEGIN IMMEDIATE; without `wait`, false at once when another connection holds the write lock. */
  private begin(wait: boolean): boolean {
    if (wait) {
      this.sqlite.exec('begin immediate');
      return true;
    }
    this.sqlite.exec('PRAGMA busy_timeout = 0');
    try {
      this.sqlite.exec('begin immediate');
      return true;
    } catch (err) {
      // SQLITE_BUSY and its extended codes.
      if (((err as { errcode?: number }).errcode ?? 0) % 256 === 5) return false;
      throw err;
    } finally {
      this.sqlite.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }

  /**
   * Has the maintenance thread move what the inbox holds now into compressed blocks. Never two at
   * once: asked while one runs, it runs once more after it (callers asking meanwhile share that run).
   */
  compact(): Promise<void> {
    if (this.compacting) {
      this.compactAgain ??= this.compacting.then(() => {
        this.compactAgain = null;
        return this.compact();
      });
      return this.compactAgain;
    }
    this.compacting = this.maintain({ type: 'compact' }).finally(() => {
      this.compacting = null;
      this.refreshDiskUsage();
    });
    return this.compacting;
  }

  private async maintain(request: MaintenanceRequest): Promise<void> {
    const reply = await this.maintenance.request(request);
    if (reply.type === 'compacted') {
      this.inboxRows = Math.max(0, this.inboxRows - reply.rows - reply.undecodable);
      this.blocksWritten += reply.blocks;
      this.undecodableRows += reply.undecodable;
      this.lastCompaction = { at: Date.now(), ms: Math.round(reply.ms), rows: reply.rows, blocks: reply.blocks };
    } else if (reply.type === 'failed') {
      this.maintenanceFailures++;
      this.lastMaintenanceError = `${reply.request}: ${reply.message}`;
    }
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
    // One snapshot for both tables: a compaction committing between the two queries would
    // otherwise move readings out of the inbox after the blocks were read.
    const own = !this.sqlite.isTransaction;
    if (own) this.sqlite.exec('begin');
    try {
      return this.readSnapshot(filter, key, stream, from, to);
    } finally {
      if (own) this.sqlite.exec('commit');
    }
  }

  private readSnapshot(filter: string, key: string, stream: ReadingStream, from: number, to: number): StoredReading[] {
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
      .prepare(`select sensor_id, athlete_id, t, body from sample_inbox where ${filter} and stream = ? and t between ? and ? and seq > ${COMPACTED_THROUGH_SQL} order by seq`)
      .all(key, stream, from, to) as { sensor_id: string; athlete_id: string | null; t: number; body: string }[];
    for (const row of inbox) {
      const reading = decodeInboxRow(stream, row.t, row.body);
      if (reading) out.push({ sensorId: row.sensor_id, athleteId: row.athlete_id, reading });
    }
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
      lastCompaction: this.lastCompaction,
      maintenanceFailures: this.maintenanceFailures,
      lastMaintenanceError: this.lastMaintenanceError,
      commitFailures: this.commitFailures,
      lastCommitError: this.lastCommitError,
      answeringUnwritten: this.answeringUnwritten,
      discardedWhileFailing: this.discardedWhileFailing,
      undecodableRows: this.undecodableRows,
    };
  }

  /** Commits and compacts what is pending; the hub calls this on graceful shutdown. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.compactAgain;
    await this.compacting;
    await this.maintenance.stop();
    while (this.sqlite.isTransaction) await new Promise((resolve) => setTimeout(resolve, 1));
    clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    this.commit();
    // Readings the disk still refuses stay unacknowledged: their devices send them again.
    clearTimeout(this.commitTimer);
    new InboxCompactor(this.sqlite).compact();
  }
}
