/**
 * An athlete's export and deletion against real PostgreSQL. After a deletion the test counts rows
 * in every table that has an athlete_id column (found in the catalog, so a table added later is
 * checked too), and checks that nobody else's data moved.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UplinkBatch, UplinkSession } from '../src/schemas/uplink.schema.ts';
import { athleteOf, buildWorld, type World } from './people-world.ts';
import { postBatch, startTestCentral, type TestCentral } from './test-central.ts';

interface Coded {
  code: string;
}
interface Ack {
  stream: string | null;
  ackedSeq: number;
  stored: number;
  duplicates: number;
  erased?: { athletes: string[]; readings: number; rpe: number };
}
interface Export {
  format: string;
  athlete: { id: string; name: string; hrMax: number };
  accounts: { userId: string }[];
  sessions: { sessionId: string; rpe: number; durationMin: number }[];
  sessionLoads: unknown[];
  dailyLoads: unknown[];
  workouts: { filename: string }[];
  samples: { t: number; kind: string; bpm: number; sensorId: string }[];
  accessLog: { actor: string; action: string }[];
}

const GPX = readFileSync(join(import.meta.dirname, '..', '..', 'core', 'test', 'fixtures', 'workouts', 'hand-run.gpx'));

describe('athlete export and deletion', () => {
  let t: TestCentral;
  let w: World;
  let db: pg.Client;

  beforeAll(async () => {
    t = await startTestCentral();
    w = await buildWorld(t);
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    const upload = await fetch(`${t.url}/api/athletes/${w.athletes.a1}/workouts?filename=hand-run.gpx`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.users.athlete.token}`, 'content-type': 'application/octet-stream' },
      body: GPX,
    });
    if (upload.status !== 200) throw new Error(`workout upload: ${upload.status} ${await upload.text()}`);
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  /** Rows per table that point at the athlete, over every table with an athlete_id column. */
  async function rowsAbout(athleteId: string): Promise<Record<string, number>> {
    const tables = (
      await db.query(`select c.table_name from information_schema.columns c join pg_class k on k.relname = c.table_name
                      where c.table_schema = 'public' and c.column_name = 'athlete_id' and not k.relispartition order by 1`)
    ).rows.map((r) => r.table_name as string);
    expect(tables).toContain('raw_samples');
    const counts: Record<string, number> = {};
    for (const table of tables) counts[table] = Number((await db.query(`select count(*) as n from ${table} where athlete_id = $1`, [athleteId])).rows[0].n);
    counts.athletes = Number((await db.query('select count(*) as n from athletes where id = $1', [athleteId])).rows[0].n);
    return counts;
  }

  it('exports everything about an athlete to the athlete themself, and audits it', async () => {
    const res = await t.api<Export>('GET', `/api/athletes/${w.athletes.a1}/export`, undefined, w.users.athlete.token);
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.format).toBe('touchline-athlete-export/1');
    expect(doc.athlete).toMatchObject({ id: w.athletes.a1, name: 'Ada', hrMax: 195 });
    expect(doc.accounts).toEqual([{ userId: w.users.athlete.id, email: w.users.athlete.email, name: 'athlete', grantId: expect.any(String) }]);
    // Sessions s0 (RPE 4) and s1 (RPE 6), oldest first, as the hub sent them.
    expect(doc.sessions.map((s) => [s.sessionId, s.rpe, s.durationMin])).toEqual([
      [w.sessions.roversOld, 4, 60],
      [w.sessions.rovers, 6, 60],
    ]);
    // 30 heart-rate readings, one a second from t0 + 2 min, 150..154 bpm repeating.
    expect(doc.samples).toHaveLength(w.readings.a1);
    expect(doc.samples.every((s) => s.kind === 'hr' && s.sensorId === 'strap-1')).toBe(true);
    expect(doc.samples.map((s) => s.t)).toEqual(Array.from({ length: 30 }, (_, i) => w.t0 + 120_000 + i * 1000));
    expect(doc.samples.map((s) => s.bpm)).toEqual(Array.from({ length: 30 }, (_, i) => 150 + (i % 5)));
    expect(doc.workouts.map((x) => x.filename)).toEqual(['hand-run.gpx']);
    expect(doc.sessionLoads.length).toBeGreaterThan(0);
    expect(doc.dailyLoads.length).toBeGreaterThan(0);
    expect(doc.accessLog.some((e) => e.action === 'health.read')).toBe(true);

    const audited = (await db.query(`select actor, detail from audit_log where action = 'health.read' and target = $1 and detail->>'purpose' = 'export'`, [w.athletes.a1])).rows;
    expect(audited).toEqual([{ actor: `user:${w.users.athlete.email}`, detail: { purpose: 'export' } }]);

    const other = await t.api<Coded>('GET', `/api/athletes/${w.athletes.a2}/export`, undefined, w.users.athlete.token);
    expect(other.status).toBe(404);
  });

  it("audits each athlete's data a read shows, and only theirs", async () => {
    const coach = w.users.coachA;
    const reads = async () =>
      (await db.query(`select target, detail->>'purpose' as purpose from audit_log where action = 'health.read' and actor = $1 order by id`, [`user:${coach.email}`])).rows;
    expect(await reads()).toEqual([]);
    expect((await t.api('GET', `/api/sessions/${w.sessions.rovers}`, undefined, coach.token)).status).toBe(200);
    expect(await reads()).toEqual([{ target: w.athletes.a1, purpose: 'session' }]);
    expect((await t.api('GET', `/api/athletes/${w.athletes.a1}/readings?kind=hr&from=0&to=4102444800000`, undefined, coach.token)).status).toBe(200);
    expect((await t.api('GET', `/api/athletes/${w.athletes.a1}/readings/counts`, undefined, coach.token)).status).toBe(200);
    // Refused reads are not reads.
    expect((await t.api('GET', `/api/athletes/${w.athletes.a2}/readings/counts`, undefined, coach.token)).status).toBe(404);
    expect((await reads()).slice(1)).toEqual([
      { target: w.athletes.a1, purpose: 'readings' },
      { target: w.athletes.a1, purpose: 'reading-counts' },
    ]);
  });

  it('deletes the athlete and everything about them in one go, and nothing of anyone else', async () => {
    const before = await rowsAbout(w.athletes.a1);
    expect(before).toMatchObject({ raw_samples: w.readings.a1, session_rpe: 2, user_roles: 1, workouts: 1, athletes: 1 });
    const othersBefore = { a2: await rowsAbout(w.athletes.a2), b1: await rowsAbout(w.athletes.b1) };
    const unpaired = async () => Number((await db.query('select count(*) as n from raw_samples where athlete_id is null')).rows[0].n);
    expect(await unpaired()).toBe(w.readings.unpaired);

    const res = await t.api<{ athleteId: string; deleted: Record<string, number>; usersLeftWithoutGrants: string[] }>('DELETE', `/api/athletes/${w.athletes.a1}`);
    expect(res.status).toBe(200);
    expect(res.body.deleted).toMatchObject({ raw_samples: w.readings.a1, session_rpe: 2, user_roles: 1, workouts: 1, athletes: 1 });
    expect(res.body.usersLeftWithoutGrants).toEqual([w.users.athlete.id]);

    const after = await rowsAbout(w.athletes.a1);
    expect(Object.values(after).every((n) => n === 0), JSON.stringify(after)).toBe(true);
    expect(await rowsAbout(w.athletes.a2)).toEqual(othersBefore.a2);
    expect(await rowsAbout(w.athletes.b1)).toEqual(othersBefore.b1);
    expect(await unpaired()).toBe(w.readings.unpaired);

    // The uplink ledger still matches what is stored for each hub stream.
    const ledger = (await db.query(`select u.hub_id, u.rows_stored, (select count(*) from raw_samples r where r.hub_id = u.hub_id and r.stream = u.stream) as actual from uplink_streams u order by 1`)).rows;
    for (const row of ledger) expect(Number(row.rows_stored)).toBe(Number(row.actual));
    expect(Number(ledger.find((r) => r.hub_id === w.hubs.rovers)!.rows_stored)).toBe(w.readings.a2 + w.readings.unpaired);

    const audit = (await db.query(`select actor, detail from audit_log where action = 'athlete.delete' and target = $1`, [w.athletes.a1])).rows;
    expect(audit).toHaveLength(1);
    expect(audit[0].actor).toBe('user:admin@example.org');
    expect(audit[0].detail.deleted.raw_samples).toBe(w.readings.a1);

    // The athlete's own user now sees nothing; the athlete is gone for everyone.
    expect((await t.api<unknown[]>('GET', '/api/athletes', undefined, w.users.athlete.token)).body).toEqual([]);
    expect((await t.api<Coded>('GET', `/api/athletes/${w.athletes.a1}/export`)).status).toBe(404);
    expect((await t.api<Coded>('DELETE', `/api/athletes/${w.athletes.a1}`)).status).toBe(404);
  });

  it('keeps the erasure when the hub, which still holds the athlete, uploads them again', async () => {
    // The Rovers hub knows nothing of the deletion: Ada is still on its disk, so its next batches
    // declare her, carry her strap's readings (seq 56 on; the world's batch ended at 55) and her
    // RPE in a changed session, as hub/src/uplink/batch-builder.ts builds them.
    const onHub = async (localId: string) => Number((await db.query('select count(*) as n from athletes where hub_id = $1 and local_id = $2', [w.hubs.rovers, localId])).rows[0].n);
    const strapRows = async (sensorId: string) => Number((await db.query('select count(*) as n from raw_samples where hub_id = $1 and sensor_id = $2', [w.hubs.rovers, sensorId])).rows[0].n);
    const unpaired = async () => Number((await db.query('select count(*) as n from raw_samples where athlete_id is null')).rows[0].n);
    const later = w.t0 + 600_000;
    const hr = (n: number, bpm: number) => Array.from({ length: n }, (_, i) => ({ t: later + i * 1000, bpm, rr: [] }));
    const session = (rpe: { athleteId: string; rpe: number }[]): UplinkSession => ({
      id: 's1',
      name: 'Session s1, renamed',
      kind: 'training',
      startedAt: w.t0,
      endedAt: w.t0 + 3600_000,
      notes: '',
      drills: [],
      rpe: rpe.map((r) => ({ ...r, durationMin: 60, enteredAt: w.t0 + 3800_000 })),
    });
    const batch: UplinkBatch = {
      hubId: w.hubs.rovers,
      clubId: w.clubs.rovers,
      athletes: [athleteOf('a1', 'Ada', 7), athleteOf('a2', 'Bea', 8)],
      sessions: [session([{ athleteId: 'a1', rpe: 8 }, { athleteId: 'a2', rpe: 7 }])],
      samples: {
        stream: 'samples:1',
        fromSeq: 56,
        toSeq: 75,
        groups: [
          { firstSeq: 56, sensorId: 'strap-1', athleteId: 'a1', kind: 'hr', readings: hr(10, 160) },
          { firstSeq: 66, sensorId: 'strap-2', athleteId: 'a2', kind: 'hr', readings: hr(10, 145) },
        ],
      },
    };
    const a2Before = (await rowsAbout(w.athletes.a2)).raw_samples!;
    const unpairedBefore = await unpaired();

    const res = await postBatch<Ack>(t.url, w.credentials.rovers, batch);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // Ada is not back: no athlete row, none of her new readings (attributed or not).
    expect(await onHub('a1')).toBe(0);
    expect(await strapRows('strap-1')).toBe(0);
    expect(await unpaired()).toBe(unpairedBefore);
    // Acknowledged as usual (the hub's cursor must move on), with Ada's part left out and told.
    expect(res.body).toEqual({ stream: 'samples:1', ackedSeq: 75, stored: 10, duplicates: 0, erased: { athletes: ['a1'], readings: 10, rpe: 1 } });
    // A retry of the same batch stores nothing, and still drops Ada's part.
    const again = await postBatch<Ack>(t.url, w.credentials.rovers, batch);
    expect(again.body).toEqual({ stream: 'samples:1', ackedSeq: 75, stored: 0, duplicates: 10, erased: { athletes: ['a1'], readings: 10, rpe: 1 } });
    // A batch with only the session, naming Ada in its RPE without declaring her, is not refused
    // (a refusal would be retried for ever).
    const rpeOnly = await postBatch<Ack>(t.url, w.credentials.rovers, { ...batch, athletes: [athleteOf('a2', 'Bea', 8)], samples: null });
    expect(rpeOnly.status, JSON.stringify(rpeOnly.body)).toBe(200);
    expect(rpeOnly.body).toEqual({ stream: null, ackedSeq: 0, stored: 0, duplicates: 0, erased: { athletes: ['a1'], readings: 0, rpe: 1 } });
    await t.central.aggregates.settle();

    // Still not back after all three batches and the aggregates they set off; no RPE of hers.
    expect(await onHub('a1')).toBe(0);
    expect(await onHub('a2')).toBe(1);
    expect(await strapRows('strap-1')).toBe(0);
    expect(await unpaired()).toBe(unpairedBefore);
    expect((await rowsAbout(w.athletes.a2)).raw_samples).toBe(a2Before + 10);
    const rpe = (await db.query('select athlete_id, rpe from session_rpe where session_id = $1', [w.sessions.rovers])).rows;
    expect(rpe).toEqual([{ athlete_id: w.athletes.a2, rpe: 7 }]);
    const loads = (await db.query('select distinct athlete_id from session_athlete_loads where session_id = $1', [w.sessions.rovers])).rows;
    expect(loads).toEqual([{ athlete_id: w.athletes.a2 }]);
    expect((await t.api<{ hubId: string; localId: string }[]>('GET', '/api/athletes')).body.filter((a) => a.hubId === w.hubs.rovers).map((a) => a.localId)).toEqual(['a2']);

    // The ledger counts only what is stored.
    const ledger = (await db.query(`select rows_stored, (select count(*) from raw_samples r where r.hub_id = u.hub_id and r.stream = u.stream) as actual from uplink_streams u where hub_id = $1`, [w.hubs.rovers])).rows;
    expect(ledger.map((r) => [Number(r.rows_stored), Number(r.actual)])).toEqual([[a2Before + 10 + w.readings.unpaired, a2Before + 10 + w.readings.unpaired]]);

    // Another hub's athlete with the same local id is untouched by Ada's erasure.
    const united = await postBatch<Ack>(t.url, w.credentials.united, {
      hubId: w.hubs.united,
      clubId: w.clubs.united,
      athletes: [athleteOf('a1', 'Dora', 3)],
      sessions: [],
      samples: { stream: 'samples:1', fromSeq: 11, toSeq: 12, groups: [{ firstSeq: 11, sensorId: 'strap-1', athleteId: 'a1', kind: 'hr', readings: hr(2, 150) }] },
    });
    expect(united.body).toEqual({ stream: 'samples:1', ackedSeq: 12, stored: 2, duplicates: 0 });
    expect(Number((await db.query(`select count(*) as n from athletes where hub_id = $1 and local_id = 'a1'`, [w.hubs.united])).rows[0].n)).toBe(1);
  });
});
