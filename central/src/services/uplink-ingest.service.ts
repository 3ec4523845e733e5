/**
 * Accepts a hub's batch exactly once. The rules (docs/uplink.md):
 * - a batch names its hub and club, and both must be the credential's;
 * - its readings cover `fromSeq..toSeq` of one stream exactly, each sequence number once;
 * - every athlete a reading or RPE entry refers to is declared in the batch or already known for
 *   this hub, and none of them belongs to another club;
 * - readings central already holds (at or below the stream's ack, or in a stored range) are
 *   skipped, so a retried, overlapping or reordered batch stores nothing twice;
 * - an athlete head office erased stays erased: the hub still holds them and keeps sending them,
 *   so their profile, readings and RPE are left out (counted in the answer, not refused, or the
 *   hub would retry the batch for ever);
 * - the answer is the highest sequence number up to which everything is stored.
 * Any refusal rolls the whole batch back: nothing stored before is touched.
 */
import { TouchlineError } from '@touchline/core';
import type { UplinkRepository, SeqRange } from '../repositories/uplink.repository.ts';
import type { UplinkAck, UplinkBatch, UplinkSamples } from '../schemas/uplink.schema.ts';
import type { AuthenticatedHub } from './hub-registry.service.ts';

/**
 * Folds a newly stored range into a stream's ledger: the ack moves over every range that now
 * touches it, and what lies beyond a gap stays as (merged) ranges until the gap is filled.
 */
export function advanceAck(ackedSeq: number, stored: readonly SeqRange[], incoming: SeqRange): { ackedSeq: number; ranges: SeqRange[] } {
  let acked = ackedSeq;
  const beyond: SeqRange[] = [];
  for (const range of [...stored, incoming].sort((a, b) => a.from - b.from)) {
    if (range.to <= acked) continue;
    if (range.from <= acked + 1 && beyond.length === 0) {
      acked = range.to;
      continue;
    }
    const last = beyond.at(-1);
    if (last && range.from <= last.to + 1) last.to = Math.max(last.to, range.to);
    else beyond.push({ ...range });
  }
  return { ackedSeq: acked, ranges: beyond };
}

/** Checks that the groups cover fromSeq..toSeq exactly; returns the number of readings. */
function checkCoverage(samples: UplinkSamples): number {
  const groups = [...samples.groups].sort((a, b) => a.firstSeq - b.firstSeq);
  let next = samples.fromSeq;
  for (const group of groups) {
    if (group.firstSeq !== next) {
      const problem = group.firstSeq < next ? `repeats sequence number ${group.firstSeq}` : `lacks sequence numbers ${next}..${group.firstSeq - 1}`;
      throw new TouchlineError('TL_ERR_UPLINK_INVALID', `The batch ${problem}; its groups must cover ${samples.fromSeq}..${samples.toSeq} exactly once`);
    }
    next += group.readings.length;
  }
  if (next - 1 !== samples.toSeq) throw new TouchlineError('TL_ERR_UPLINK_INVALID', `The batch's readings end at sequence number ${next - 1}, not at toSeq ${samples.toSeq}`);
  return next - samples.fromSeq;
}

/** Month indexes (year * 12 + month, UTC) the readings fall in: the partitions they need. */
function monthsOf(samples: UplinkSamples): Set<number> {
  const months = new Set<number>();
  for (const group of samples.groups) {
    let lastMonthStart = Infinity;
    let lastMonthEnd = -Infinity;
    for (const { t } of group.readings) {
      if (t >= lastMonthStart && t < lastMonthEnd) continue;
      const d = new Date(t);
      const index = d.getUTCFullYear() * 12 + d.getUTCMonth();
      months.add(index);
      lastMonthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
      lastMonthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    }
  }
  return months;
}

export class UplinkIngestService {
  private readonly repo: UplinkRepository;
  private readonly maxBatchRows: number;
  private readonly now: () => number;
  private readonly onCommitted: ((hubId: string, batch: UplinkBatch) => void) | undefined;

  /** `onCommitted` hears of every batch after its transaction committed; it must not block. */
  constructor(repo: UplinkRepository, options: { maxBatchRows: number; now?: () => number; onCommitted?: (hubId: string, batch: UplinkBatch) => void }) {
    this.repo = repo;
    this.maxBatchRows = options.maxBatchRows;
    this.now = options.now ?? Date.now;
    this.onCommitted = options.onCommitted;
  }

