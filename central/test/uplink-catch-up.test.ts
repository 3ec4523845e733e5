/**
 * A hub offline while a 90-minute, 40-athlete session is recorded catches up on reconnection.
 *
 * A real hub, enrolled at central, loses its link (a proxy that refuses every connection) and
 * records a whole session meanwhile: the session and a drill through its API, and the squad
 * simulator's readings (HR at 1 Hz with RR intervals, GNSS at 10 Hz, IMU at 10 Hz, battery
 * reports: about 4.5 million) through the hub's ingest contract into its sample store, without
 * waiting for real time. Then the link comes back. Once the hub's cursor has reached its last
 * reading, central must hold every reading exactly once, per stream and per athlete as the hub
 * counts them, and the session and its drill.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSquadSession, type RecordedReadings } from '../../bench/uplink-hub-store.ts';
import { startTestHub, until, type TestHub } from '../../hub/test/test-hub.ts';
import type { UplinkStatus } from '../../hub/src/uplink/uplink-status.schema.ts';
import { FaultProxy } from './fault-proxy.ts';
import { clubWithHub, startTestCentral, type TestCentral } from './test-central.ts';

type Active = Extract<UplinkStatus, { configured: true }>;

const ATHLETES = 40;
const MINUTES = 90;
const MINUTE = 60_000;

function statusOf(t: TestHub): Active {
  const status = t.hub.uplink!.status();
  if (!status.configured) throw new Error('uplink not configured');
  return status;
}

/** `athlete|stream` → readings, from rows of counts. */
function countsBy(rows: { athlete: string | null; stream: string; n: number | string | bigint }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[`${row.athlete ?? '-'}|${row.stream}`] = Number(row.n);
  return counts;
}

