/**
 * Everything one uplink batch writes, inside one PostgreSQL transaction on one connection: the
 * hub's athletes and sessions (upserted by the hub's own ids), then its readings, bulk-loaded with
 * COPY (straight into raw_samples when they are all new; otherwise into a temporary table and moved
 * with INSERT … SELECT … ON CONFLICT DO NOTHING), then the stream's ledger. Queries are built with Kysely and run on the transaction's own client, because
 * COPY needs the raw connection. A batch that fails any check rolls back whole.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { sql, type Compilable, type Kysely } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import type { CentralDatabase } from '../db/tables.ts';
import type { SampleGroup, UplinkAthlete, UplinkSession } from '../schemas/uplink.schema.ts';

export interface SeqRange {
  from: number;
  to: number;
}

/** COPY text format: backslash, newline, carriage return and tab must be escaped. */
function copyText(value: string): string {
  return value.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}

/** The COPY lines of some groups, about 64 KiB at a time. */
function* copyLines(groups: readonly SampleGroup[]): Generator<string> {
  let chunk = '';
  for (const group of groups) {
    const columns = `\t${copyText(group.sensorId)}\t${group.athleteId === null ? '\\N' : copyText(group.athleteId)}\t${group.kind}\t`;
    for (let i = 0; i < group.readings.length; i++) {
      const { t, ...body } = group.readings[i]!;
      chunk += `${group.firstSeq + i}\t${t}${columns}${copyText(JSON.stringify(body))}\n`;
      if (chunk.length >= 65_536) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk) yield chunk;
}

const UNIQUE_VIOLATION = '23505';

/** The COPY lines of raw_samples rows, about 64 KiB at a time; `t` as ISO 8601 in UTC. */
function* rawSampleLines(hubId: string, stream: string, groups: readonly SampleGroup[], athleteIds: ReadonlyMap<string, string>): Generator<string> {
  const prefix = `${hubId}\t${copyText(stream)}\t`;
  let chunk = '';
  for (const group of groups) {
    // An athlete central does not know stays unattributed, as the staged path's left join leaves it.
    const athleteId = group.athleteId === null ? undefined : athleteIds.get(group.athleteId);
    const columns = `\t${copyText(group.sensorId)}\t${athleteId ?? '\\N'}\t${group.kind}\t`;
    for (let i = 0; i < group.readings.length; i++) {
      const { t, ...body } = group.readings[i]!;
      chunk += `${prefix}${group.firstSeq + i}\t${new Date(t).toISOString()}${columns}${copyText(JSON.stringify(body))}\n`;
      if (chunk.length >= 65_536) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk) yield chunk;
}

/** A month partition of raw_samples: [start, next month start) in UTC. */
function monthBounds(monthIndex: number): { name: string; from: string; to: string } {
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const iso = (y: number, m: number) => `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-01 00:00:00+00`;
  const next = month === 11 ? [year + 1, 0] : [year, month + 1];
  return { name: `raw_samples_${String(year).padStart(4, '0')}_${String(month + 1).padStart(2, '0')}`, from: iso(year, month), to: iso(next[0]!, next[1]!) };
}

export class UplinkRepository {
  private readonly db: Kysely<CentralDatabase>;
  private readonly pool: pg.Pool;
  private readonly knownMonths = new Set<number>();

  constructor(db: Kysely<CentralDatabase>, pool: pg.Pool) {
    this.db = db;
    this.pool = pool;
  }

  /**
   * Creates the month partitions these readings fall in, each in its own short transaction before
   * the batch's (DDL inside the batch would hold the parent table's lock for the whole batch).
   * Month index = year * 12 + month (UTC).
   */
  async ensureMonths(monthIndexes: Iterable<number>): Promise<void> {
    for (const monthIndex of monthIndexes) {
      if (this.knownMonths.has(monthIndex)) continue;
      const { name, from, to } = monthBounds(monthIndex);
      await this.db.transaction().execute(async (trx) => {
        // Two hubs may need the same new month at once; one creates it, the other then finds it.
        await sql`select pg_advisory_xact_lock(hashtext('raw_samples partitions'))`.execute(trx);
        await sql`create table if not exists ${sql.table(name)} partition of raw_samples for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(trx);
      });
      this.knownMonths.add(monthIndex);
    }
  }

  /** Runs `work` in one transaction; anything it throws rolls everything back. */
  async transaction<T>(work: (tx: UplinkTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('begin');
      const result = await work(new UplinkTransaction(this.db, client));
      await client.query('commit');
      return result;
    } catch (err) {
      try {
        await client.query('rollback');
      } catch {
        // the connection itself failed; it must not return to the pool
        broken = true;
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }
}

export class UplinkTransaction {
  private readonly db: Kysely<CentralDatabase>;
  private readonly client: pg.PoolClient;

  constructor(db: Kysely<CentralDatabase>, client: pg.PoolClient) {
    this.db = db;
    this.client = client;
  }

  private async run<R>(query: Compilable<R>): Promise<{ rows: R[]; count: number }> {
    const compiled = query.compile();
    const result = await this.client.query(compiled.sql, compiled.parameters as unknown[]);
    return { rows: result.rows as R[], count: result.rowCount ?? 0 };
  }

  /** Locks the hub's row, so batches of one hub (a retry racing its original) run one at a time. */
  async lockHub(hubId: string) {
    const { rows } = await this.run(this.db.selectFrom('hubs').select(['club_id', 'revoked_at']).where('id', '=', hubId).forNoKeyUpdate());
    return rows[0];
  }

  async touchHub(hubId: string, now: Date): Promise<void> {
    await this.run(this.db.updateTable('hubs').set({ last_seen_at: now }).where('id', '=', hubId));
  }

  /** Central ids and clubs of this hub's athletes among `localIds`. */
  async athletesOf(hubId: string, localIds: readonly string[]) {
    if (localIds.length === 0) return [];
    const { rows } = await this.run(
      this.db.selectFrom('athletes').select(['id', 'local_id', 'club_id']).where('hub_id', '=', hubId).where('local_id', 'in', [...localIds]),
    );
    return rows as { id: string; local_id: string; club_id: string }[];
  }

  /** Those of `localIds` whose athlete head office erased: the batch leaves them out. */
  async erasedAmong(hubId: string, localIds: readonly string[]): Promise<Set<string>> {
    if (localIds.length === 0) return new Set();
    const { rows } = await this.run(this.db.selectFrom('erased_athletes').select('local_id').where('hub_id', '=', hubId).where('local_id', 'in', [...localIds]));
    return new Set(rows.map((r) => r.local_id));
  }

  async upsertAthletes(hubId: string, clubId: string, athletes: readonly UplinkAthlete[], now: Date): Promise<void> {
    if (athletes.length === 0) return;
    await this.run(
      this.db
        .insertInto('athletes')
        .values(
          athletes.map((a) => ({
            club_id: clubId,
            team_id: null,
            hub_id: hubId,
            local_id: a.id,
            name: a.name,
            number: a.number,
            position: a.position,
            group_name: a.group,
            hr_max: a.hrMax,
            hr_rest: a.hrRest,
            sex: a.sex,
            mass_kg: a.massKg,
            birth_year: a.birthYear,
            zones: JSON.stringify(a.zones),
            thresholds: JSON.stringify(a.thresholds),
            archived: a.archived,
            updated_at: now,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['hub_id', 'local_id']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            number: eb.ref('excluded.number'),
            position: eb.ref('excluded.position'),
            group_name: eb.ref('excluded.group_name'),
            hr_max: eb.ref('excluded.hr_max'),
            hr_rest: eb.ref('excluded.hr_rest'),
            sex: eb.ref('excluded.sex'),
            mass_kg: eb.ref('excluded.mass_kg'),
            birth_year: eb.ref('excluded.birth_year'),
            zones: eb.ref('excluded.zones'),
            thresholds: eb.ref('excluded.thresholds'),
            archived: eb.ref('excluded.archived'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        ),
    );
  }

  /**
   * Upserts sessions by (hub, local id) and replaces their drills and RPE entries. An RPE entry
   * whose athlete has no central id (`athleteIds`) is left out rather than stored unattributed;
   * returns how many were.
   */
  async upsertSessions(hubId: string, clubId: string, sessions: readonly UplinkSession[], athleteIds: ReadonlyMap<string, string>, now: Date): Promise<number> {
    if (sessions.length === 0) return 0;
    const { rows } = await this.run(
      this.db
        .insertInto('sessions')
        .values(
          sessions.map((s) => ({
            club_id: clubId,
            hub_id: hubId,
            local_id: s.id,
            name: s.name,
            kind: s.kind,
            started_at: new Date(s.startedAt),
            ended_at: s.endedAt === null ? null : new Date(s.endedAt),
            notes: s.notes,
            updated_at: now,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['hub_id', 'local_id']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            kind: eb.ref('excluded.kind'),
            started_at: eb.ref('excluded.started_at'),
            ended_at: eb.ref('excluded.ended_at'),
            notes: eb.ref('excluded.notes'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .returning(['id', 'local_id']),
    );
    const sessionIds = new Map(rows.map((r) => [r.local_id, r.id]));
    const ids = [...sessionIds.values()];
    await this.run(this.db.deleteFrom('drills').where('session_id', 'in', ids));
    await this.run(this.db.deleteFrom('session_rpe').where('session_id', 'in', ids));
    const drills = sessions.flatMap((s) =>
      s.drills.map((d) => ({ session_id: sessionIds.get(s.id)!, local_id: d.id, name: d.name, started_at: new Date(d.startedAt), ended_at: d.endedAt === null ? null : new Date(d.endedAt) })),
    );
    if (drills.length > 0) await this.run(this.db.insertInto('drills').values(drills));
    let left = 0;
    const rpe = sessions.flatMap((s) =>
      s.rpe.flatMap((r) => {
        const athleteId = athleteIds.get(r.athleteId);
        if (athleteId === undefined) {
          left++;
          return [];
        }
        return [{ session_id: sessionIds.get(s.id)!, athlete_id: athleteId, rpe: r.rpe, duration_min: r.durationMin, entered_at: new Date(r.enteredAt) }];
      }),
    );
    if (rpe.length > 0) await this.run(this.db.insertInto('session_rpe').values(rpe));
    return left;
  }

  /** The stream's acknowledged sequence and the ranges stored beyond it, locked for this batch. */
  async lockStream(hubId: string, stream: string): Promise<{ ackedSeq: number; ranges: SeqRange[] }> {
    await this.run(this.db.insertInto('uplink_streams').values({ hub_id: hubId, stream, acked_seq: 0, rows_stored: 0 }).onConflict((oc) => oc.doNothing()));
    const { rows } = await this.run(this.db.selectFrom('uplink_streams').select('acked_seq').where('hub_id', '=', hubId).where('stream', '=', stream).forUpdate());
    const ranges = await this.run(
      this.db.selectFrom('uplink_ranges').select(['seq_from', 'seq_to']).where('hub_id', '=', hubId).where('stream', '=', stream).orderBy('seq_from'),
    );
    return { ackedSeq: rows[0]!.acked_seq, ranges: ranges.rows.map((r) => ({ from: r.seq_from, to: r.seq_to })) };
  }

  /**
   * Stores the readings the ledger does not already hold (sequence above `ackedSeq` and outside
   * every stored range); returns how many rows were new.
   *
   * A batch of readings that are all new (the normal case: the next batch after the last ack) is
   * COPYed straight into raw_samples, which costs PostgreSQL about what a bulk load costs. Only a
   * batch that overlaps what is stored (a retry, a reordered batch) goes through the staging table
   * and ON CONFLICT DO NOTHING. The stream's row is locked, so the ledger cannot change meanwhile;
   * should raw_samples still hold one of the rows (the key is the backstop), the COPY fails on the
   * key and the savepoint hands the batch to the staged path.
   */
  async insertReadings(hubId: string, stream: string, groups: readonly SampleGroup[], ackedSeq: number): Promise<number> {
    if (await this.allNew(hubId, stream, groups, ackedSeq)) {
      await this.client.query('savepoint direct_copy');
      try {
        const stored = await this.copyIntoRawSamples(hubId, stream, groups);
        await this.client.query('release savepoint direct_copy');
        return stored;
      } catch (err) {
        if ((err as { code?: unknown }).code !== UNIQUE_VIOLATION) throw err;
        await this.client.query('rollback to savepoint direct_copy');
      }
    }
    return this.insertStaged(hubId, stream, groups, ackedSeq);
  }

  /** Whether every reading of these groups lies above the ack and outside every stored range. */
  private async allNew(hubId: string, stream: string, groups: readonly SampleGroup[], ackedSeq: number): Promise<boolean> {
    let from = Infinity;
    let to = -Infinity;
    for (const group of groups) {
      if (group.readings.length === 0) continue;
      from = Math.min(from, group.firstSeq);
      to = Math.max(to, group.firstSeq + group.readings.length - 1);
    }
    if (from === Infinity || from <= ackedSeq) return false;
    const { rows } = await this.run(
      this.db.selectFrom('uplink_ranges').select('seq_from').where('hub_id', '=', hubId).where('stream', '=', stream).where('seq_from', '<=', to).where('seq_to', '>=', from).limit(1),
    );
    return rows.length === 0;
  }

  private async copyIntoRawSamples(hubId: string, stream: string, groups: readonly SampleGroup[]): Promise<number> {
    const localIds = [...new Set(groups.flatMap((g) => (g.athleteId === null ? [] : [g.athleteId])))];
    const { rows } =
      localIds.length === 0
        ? { rows: [] }
        : await this.run(this.db.selectFrom('athletes').select(['id', 'local_id']).where('hub_id', '=', hubId).where('local_id', 'in', localIds));
    const athleteIds = new Map((rows as { id: string; local_id: string }[]).map((a) => [a.local_id, a.id]));
    const copy = this.client.query(copyFrom('copy raw_samples (hub_id, stream, seq, t, sensor_id, athlete_id, kind, body) from stdin'));
    await pipeline(Readable.from(rawSampleLines(hubId, stream, groups, athleteIds)), copy);
    return copy.rowCount ?? 0;
  }

  /** Through a temporary table, keeping only what the ledger and raw_samples do not already hold. */
  private async insertStaged(hubId: string, stream: string, groups: readonly SampleGroup[], ackedSeq: number): Promise<number> {
    await this.client.query(
      'create temp table incoming (seq bigint not null, t_ms bigint not null, sensor_id text not null, athlete_local_id text, kind text not null, body jsonb not null) on commit drop',
    );
    await pipeline(Readable.from(copyLines(groups)), this.client.query(copyFrom('copy incoming (seq, t_ms, sensor_id, athlete_local_id, kind, body) from stdin')));
    const result = await this.client.query(
      `insert into raw_samples (hub_id, stream, seq, t, sensor_id, athlete_id, kind, body)
       select $1, $2, i.seq, timestamptz 'epoch' + i.t_ms * interval '1 millisecond', i.sensor_id, a.id, i.kind, i.body
       from incoming i
       left join athletes a on a.hub_id = $1 and a.local_id = i.athlete_local_id
       where i.seq > $3
         and not exists (select 1 from uplink_ranges r where r.hub_id = $1 and r.stream = $2 and i.seq between r.seq_from and r.seq_to)
       on conflict do nothing`,
      [hubId, stream, ackedSeq],
    );
    return result.rowCount ?? 0;
  }

  async saveStream(hubId: string, stream: string, ackedSeq: number, ranges: readonly SeqRange[], stored: number, now: Date): Promise<void> {
    await this.run(this.db.deleteFrom('uplink_ranges').where('hub_id', '=', hubId).where('stream', '=', stream));
    if (ranges.length > 0) {
      await this.run(this.db.insertInto('uplink_ranges').values(ranges.map((r) => ({ hub_id: hubId, stream, seq_from: r.from, seq_to: r.to }))));
    }
    await this.run(
      this.db
        .updateTable('uplink_streams')
        .set((eb) => ({ acked_seq: ackedSeq, rows_stored: eb('rows_stored', '+', stored), last_batch_at: now }))
        .where('hub_id', '=', hubId)
        .where('stream', '=', stream),
    );
  }
}
