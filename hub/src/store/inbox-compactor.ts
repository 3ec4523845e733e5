/**
 * Moves committed readings from `sample_inbox` into compressed `sample_blocks`, one block per
 * sensor, athlete and stream. The heavy part (reading, decoding, encoding, deflating) runs outside
 * any write transaction. One short write transaction inserts the finished blocks; from its commit
 * on, every inbox row up to the blocks' newest sequence number (`compactedThrough`) counts as
 * compacted and is skipped by every reader. Those rows are then deleted in small transactions:
 * deleting a whole 30 s inbox in the same transaction held the database's write lock for about
 * 60 ms, and every QoS 1 acknowledgement waited behind it. A crash before the blocks' commit
 * leaves every reading in the inbox; after it, in a block, with leftovers deleted on the next run.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Reading, ReadingStream } from '../ingest/ingest-contract.ts';
import { CODEC_V1, encodeBlock } from './sample-codec.ts';

interface InboxRow {
  seq: number;
  sensor_id: string;
  athlete_id: string | null;
  stream: ReadingStream;
  t: number;
  body: string;
}

interface Group {
  sensorId: string;
  athleteId: string | null;
  stream: ReadingStream;
  seqs: number[];
  readings: Reading[];
}

export interface CompactionResult {
  rows: number;
  blocks: number;
  /** Inbox rows whose body could not be decoded (damaged storage): deleted, so they cannot stop every later compaction. */
  undecodable: number;
}

/**
 * An inbox row's reading, or undefined when its body is not the JSON the hub wrote (a damaged
 * page on a worn card): readers skip it rather than fail every query that touches it.
 */
export function decodeInboxRow(stream: ReadingStream, t: number, body: string): Reading | undefined {
  try {
    return { stream, t, ...JSON.parse(body) } as Reading;
  } catch {
    return undefined;
  }
}

/** Inbox rows read per query. */
const READ_CHUNK = 5000;
/** Compacted inbox rows deleted per transaction: a few milliseconds of write lock each. */
const PURGE_CHUNK = 2000;

/** The newest sequence number held in a block, as an SQL subquery: inbox rows at or below it are compacted. */
export const COMPACTED_THROUGH_SQL = '(select coalesce(max(seq_last), 0) from sample_blocks)';

export class InboxCompactor {
  private readonly sqlite: DatabaseSync;
  private readonly selectChunk: StatementSync;
  private readonly insertBlock: StatementSync;
  private readonly compactedThrough: StatementSync;
  private readonly purgeChunk: StatementSync;
  private readonly deleteRow: StatementSync;

  constructor(sqlite: DatabaseSync) {
    this.sqlite = sqlite;
    this.selectChunk = sqlite.prepare('select seq, sensor_id, athlete_id, stream, t, body from sample_inbox where seq > ? order by seq limit ?');
    this.insertBlock = sqlite.prepare(
      'insert into sample_blocks (sensor_id, athlete_id, stream, t_start, t_end, n, seq_first, seq_last, codec, data) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.compactedThrough = sqlite.prepare(`select ${COMPACTED_THROUGH_SQL} as seq`);
    this.purgeChunk = sqlite.prepare('delete from sample_inbox where seq in (select seq from sample_inbox where seq <= ? order by seq limit ?)');
    this.deleteRow = sqlite.prepare('delete from sample_inbox where seq = ?');
  }

  /** Compacts what is in the inbox now; readings committed meanwhile wait for the next run. */
  compact(): CompactionResult {
    const { seq: through } = this.compactedThrough.get() as { seq: number };
    const { groups, lastSeq, undecodable } = this.readInbox(through);
    if (groups.length > 0) this.write(groups);
    for (const seq of undecodable) this.deleteRow.run(seq);
    // Also what an earlier run left undeleted when the process stopped.
    this.purge(groups.length > 0 ? lastSeq : through);
    return { rows: groups.reduce((n, g) => n + g.seqs.length, 0), blocks: groups.length, undecodable: undecodable.length };
  }

  /** Every inbox row after `after` up to the newest one now, grouped; that newest seq; the rows that cannot be decoded. */
  private readInbox(after: number): { groups: Group[]; lastSeq: number; undecodable: number[] } {
    const groups = new Map<string, Group>();
    const undecodable: number[] = [];
    for (;;) {
      const rows = this.selectChunk.all(after, READ_CHUNK) as unknown as InboxRow[];
      for (const row of rows) {
        const reading = decodeInboxRow(row.stream, row.t, row.body);
        if (!reading) {
          undecodable.push(row.seq);
          continue;
        }
        const key = `${row.sensor_id}\u0000${row.athlete_id ?? ''}\u0000${row.stream}`;
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { sensorId: row.sensor_id, athleteId: row.athlete_id, stream: row.stream, seqs: [], readings: [] }));
        group.seqs.push(row.seq);
        group.readings.push(reading);
      }
      if (rows.length > 0) after = rows.at(-1)!.seq;
      if (rows.length < READ_CHUNK) break;
    }
    return { groups: [...groups.values()], lastSeq: after, undecodable };
  }

  private write(groups: readonly Group[]): void {
    // Encoding before BEGIN keeps the write lock for the inserts alone.
    const encoded = groups.map((g) => ({ group: g, data: encodeBlock(g.stream, g.readings) }));
    this.sqlite.exec('begin immediate');
    try {
      for (const { group, data } of encoded) {
        let tStart = Infinity;
        let tEnd = -Infinity;
        for (const r of group.readings) {
          tStart = Math.min(tStart, r.t);
          tEnd = Math.max(tEnd, r.t);
        }
        this.insertBlock.run(group.sensorId, group.athleteId, group.stream, tStart, tEnd, group.readings.length, group.seqs[0]!, group.seqs.at(-1)!, CODEC_V1, data);
      }
      this.sqlite.exec('commit');
    } catch (err) {
      this.sqlite.exec('rollback');
      throw err;
    }
  }

  /** Deletes compacted inbox rows up to `through`, a few thousand per transaction. */
  private purge(through: number): void {
    while (Number(this.purgeChunk.run(through, PURGE_CHUNK).changes) === PURGE_CHUNK);
  }
}