describe('uplink catch-up after a session recorded offline', () => {
  let central: TestCentral;
  let proxy: FaultProxy;
  let db: pg.Client;
  let t: TestHub;
  let hubId: string;

  beforeAll(async () => {
    central = await startTestCentral();
    db = new pg.Client({ connectionString: central.databaseUrl });
    await db.connect();
    proxy = new FaultProxy(central.port);
    const enrolment = await clubWithHub(central, 'Catch-up FC');
    hubId = enrolment.hubId;
    t = await startTestHub({
      hub: { name: 'Catch-up ground' },
      // The longest compaction period: the recording compacts every 30 s of session time itself,
      // as the hub's timer does live, so the blocks are the ones a live session leaves.
      store: { blockSeconds: 600 },
      // The default batch size; retries capped at a few seconds (not minutes), so the link is used
      // soon after it is back.
      uplink: { enabled: true, centralUrl: `http://127.0.0.1:${await proxy.listen()}`, enrolmentCode: enrolment.code, intervalSeconds: 0.1, backoffBaseMs: 20, backoffCapMs: 3000, requestTimeoutSeconds: 60 },
    });
    await until(() => statusOf(t).hubId === hubId && statusOf(t).state === 'idle', 10_000, 'enrolment');
  });

  afterAll(async () => {
    await t?.stop();
    await proxy?.close();
    await db?.end();
    await central?.close();
  });

  it('delivers every reading exactly once, with the session and its drill, once central is back', async () => {
    // The link goes down for longer than the test can run; heal() brings it back.
    proxy.refuseFor(60 * MINUTE);

    const start = Math.floor((Date.now() - (MINUTES + 1) * MINUTE) / 1000) * 1000;
    const end = start + MINUTES * MINUTE;
    const drill = { name: 'Small-sided games', startedAt: start + 20 * MINUTE, endedAt: start + 50 * MINUTE };
    const session = await t.api<{ id: string; drills: { id: string }[] }>('POST', '/api/sessions', { name: 'Tuesday training', kind: 'training', at: start });
    expect(session.status).toBe(200);
    const sessionId = session.body.id;
    const drillStarted = await t.api<{ drills: { id: string }[] }>('POST', `/api/sessions/${sessionId}/drills`, { name: drill.name, at: drill.startedAt });
    expect(drillStarted.status).toBe(200);
    const drillId = drillStarted.body.drills[0]!.id;
    expect((await t.api('POST', `/api/sessions/${sessionId}/drills/${drillId}/end`, { at: drill.endedAt })).status).toBe(200);

    const recorded: RecordedReadings = await recordSquadSession(t.hub.store.db, t.hub.samples, { athletes: ATHLETES, minutes: MINUTES, seed: 11, startTime: start });
    expect((await t.api('POST', `/api/sessions/${sessionId}/stop`, { at: end })).status).toBe(200);

    // Everything the hub recorded is in blocks, which is what the uplink sends.
    await until(async () => {
      t.hub.samples.commit();
      await t.hub.samples.compact();
      const stats = t.hub.samples.stats();
      return stats.pendingRows === 0 && stats.inboxRows === 0;
    }, 10_000, 'the last readings in blocks');
    const hubRows = t.hub.store.sqlite.prepare('select athlete_id as athlete, stream, sum(n) as n from sample_blocks group by athlete_id, stream').all() as { athlete: string | null; stream: string; n: number }[];
    const hubCounts = countsBy(hubRows);
    const total = hubRows.reduce((sum, row) => sum + Number(row.n), 0);
    // The hub holds what the simulator sent it: every athlete's devices, every stream.
    expect(total).toBe(recorded.readings);
    const athletes = (t.hub.store.sqlite.prepare('select id from athletes').all() as { id: string }[]).map((a) => a.id);
    expect(athletes).toHaveLength(ATHLETES);
    expect(Object.keys(hubCounts).sort()).toEqual(athletes.flatMap((id) => ['battery', 'gnss', 'hr', 'imu'].map((stream) => `${id}|${stream}`)).sort());
    // The devices' rates over 90 minutes: a fix and an IMU reading every 100 ms from the pod, a
    // heart rate every second from the strap, a battery report every 30 s from each (and one as
    // it starts). 40 athletes × 113 760 or so: about 4.5 million readings.
    for (const id of athletes) {
      expect([hubCounts[`${id}|gnss`], hubCounts[`${id}|imu`], hubCounts[`${id}|hr`]]).toEqual([MINUTES * 600, MINUTES * 600, MINUTES * 60]);
      expect(hubCounts[`${id}|battery`]).toBeGreaterThanOrEqual(2 * MINUTES * 2);
      expect(hubCounts[`${id}|battery`]).toBeLessThanOrEqual(2 * MINUTES * 2 + 2);
    }
    for (const [stream, n] of Object.entries(recorded.byStream)) {
      expect(hubRows.filter((row) => row.stream === stream).reduce((sum, row) => sum + Number(row.n), 0)).toBe(n);
    }

    // Offline: the uplink keeps failing, nothing has reached central, and the whole session waits.
    await until(() => statusOf(t).consecutiveFailures >= 3 && statusOf(t).backlog.readings === total, 10_000, 'the backlog to be counted while offline');
    expect(statusOf(t).ackedSeq).toBe(0);
    expect(Number((await db.query('select count(*) as n from raw_samples where hub_id = $1', [hubId])).rows[0].n)).toBe(0);

    proxy.heal();
    await until(() => statusOf(t).ackedSeq === total, 9 * MINUTE, 'the cursor to reach the last reading');

    // Exactly once: as many rows as readings, no (hub, stream, seq) twice, numbered 1..N. The hub
    // sends one stream, so distinct (hub, stream, seq) are its distinct seqs; count(distinct) sorts
    // a bigint column, where a hashed distinct over rows just COPYed (no statistics yet) crawls.
    const identity = await db.query<{ n: string; streams: string; distinct_n: string; first_seq: string; last_seq: string }>(
      `select count(*) as n, count(distinct stream) as streams, count(distinct seq) as distinct_n, min(seq) as first_seq, max(seq) as last_seq
       from raw_samples where hub_id = $1`,
      [hubId],
    );
    expect(identity.rows[0]).toEqual({ n: String(total), streams: '1', distinct_n: String(total), first_seq: '1', last_seq: String(total) });

    // Per stream and athlete (the hub's athlete ids, as central records where they came from).
    const centralRows = await db.query<{ athlete: string | null; stream: string; n: string }>(
      `select a.local_id as athlete, s.kind as stream, count(*) as n
       from raw_samples s left join athletes a on a.id = s.athlete_id
       where s.hub_id = $1 group by a.local_id, s.kind`,
      [hubId],
    );
    expect(countsBy(centralRows.rows)).toEqual(hubCounts);
    // Heart rate arrives with its RR intervals.
    const hr = await db.query<{ body: { bpm: number; rr: number[] } }>(`select body from raw_samples where hub_id = $1 and kind = 'hr' and jsonb_array_length(body -> 'rr') > 0 limit 1`, [hubId]);
    expect(hr.rows[0]?.body.rr.length).toBeGreaterThan(0);

    const sessions = await db.query<{ id: string; local_id: string; name: string; kind: string; started_at: Date; ended_at: Date | null }>(
      'select id, local_id, name, kind, started_at, ended_at from sessions where hub_id = $1',
      [hubId],
    );
    expect(sessions.rows).toEqual([expect.objectContaining({ local_id: sessionId, name: 'Tuesday training', kind: 'training', started_at: new Date(start), ended_at: new Date(end) })]);
    const drills = await db.query('select local_id, name, started_at, ended_at from drills where session_id = $1', [sessions.rows[0]!.id]);
    expect(drills.rows).toEqual([{ local_id: drillId, name: drill.name, started_at: new Date(drill.startedAt), ended_at: new Date(drill.endedAt) }]);

    // The hub's health report: connected, nothing waiting, no error left over.
    const health = await t.api<{ uplink: Active }>('GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.body.uplink).toMatchObject({ configured: true, hubId, ackedSeq: total, lastError: null, consecutiveFailures: 0, backlog: { readings: 0, oldestAt: null } });
  }, 12 * MINUTE);
});
