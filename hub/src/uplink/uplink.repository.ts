/**
 * The uplink's reads and writes on the hub store: the cursor, the compressed sample blocks past
 * it, and the athletes and sessions that travel with them. The only place the uplink uses SQL.
 */
import type { Kysely } from 'kysely';
import type { AthletesTable, DrillsTable, HubDatabase, SessionRpeTable, SessionsTable, UplinkCursorTable } from '../store/tables.ts';

export type Cursor = UplinkCursorTable;

export interface BlockRow {
  id: number;
  sensor_id: string;
  athlete_id: string | null;
  stream: string;
  n: number;
  codec: number;
  data: Uint8Array;
}

export interface SentMark {
  kind: 'athlete' | 'session';
  localId: string;
  hash: string;
}

export class UplinkRepository {
  private readonly db: Kysely<HubDatabase>;

  constructor(db: Kysely<HubDatabase>) {
    this.db = db;
  }

  cursor(hubId: string): Promise<Cursor | undefined> {
    return this.db.selectFrom('uplink_cursor').selectAll().where('hub_id', '=', hubId).executeTakeFirst();
  }

  async createCursor(hubId: string, stream: string): Promise<Cursor> {
    const cursor = { hub_id: hubId, stream, block_id: 0, acked_seq: 0, acked_at: null };
    await this.db.insertInto('uplink_cursor').values(cursor).execute();
    return cursor;
  }

  /** Ids and sizes of the next blocks after `afterId`, in storage order; headers only, no data. */
  blockSizes(afterId: number, limit: number): Promise<{ id: number; n: number }[]> {
    return this.db.selectFrom('sample_blocks').select(['id', 'n']).where('id', '>', afterId).orderBy('id').limit(limit).execute();
  }

  blocks(afterId: number, throughId: number): Promise<BlockRow[]> {
    return this.db
      .selectFrom('sample_blocks')
      .select(['id', 'sensor_id', 'athlete_id', 'stream', 'n', 'codec', 'data'])
      .where('id', '>', afterId)
      .where('id', '<=', throughId)
      .orderBy('id')
      .execute();
  }

  /** Readings in blocks past `afterId`, and the last such block's id (null when there is none). */
  async readingsSince(afterId: number): Promise<{ readings: number; lastId: number | null }> {
    const row = await this.db
      .selectFrom('sample_blocks')
      .select((eb) => [eb.fn.sum<number | null>('n').as('readings'), eb.fn.max<number | null>('id').as('last_id')])
      .where('id', '>', afterId)
      .executeTakeFirstOrThrow();
    return { readings: Number(row.readings ?? 0), lastId: row.last_id };
  }

  /** When the first block past `afterId` starts (Unix ms), or null. */
  async firstStartAfter(afterId: number): Promise<number | null> {
    const row = await this.db.selectFrom('sample_blocks').select('t_start').where('id', '>', afterId).orderBy('id').limit(1).executeTakeFirst();
    return row?.t_start ?? null;
  }

  athletes(): Promise<AthletesTable[]> {
    return this.db.selectFrom('athletes').selectAll().orderBy('id').execute();
  }

  async sessions(): Promise<{ session: SessionsTable; drills: DrillsTable[]; rpe: SessionRpeTable[] }[]> {
    const [sessions, drills, rpe] = await Promise.all([
      this.db.selectFrom('sessions').selectAll().orderBy('started_at').execute(),
      this.db.selectFrom('drills').selectAll().orderBy('started_at').execute(),
      this.db.selectFrom('session_rpe').selectAll().orderBy('entered_at').execute(),
    ]);
    return sessions.map((session) => ({
      session,
      drills: drills.filter((d) => d.session_id === session.id),
      rpe: rpe.filter((r) => r.session_id === session.id),
    }));
  }

  async sentHashes(hubId: string): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('uplink_sent').select(['kind', 'local_id', 'hash']).where('hub_id', '=', hubId).execute();
    return new Map(rows.map((r) => [`${r.kind}:${r.local_id}`, r.hash]));
  }

  /** Records an acknowledgement: the cursor and what central now holds, in one transaction. */
  async acknowledge(hubId: string, position: { blockId: number; ackedSeq: number } | null, at: number, sent: readonly SentMark[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (position) {
        await trx.updateTable('uplink_cursor').set({ block_id: position.blockId, acked_seq: position.ackedSeq, acked_at: at }).where('hub_id', '=', hubId).execute();
      }
      for (const mark of sent) {
        await trx
          .insertInto('uplink_sent')
          .values({ hub_id: hubId, kind: mark.kind, local_id: mark.localId, hash: mark.hash })
          .onConflict((oc) => oc.columns(['hub_id', 'kind', 'local_id']).doUpdateSet({ hash: mark.hash }))
          .execute();
      }
    });
  }
}
