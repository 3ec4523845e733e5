/**
 * Batch ingest against real PostgreSQL: exactly-once storage under repeated, overlapping and
 * reordered batches, the highest-contiguous ack, and every kind of refusal leaving stored rows
 * untouched. Expected values are built here by hand from the readings sent.
 */
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampleGroup, UplinkAthlete, UplinkBatch } from '../src/schemas/uplink.schema.ts';
import { clubWithHub, postBatch, startTestCentral, type TestCentral } from './test-central.ts';

interface Ack {
  stream: string | null;
  ackedSeq: number;
  stored: number;
  duplicates: number;
}
interface Coded {
  code: string;
  message: string;
}

const STREAM = 'samples:store-1';
// Half a minute before February: the readings fall into two month partitions.
const T0 = Date.UTC(2026, 0, 31, 23, 59, 30);
const ADA: UplinkAthlete = {
  id: 'ada-local-1',
  name: 'Ada',
  number: 7,
  position: 'midfield',
  group: 'A',
  hrMax: 190,
  hrRest: 50,
  sex: 'female',
  massKg: 60,
  birthYear: 2000,
  zones: null,
  thresholds: null,
  archived: false,
};

/** The reading with sequence number `seq`: Ada's heart rate or an unpaired pod's fix (see isHr). */
const hrOf = (seq: number) => ({ t: T0 + seq * 200, bpm: 100 + (seq % 50), rr: [600 + (seq % 7), 590] });
const fixOf = (seq: number) => ({ t: T0 + seq * 200, lat: 51.5 + seq * 1e-6, lon: -0.12, speed: (seq % 80) / 10 });

/** Sequence numbers come in runs of ten: 1..10 Ada's heart rate, 11..20 the pod's fixes, and so on. */
const isHr = (seq: number) => Math.floor((seq - 1) / 10) % 2 === 0;

/** Groups covering from..to as a hub sends them: one group per run. */
function groupsFor(from: number, to: number): SampleGroup[] {
  const groups: SampleGroup[] = [];
  for (let start = from; start <= to; ) {
    const end = Math.min(to, start + 9 - ((start - 1) % 10));
    const seqs = Array.from({ length: end - start + 1 }, (_, i) => start + i);
    groups.push(
      isHr(start)
        ? { firstSeq: start, sensorId: 'strap-1', athleteId: ADA.id, kind: 'hr', readings: seqs.map(hrOf) }
        : { firstSeq: start, sensorId: 'pod:7', athleteId: null, kind: 'gnss', readings: seqs.map(fixOf) },
    );
    start = end + 1;
  }
  return groups;
}

