/**
 * Builds the next batch past the cursor. Readings travel in the order the store holds them: block
 * by block, in block id order, and reading i of a block gets the sequence number that follows its
 * predecessor's. The store's blocks are immutable, so a batch rebuilt after a crash or a lost ack
 * numbers every reading the same way, and central recognises what it already holds.
 *
 * (The store's own `seq` orders readings as they arrived, but a block keeps only the first and
 * last of its readings' seqs, and one compaction interleaves several blocks within that range; the
 * uplink therefore counts readings in block order. Both orders hold the same set of numbers.)
 */
import { createHash } from 'node:crypto';
import type { SampleGroup, UplinkAthlete, UplinkBatch, UplinkSession } from '@touchline/central/uplink-contract';
import { CODEC_V1, decodeBlock } from '../store/sample-codec.ts';
import type { ReadingStream } from '../ingest/ingest-contract.ts';
import type { AthletesTable } from '../store/tables.ts';
import type { Cursor, SentMark, UplinkRepository } from './uplink.repository.ts';

/** Block headers read per batch at most; a batch stops at `maxRows` readings long before. */
const MAX_BLOCKS_PER_BATCH = 20_000;
/** Changed sessions sent per batch at most; the rest follow in the next ones. */
const MAX_SESSIONS_PER_BATCH = 200;

export interface PreparedBatch {
  batch: UplinkBatch;
  /** The last block of the batch and the sequence number of its last reading, block by block. */
  boundaries: { blockId: number; lastSeq: number }[];
  /** What central holds once it acknowledges this batch. */
  sent: SentMark[];
  readings: number;
  /** Blocks wait beyond this batch: send the next one without pausing. */
  more: boolean;
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}

function athleteOf(row: AthletesTable): UplinkAthlete {
  return {
    id: row.id,
    name: row.name,
    number: row.number,
    position: row.position,
    group: row.group_name,
    hrMax: row.hr_max,
    hrRest: row.hr_rest,
    sex: row.sex as UplinkAthlete['sex'],
    massKg: row.mass_kg,
    birthYear: row.birth_year,
    zones: JSON.parse(row.zones) as number[] | null,
    thresholds: JSON.parse(row.thresholds) as UplinkAthlete['thresholds'],
    archived: row.archived_at !== null,
  };
}

/** The next batch for `identity` past `cursor`, or null when central holds everything. */
export async function buildBatch(
  repo: UplinkRepository,
  identity: { hubId: string; clubId: string },
  cursor: Cursor,
  maxRows: number,
): Promise<PreparedBatch | null> {
  // Headers first (ids and sizes only), to cut the batch at maxRows before reading any data.
  const sizes = await repo.blockSizes(cursor.block_id, MAX_BLOCKS_PER_BATCH);
  let take = 0;
  let rows = 0;
  while (take < sizes.length && (take === 0 || rows + sizes[take]!.n <= maxRows)) rows += sizes[take++]!.n;
  const blocks = take > 0 ? await repo.blocks(cursor.block_id, sizes[take - 1]!.id) : [];

  const athleteRows = new Map((await repo.athletes()).map((a) => [a.id, a]));
  const groups: SampleGroup[] = [];
  const boundaries: PreparedBatch['boundaries'] = [];
  let nextSeq = cursor.acked_seq + 1;
  for (const block of blocks) {
    if (block.codec !== CODEC_V1) throw new Error(`sample block ${block.id} uses codec ${block.codec}, which this uplink cannot read`);
    const readings = decodeBlock(block.stream as ReadingStream, block.data).map(({ stream: _stream, ...reading }) => reading);
    // An athlete row that no longer exists cannot be declared; the readings still go, unattributed.
    const athleteId = block.athlete_id !== null && athleteRows.has(block.athlete_id) ? block.athlete_id : null;
    groups.push({ firstSeq: nextSeq, sensorId: block.sensor_id, athleteId, kind: block.stream, readings } as SampleGroup);
    nextSeq += readings.length;
    boundaries.push({ blockId: block.id, lastSeq: nextSeq - 1 });
  }

  const hashes = await repo.sentHashes(identity.hubId);
  const sent: SentMark[] = [];
  const sessions: UplinkSession[] = [];
  let sessionsWaiting = false;
  for (const { session, drills, rpe } of await repo.sessions()) {
    const upload: UplinkSession = {
      id: session.id,
      name: session.name,
      kind: session.kind,
      startedAt: session.started_at,
      endedAt: session.ended_at,
      notes: session.notes,
      drills: drills.map((d) => ({ id: d.id, name: d.name, startedAt: d.started_at, endedAt: d.ended_at })),
      rpe: rpe.map((r) => ({ athleteId: r.athlete_id, rpe: r.rpe, durationMin: r.duration_min, enteredAt: r.entered_at })),
    };
    const hash = hashOf(upload);
    if (hashes.get(`session:${session.id}`) === hash) continue;
    if (sessions.length >= MAX_SESSIONS_PER_BATCH) {
      sessionsWaiting = true;
      continue;
    }
    sessions.push(upload);
    sent.push({ kind: 'session', localId: session.id, hash });
  }

  // Athletes travel when they changed, and always when this batch refers to them (cheap, and it
  // keeps a batch self-contained should central have lost them).
  const referenced = new Set<string>();
  for (const group of groups) if (group.athleteId) referenced.add(group.athleteId);
  for (const session of sessions) for (const entry of session.rpe) referenced.add(entry.athleteId);
  const athletes: UplinkAthlete[] = [];
  for (const row of athleteRows.values()) {
    const upload = athleteOf(row);
    const hash = hashOf(upload);
    if (!referenced.has(row.id) && hashes.get(`athlete:${row.id}`) === hash) continue;
    athletes.push(upload);
    sent.push({ kind: 'athlete', localId: row.id, hash });
  }

  if (groups.length === 0 && sent.length === 0) return null;
  return {
    batch: {
      hubId: identity.hubId,
      clubId: identity.clubId,
      athletes,
      sessions,
      samples: groups.length > 0 ? { stream: cursor.stream, fromSeq: cursor.acked_seq + 1, toSeq: nextSeq - 1, groups } : null,
    },
    boundaries,
    sent,
    readings: nextSeq - 1 - cursor.acked_seq,
    more: take < sizes.length || sizes.length === MAX_BLOCKS_PER_BATCH || sessionsWaiting,
  };
}