  async ingest(hub: AuthenticatedHub, batch: UplinkBatch): Promise<UplinkAck> {
    if (batch.hubId !== hub.id) throw new TouchlineError('TL_ERR_UPLINK_FOREIGN', `The batch names hub ${batch.hubId}, but the credential is hub ${hub.id}'s`);
    if (batch.clubId !== hub.clubId) throw new TouchlineError('TL_ERR_UPLINK_FOREIGN', `The batch names club ${batch.clubId}, but this hub belongs to club ${hub.clubId}`);
    const { samples } = batch;
    const readings = samples ? samples.groups.reduce((n, g) => n + g.readings.length, 0) : 0;
    if (readings > this.maxBatchRows) throw new TouchlineError('TL_ERR_UPLINK_TOO_LARGE', `The batch holds ${readings} readings; central accepts at most ${this.maxBatchRows} per batch`);
    if (samples) checkCoverage(samples);

    const declared = new Set<string>();
    for (const athlete of batch.athletes) {
      if (declared.has(athlete.id)) throw new TouchlineError('TL_ERR_UPLINK_INVALID', `Athlete ${athlete.id} is declared twice`);
      declared.add(athlete.id);
    }
    const referenced = new Set<string>();
    for (const group of samples?.groups ?? []) if (group.athleteId !== null) referenced.add(group.athleteId);
    for (const session of batch.sessions) for (const entry of session.rpe) referenced.add(entry.athleteId);
    if (new Set(batch.sessions.map((s) => s.id)).size !== batch.sessions.length) throw new TouchlineError('TL_ERR_UPLINK_INVALID', 'A session is declared twice');

    if (samples) await this.repo.ensureMonths(monthsOf(samples));
    const now = new Date(this.now());
    const ack = await this.repo.transaction(async (tx) => {
      const row = await tx.lockHub(hub.id);
      if (!row || row.revoked_at) throw new TouchlineError('TL_ERR_HUB_REVOKED', 'Head office revoked this hub while the batch was on its way');
      if (row.club_id !== hub.clubId) throw new TouchlineError('TL_ERR_UPLINK_FOREIGN', 'This hub was moved to another club while the batch was on its way');

      const mentioned = [...new Set([...declared, ...referenced])];
      const erased = await tx.erasedAmong(hub.id, mentioned);
      const known = await tx.athletesOf(hub.id, mentioned);
      const foreign = known.filter((a) => a.club_id !== hub.clubId).map((a) => a.local_id);
      if (foreign.length > 0) {
        throw new TouchlineError('TL_ERR_UPLINK_FOREIGN', `Athletes ${foreign.join(', ')} now belong to another club; head office must resolve this before the hub can upload their data`, { athletes: foreign });
      }
      const knownIds = new Set(known.map((a) => a.local_id));
      const unknown = [...referenced].filter((id) => !declared.has(id) && !knownIds.has(id) && !erased.has(id));
      if (unknown.length > 0) throw new TouchlineError('TL_ERR_UPLINK_INVALID', `The batch refers to athletes it does not declare and central does not know: ${unknown.join(', ')}`);

      await tx.upsertAthletes(hub.id, hub.clubId, erased.size === 0 ? batch.athletes : batch.athletes.filter((a) => !erased.has(a.id)), now);
      // Every athlete referenced now has a central id except the erased ones, whose RPE is left out.
      let erasedRpe = 0;
      if (batch.sessions.length > 0) {
        const ids = new Map((await tx.athletesOf(hub.id, [...referenced])).map((a) => [a.local_id, a.id]));
        erasedRpe = await tx.upsertSessions(hub.id, hub.clubId, batch.sessions, ids, now);
      }
      await tx.touchHub(hub.id, now);
      // Dropped, not stored unattributed: a sensor id and times can point back at the person.
      const groups = samples && erased.size > 0 ? samples.groups.filter((g) => g.athleteId === null || !erased.has(g.athleteId)) : (samples?.groups ?? []);
      const erasedReadings = readings - groups.reduce((n, g) => n + g.readings.length, 0);
      const told = erased.size > 0 ? { erased: { athletes: [...erased].sort(), readings: erasedReadings, rpe: erasedRpe } } : {};
      if (!samples) return { stream: null, ackedSeq: 0, stored: 0, duplicates: 0, ...told };

      const stream = await tx.lockStream(hub.id, samples.stream);
      const incoming = { from: samples.fromSeq, to: samples.toSeq };
      const held = incoming.to <= stream.ackedSeq || stream.ranges.some((r) => r.from <= incoming.from && incoming.to <= r.to);
      const stored = held || groups.length === 0 ? 0 : await tx.insertReadings(hub.id, samples.stream, groups, stream.ackedSeq);
      // The whole range counts as held, dropped readings included, so the hub's cursor moves past them.
      const next = advanceAck(stream.ackedSeq, stream.ranges, incoming);
      await tx.saveStream(hub.id, samples.stream, next.ackedSeq, next.ranges, stored, now);
      return { stream: samples.stream, ackedSeq: next.ackedSeq, stored, duplicates: readings - erasedReadings - stored, ...told };
    });
    this.onCommitted?.(hub.id, batch);
    return ack;
  }
}