describe('uplink batch ingest', () => {
  let t: TestCentral;
  let db: pg.Client;
  let hub: { hubId: string; clubId: string; credential: string };
  let otherHub: { hubId: string; clubId: string; credential: string };

  const batch = (from: number, to: number, extra: Partial<UplinkBatch> = {}): UplinkBatch => ({
    hubId: hub.hubId,
    clubId: hub.clubId,
    athletes: [ADA],
    sessions: [],
    samples: { stream: STREAM, fromSeq: from, toSeq: to, groups: groupsFor(from, to) },
    ...extra,
  });
  const send = (b: UplinkBatch | Buffer, credential = hub.credential) => postBatch<Ack & Coded>(t.url, credential, b);

  /** Everything stored for the hub, in a form two snapshots can be compared by. */
  async function snapshot() {
    const rows = await db.query<{ n: string; digest: string }>(
      `select count(*) as n, md5(coalesce(string_agg(seq || '|' || (extract(epoch from t) * 1000)::bigint || '|' || sensor_id || '|' || coalesce(athlete_id::text, '-') || '|' || kind || '|' || body::text, ',' order by seq), '')) as digest
       from raw_samples where hub_id = $1`,
      [hub.hubId],
    );
    const ledger = await db.query('select acked_seq, rows_stored from uplink_streams where hub_id = $1', [hub.hubId]);
    const ranges = await db.query('select seq_from::int, seq_to::int from uplink_ranges where hub_id = $1 order by seq_from', [hub.hubId]);
    const athletes = await db.query('select local_id, name, club_id, updated_at from athletes where hub_id = $1 order by local_id', [hub.hubId]);
    const sessions = await db.query('select local_id, name, ended_at from sessions where hub_id = $1 order by local_id', [hub.hubId]);
    return { rows: rows.rows[0], ledger: ledger.rows, ranges: ranges.rows, athletes: athletes.rows, sessions: sessions.rows };
  }

  beforeAll(async () => {
    t = await startTestCentral({ config: { maxBatchBytes: 256 * 1024, maxInflatedBytes: 2 * 1024 * 1024, maxBatchRows: 5000 } });
    const enrol = async (clubName: string) => {
      const created = await clubWithHub(t, clubName);
      const enrolled = await t.api<{ credential: string }>('POST', '/api/hubs/enrol', { code: created.code, name: clubName }, null);
      return { hubId: created.hubId, clubId: created.clubId, credential: enrolled.body.credential };
    };
    hub = await enrol('Harriers');
    otherHub = await enrol('Rangers');
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('stores a batch once however often it arrives', async () => {
    const first = await send(batch(1, 100));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ stream: STREAM, ackedSeq: 100, stored: 100, duplicates: 0 });
    const again = await send(batch(1, 100));
    expect(again.body).toEqual({ stream: STREAM, ackedSeq: 100, stored: 0, duplicates: 100 });
    expect((await snapshot()).rows!.n).toBe('100');
  });

  it('stores only the new part of an overlapping batch', async () => {
    const res = await send(batch(51, 150));
    expect(res.body).toEqual({ stream: STREAM, ackedSeq: 150, stored: 50, duplicates: 50 });
  });

  it('holds the ack below a gap until a late batch fills it, then jumps', async () => {
    const ahead = await send(batch(201, 300));
    expect(ahead.body).toEqual({ stream: STREAM, ackedSeq: 150, stored: 100, duplicates: 0 });
    const furtherAhead = await send(batch(251, 320));
    expect(furtherAhead.body).toEqual({ stream: STREAM, ackedSeq: 150, stored: 20, duplicates: 50 });
    expect((await snapshot()).ranges).toEqual([{ seq_from: 201, seq_to: 320 }]);

    const late = await send(batch(151, 200));
    expect(late.body).toEqual({ stream: STREAM, ackedSeq: 320, stored: 50, duplicates: 0 });
    expect((await snapshot()).ranges).toEqual([]);

    const hubView = await t.api<{ streams: { stream: string; ackedSeq: number; readings: number }[] }>('GET', `/api/hubs/${hub.hubId}`);
    expect(hubView.body.streams).toEqual([expect.objectContaining({ stream: STREAM, ackedSeq: 320, readings: 320 })]);
  });

  it('holds every sequence number exactly once with the values sent, across month partitions', async () => {
    const seqs = await db.query<{ seq: string }>('select seq from raw_samples where hub_id = $1 order by seq', [hub.hubId]);
    expect(seqs.rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 320 }, (_, i) => i + 1));

    const partitions = await db.query<{ partition: string; n: string }>(
      'select tableoid::regclass::text as partition, count(*) as n from raw_samples where hub_id = $1 group by 1 order by 1',
      [hub.hubId],
    );
    // Reading seq is at T0 + 200 ms * seq; February starts 30 s = 150 readings after T0.
    expect(partitions.rows).toEqual([
      { partition: 'raw_samples_2026_01', n: '149' },
      { partition: 'raw_samples_2026_02', n: '171' },
    ]);

    const ada = (await t.api<{ id: string; localId: string }[]>('GET', `/api/athletes?hubId=${hub.hubId}`)).body;
    expect(ada.map((a) => a.localId)).toEqual([ADA.id]);
    const hr = await t.api<{ seq: number; t: number; sensorId: string; bpm: number; rr: number[] }[]>(
      'GET',
      `/api/athletes/${ada[0]!.id}/readings?kind=hr&from=${T0}&to=${T0 + 3600_000}`,
    );
    const expected = Array.from({ length: 320 }, (_, i) => i + 1)
      .filter(isHr)
      .map((seq) => ({ seq, sensorId: 'strap-1', ...hrOf(seq) }));
    expect(hr.body).toEqual(expected);

    const counts = await t.api<{ kind: string; readings: number }[]>('GET', `/api/athletes/${ada[0]!.id}/readings/counts`);
    expect(counts.body).toEqual([expect.objectContaining({ kind: 'hr', readings: expected.length })]);
  });

  it('stores nothing twice when the ledger has lost track of stored readings', async () => {
    // As if the ledger came back from an older backup than raw_samples: the batch looks new, so it
    // goes the direct COPY way, and the table's key must send it down the staged way instead.
    const before = await snapshot();
    const ackedSeq: unknown = before.ledger[0]!.acked_seq;
    await db.query('update uplink_streams set acked_seq = 0 where hub_id = $1', [hub.hubId]);
    try {
      const res = await send(batch(1, 100));
      expect(res.body).toEqual({ stream: STREAM, ackedSeq: 100, stored: 0, duplicates: 100 });
      expect((await snapshot()).rows).toEqual(before.rows);
    } finally {
      await db.query('update uplink_streams set acked_seq = $2 where hub_id = $1', [hub.hubId, ackedSeq]);
    }
  });

  it('refuses bad batches of every kind and leaves what is stored untouched', async () => {
    const before = await snapshot();
    const next = batch(321, 340);
    const cases: [string, () => Promise<{ status: number; body: Coded }>, number, string][] = [
      ['no credential', () => postBatch<Coded>(t.url, null, next), 401, 'TL_ERR_HUB_UNAUTHORIZED'],
      ['wrong credential', () => send(next, `${hub.hubId}.wrong`), 401, 'TL_ERR_HUB_UNAUTHORIZED'],
      ['compressed body over maxBatchBytes', () => send(gzipSync(Buffer.from(JSON.stringify({ ...next, pad: Array.from({ length: 60_000 }, (_, i) => Math.sin(i)) })), { level: 0 })), 413, 'TL_ERR_UPLINK_TOO_LARGE'],
      ['gzip bomb', () => send(gzipSync(Buffer.from(`{"hubId":"${hub.hubId}","pad":"${' '.repeat(50 * 1024 * 1024)}"}`))), 413, 'TL_ERR_UPLINK_TOO_LARGE'],
      ['more readings than maxBatchRows', () => send(batch(321, 5321)), 413, 'TL_ERR_UPLINK_TOO_LARGE'],
      ['malformed JSON', () => send(gzipSync(Buffer.from('{"hubId": "'))), 400, 'TL_ERR_UPLINK_MALFORMED'],
      ['not gzip at all', () => send(Buffer.from('definitely not gzip')), 400, 'TL_ERR_UPLINK_MALFORMED'],
      ['a value of the wrong type', () => send({ ...next, samples: { ...next.samples!, groups: [{ ...groupsFor(321, 330)[0]!, readings: [{ t: T0, bpm: 'fast' }] }] } } as unknown as UplinkBatch), 400, 'TL_ERR_VALIDATION'],
      ['a hole in the sequence', () => send({ ...next, samples: { ...next.samples!, groups: next.samples!.groups.slice(1) } }), 422, 'TL_ERR_UPLINK_INVALID'],
      ['a sequence number twice', () => send({ ...next, samples: { ...next.samples!, toSeq: 350, groups: [...groupsFor(321, 340), ...groupsFor(331, 340)] } }), 422, 'TL_ERR_UPLINK_INVALID'],
      ['an undeclared athlete', () => send({ ...next, samples: { ...next.samples!, groups: groupsFor(321, 340).map((g) => (g.athleteId ? { ...g, athleteId: 'nobody' } : g)) } }), 422, 'TL_ERR_UPLINK_INVALID'],
      ['another hub named in the batch', () => send({ ...next, hubId: otherHub.hubId }), 403, 'TL_ERR_UPLINK_FOREIGN'],
      ['another club named in the batch', () => send({ ...next, clubId: otherHub.clubId }), 403, 'TL_ERR_UPLINK_FOREIGN'],
    ];
    for (const [why, attempt, status, code] of cases) {
      const res = await attempt();
      expect(res.body.code, why).toBe(code);
      expect(res.status, why).toBe(status);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses data for an athlete who moved to another club, with the athlete's record unchanged", async () => {
    const ada = (await t.api<{ id: string }[]>('GET', `/api/athletes?hubId=${hub.hubId}`)).body[0]!;
    const team = (await t.api<{ id: string }>('POST', '/api/teams', { clubId: otherHub.clubId, name: 'First team' })).body;
    const moved = await t.api<{ clubId: string }>('PUT', `/api/athletes/${ada.id}/team`, { teamId: team.id });
    expect(moved.body.clubId).toBe(otherHub.clubId);

    const before = await snapshot();
    const res = await send(batch(321, 340, { athletes: [{ ...ADA, name: 'Ada Renamed' }] }));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('TL_ERR_UPLINK_FOREIGN');
    expect(res.body.message).toContain(ADA.id);
    expect(await snapshot()).toEqual(before);
  });

  it('upserts sessions with drills and RPE by the hub ids', async () => {
    const session = {
      id: 'sess-1',
      name: 'Tuesday training',
      kind: 'training',
      startedAt: T0,
      endedAt: null,
      notes: '',
      drills: [{ id: 'd1', name: 'Rondo', startedAt: T0 + 1000, endedAt: T0 + 60_000 }],
      rpe: [],
    };
    const other = { hubId: otherHub.hubId, clubId: otherHub.clubId, athletes: [{ ...ADA, id: 'bo-1', name: 'Bo' }], sessions: [session], samples: null };
    expect((await send(other, otherHub.credential)).body).toEqual({ stream: null, ackedSeq: 0, stored: 0, duplicates: 0 });
    const ended = { ...session, endedAt: T0 + 90 * 60_000, drills: [], rpe: [{ athleteId: 'bo-1', rpe: 7, durationMin: 90, enteredAt: T0 + 100 * 60_000 }] };
    expect((await send({ ...other, athletes: [], sessions: [ended] }, otherHub.credential)).status).toBe(200);

    const sessions = await t.api<{ id: string; endedAt: number }[]>('GET', `/api/sessions?hubId=${otherHub.hubId}`);
    expect(sessions.body).toHaveLength(1);
    expect(sessions.body[0]!.endedAt).toBe(T0 + 90 * 60_000);
    const detail = await t.api<{ drills: unknown[]; rpe: { rpe: number; durationMin: number }[] }>('GET', `/api/sessions/${sessions.body[0]!.id}`);
    expect(detail.body.drills).toEqual([]);
    expect(detail.body.rpe).toEqual([expect.objectContaining({ rpe: 7, durationMin: 90 })]);
  });
});
