/**
 * The uplink bench's PostgreSQL: one throwaway embedded server (as central's tests start it), with a
 * database per measurement, each migrated to central's own schema so every table the bench writes
 * into is central's `raw_samples`, partitions and indexes included. psql (Debian's
 * `postgresql-client`) runs the `\copy` ceiling against it.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../central/src/db/embedded-postgres.ts';
import { openDatabase } from '../central/src/db/database.ts';
import { UplinkRepository } from '../central/src/repositories/uplink.repository.ts';
import { clockTicksPerSecond } from './proc-stats.ts';

export interface BenchPostgres {
  /** Creates an empty database and migrates it to central's schema; returns its connection string. */
  centralDatabase(name: string): Promise<string>;
  /** Creates the month partitions of raw_samples that readings at these Unix ms times fall in. */
  partitionsFor(url: string, times: readonly number[]): Promise<void>;
  /** CPU seconds the server has used so far: the postmaster and every process it runs now. */
  cpuSeconds(): number;
  version: string;
  stop(): Promise<void>;
}

const PASSWORD = 'touchline-bench';

export async function startBenchPostgres(workDir: string): Promise<BenchPostgres> {
  const root = join(workDir, 'postgres');
  mkdirSync(root, { recursive: true });
  // As root, PostgreSQL runs as the postgres user, which must be able to reach its data folder.
  chmodSync(workDir, 0o755);
  chmodSync(root, 0o755);
  const dataDir = join(root, 'pg');
  const server = await startEmbeddedPostgres({ dataDir, password: PASSWORD, persistent: false });
  const postmasterPid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const version = readFileSync(join(dataDir, 'PG_VERSION'), 'utf8').trim();

  return {
    version,
    async centralDatabase(name) {
      await server.createDatabase(name);
      const url = server.url(name);
      const opened = await openDatabase(url);
      await opened.close();
      return url;
    },
    async partitionsFor(url, times) {
      const opened = await openDatabase(url);
      try {
        const months = new Set(times.map((t) => new Date(t).getUTCFullYear() * 12 + new Date(t).getUTCMonth()));
        await new UplinkRepository(opened.db, opened.pool).ensureMonths(months);
      } finally {
        await opened.close();
      }
    },
    cpuSeconds: () => serverCpuSeconds(postmasterPid),
    stop: () => server.stop(),
  };
}

/**
 * User + system CPU of the postmaster and its children (backends, checkpointer, WAL writer…): the
 * live ones' own, plus what the postmaster has collected of those that ended (a psql session's
 * backend ends with it).
 */
function serverCpuSeconds(postmasterPid: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    const ppid = Number(fields[1]);
    if (pid !== postmasterPid && ppid !== postmasterPid) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
    if (pid === postmasterPid) ticks += Number(fields[13]) + Number(fields[14]);
  }
  return ticks / clockTicksPerSecond();
}

/** CPU seconds of this process's children that have ended (psql runs), from /proc/self/stat. */
export function endedChildrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / clockTicksPerSecond();
}

/** The installed psql's version line, or a note that psql is missing. */
export async function psqlVersion(): Promise<string> {
  try {
    return (await run('psql', ['--version'])).trim();
  } catch {
    return 'psql not installed';
  }
}

/** Runs one psql command against `url` (stops at the first error); resolves with its output. */
export function psql(url: string, command: string): Promise<string> {
  return run('psql', ['--no-psqlrc', '--quiet', '--set', 'ON_ERROR_STOP=1', '--dbname', url, '--command', command]);
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', (e) => reject(new Error(`${command} could not start: ${e.message} (install Debian's postgresql-client: scripts/setup.sh --bench)`)));
    child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited with ${String(code)}: ${err.trim()}`))));
  });
}
