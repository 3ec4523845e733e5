/**
 * The storage baseline, in its own child process so /proc/self/io counts its writes alone: one
 * SQLite row per reading (athlete, sensor, stream, t, and the reading's values as JSON, the shape
 * of the MQTT payload). Optionally indexed by (athlete_id, stream, t), which the per-athlete
 * history query the hub answers needs. Same pragmas as the hub (WAL, synchronous=NORMAL), and
 * readings are committed in the hub's rhythm: one transaction per `commitIntervalMs` of arrival time.
 */
import { readFileSync, statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { readIo } from './proc-stats.ts';

export interface NaiveStoreJob {
  /** Newline-delimited JSON of NaiveRow, in arrival order. */
  input: string;
  databasePath: string;
  commitIntervalMs: number;
  index: boolean;
}

export interface NaiveRow {
  athleteId: string | null;
  sensorId: string;
  stream: string;
  t: number;
  body: string;
}

export interface NaiveStoreResult {
  readings: number;
  transactions: number;
  /** Span of the readings' times: the arrival period the writes stand for. */
  spanMs: number;
  writeBytes: number;
  fileBytes: number;
  /** Pages of the samples table and its index (SQLite's dbstat). */
  tableBytes: number;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function run(job: NaiveStoreJob): NaiveStoreResult {
  const rows = readFileSync(job.input, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as NaiveRow);
  const db = new DatabaseSync(job.databasePath);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('create table samples (id integer primary key, athlete_id text, sensor_id text not null, stream text not null, t integer not null, body text not null)');
  if (job.index) db.exec('create index samples_athlete on samples (athlete_id, stream, t)');
  const insert = db.prepare('insert into samples (athlete_id, sensor_id, stream, t, body) values (?, ?, ?, ?, ?)');

  const before = readIo(process.pid).writeBytes;
  let transactions = 0;
  let i = 0;
  while (i < rows.length) {
    const windowEnd = rows[i]!.t + job.commitIntervalMs;
    db.exec('begin');
    for (; i < rows.length && rows[i]!.t < windowEnd; i++) {
      const row = rows[i]!;
      insert.run(row.athleteId, row.sensorId, row.stream, row.t, row.body);
    }
    db.exec('commit');
    transactions++;
  }
  const writeBytes = readIo(process.pid).writeBytes - before;
  const fileBytes = fileSize(job.databasePath) + fileSize(`${job.databasePath}-wal`);
  const { bytes } = db.prepare("select sum(pgsize) as bytes from dbstat where name in ('samples', 'samples_athlete')").get() as { bytes: number };
  db.close();
  return {
    readings: rows.length,
    transactions,
    spanMs: rows.length ? rows.at(-1)!.t - rows[0]!.t : 0,
    writeBytes,
    fileBytes,
    tableBytes: bytes,
  };
}

// The job comes as the JSON argument; the result goes back over IPC.
{
  try {
    const job = JSON.parse(process.argv[2] ?? '') as NaiveStoreJob;
    process.send!({ type: 'result', result: run(job) }, () => process.exit(0));
  } catch (err) {
    process.send!({ type: 'error', message: err instanceof Error ? err.message : String(err) }, () => process.exit(1));
  }
}
