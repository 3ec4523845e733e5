/**
 * The uplink's two yardsticks, fed the very rows the uplink committed (exported from central's
 * raw_samples with psql `\copy … to`, in COPY text format), each into a fresh database with
 * central's own schema:
 * - the naive uploader a club might script: one INSERT per reading, autocommit, each awaited;
 * - the ceiling: psql `\copy raw_samples from` the file, PostgreSQL's bulk load with nothing else to do.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { endedChildrenCpuSeconds, psql, type BenchPostgres } from './uplink-postgres.ts';

export interface LoadResult {
  rows: number;
  elapsedS: number;
  rowsPerS: number;
  /** CPU seconds spent: by PostgreSQL, and by the client (psql, or the naive uploader's process). */
  cpuS: { postgres: number; client: number };
}

/** raw_samples' columns, in the order of the exported file. */
const COLUMNS = 'hub_id, stream, seq, t, sensor_id, athlete_id, kind, body';

/** Writes every row of raw_samples to `file` in COPY text format. */
export async function exportRows(url: string, file: string): Promise<void> {
  await psql(url, `\\copy (select ${COLUMNS} from raw_samples order by stream, seq) to '${file}'`);
}

async function countRows(url: string): Promise<number> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return Number((await db.query<{ n: string }>('select count(*) as n from raw_samples')).rows[0]!.n);
  } finally {
    await db.end();
  }
}

/** Times `psql -c "\copy raw_samples … from file"` (psql's start-up included, a few ms) and checks the count. */
export async function copyCeiling(postgres: BenchPostgres, url: string, file: string, expectedRows: number): Promise<LoadResult> {
  const postgresBefore = postgres.cpuSeconds();
  const psqlBefore = endedChildrenCpuSeconds();
  const started = performance.now();
  await psql(url, `\\copy raw_samples (${COLUMNS}) from '${file}'`);
  const elapsedS = (performance.now() - started) / 1000;
  const cpuS = { postgres: postgres.cpuSeconds() - postgresBefore, client: endedChildrenCpuSeconds() - psqlBefore };
  const rows = await countRows(url);
  if (rows !== expectedRows) throw new Error(`\\copy loaded ${rows} rows, expected ${expectedRows}`);
  return { rows, elapsedS, rowsPerS: rows / elapsedS, cpuS };
}

/** One field of a COPY text line: \N is NULL; backslash escapes as PostgreSQL writes them. */
function copyField(text: string): string | null {
  if (text === '\\N') return null;
  return text.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c === 'b' ? '\b' : c === 'f' ? '\f' : c === 'v' ? '\v' : c));
}

async function firstLines(file: string, count: number): Promise<string[]> {
  const lines: string[] = [];
  const input = createReadStream(file, 'utf8');
  const reader = createInterface({ input, crlfDelay: Infinity });
  for await (const line of reader) {
    lines.push(line);
    if (lines.length >= count) break;
  }
  reader.close();
  input.destroy();
  return lines;
}

/** The first `count` rows of the file, one parameterised INSERT each, autocommit, one after another. */
export async function naiveUpload(postgres: BenchPostgres, url: string, file: string, count: number): Promise<LoadResult> {
  const rows = (await firstLines(file, count)).map((line) => line.split('\t').map(copyField));
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const insert = `insert into raw_samples (${COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8)`;
    const postgresBefore = postgres.cpuSeconds();
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    for (const row of rows) await db.query(insert, row);
    const elapsedS = (performance.now() - started) / 1000;
    const client = process.cpuUsage(clientBefore);
    const cpuS = { postgres: postgres.cpuSeconds() - postgresBefore, client: (client.user + client.system) / 1e6 };
    const stored = Number((await db.query<{ n: string }>('select count(*) as n from raw_samples')).rows[0]!.n);
    if (stored !== rows.length) throw new Error(`the naive uploader stored ${stored} rows, expected ${rows.length}`);
    return { rows: rows.length, elapsedS, rowsPerS: rows.length / elapsedS, cpuS };
  } finally {
    await db.end();
  }
}
