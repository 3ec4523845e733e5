/**
 * The sample store on a real SQLite file: compaction runs on its own thread and connection while
 * group commits go on, and every reading ends up stored exactly once, in blocks, readable back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type OpenedStore } from '../src/store/database.ts';
import { SampleStore } from '../src/store/sample-store.ts';
import type { HrReading, ImuReading } from '../src/ingest/ingest-contract.ts';

const dirs: string[] = [];
const opened: OpenedStore[] = [];

async function openStore(options: { maxInboxRows?: number; blockSeconds?: number; maxPendingRows?: number; holdAnswersMs?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'touchline-store-'));
  dirs.push(dir);
  const store = await openDatabase(join(dir, 'hub.sqlite'));
  opened.push(store);
  const samples = new SampleStore(store.sqlite, store.path, { commitIntervalMs: 2, blockSeconds: options.blockSeconds ?? 3600, maxDiskBytes: 1e12, ...options });
  return { store, samples };
}

afterEach(async () => {
  for (const store of opened.splice(0)) await store.db.destroy();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const durable = (samples: SampleStore, sensorId: string, athleteId: string, readings: (HrReading | ImuReading)[]) =>
  new Promise<void>((resolve) => samples.append(sensorId, athleteId, readings, resolve));

const count = (store: OpenedStore, table: 'sample_inbox' | 'sample_blocks', column = 'count(*)') =>
  (store.sqlite.prepare(`select ${column} as n from ${table}`).get() as { n: number | null }).n ?? 0;

const T0 = 1_700_000_000_000;

/** `n` heart-rate readings a second apart, the first `first` seconds after T0. */
const hrSeries = (n: number, first = 0) =>
  Array.from({ length: n }, (_, k): HrReading => ({ stream: 'hr', t: T0 + (first + k) * 1000, bpm: 60 + ((first + k) % 120), rr: [] }));

/** Athlete a1's stored heart rates, in time order. */
const storedBpms = (samples: SampleStore) => samples.readAthlete('a1', 'hr', T0, T0 + 1e7).map((s) => (s.reading as HrReading).bpm);

/**
 * Pins the database at its size: SQLite then answers every insert that needs a new page with
 * SQLITE_FULL, as on a full card. Returns what lifts the pin.
 */
function refuseGrowth(store: OpenedStore): () => void {
  const { page_count: pages } = store.sqlite.prepare('PRAGMA page_count').get() as { page_count: number };
  store.sqlite.exec(`PRAGMA max_page_count = ${pages}`);
  return () => store.sqlite.exec('PRAGMA max_page_count = 1073741823');
}

describe('sample store', () => {
  it('keeps every reading exactly once while compactions run alongside the group commits', async () => {
    const { store, samples } = await openStore({ maxInboxRows: 3000 });
    const athletes = Array.from({ length: 30 }, (_, i) => `athlete-${i}`);
    const t0 = 1_700_000_000_000;
    const expected = new Map<string, number[]>();
    // 30 pods × 400 IMU readings arriving in rounds; halfway a compaction starts and the later
    // rounds are committed while it runs (and early ones start whenever the inbox passes 3000).
    let halfway: Promise<void> | undefined;
    await samples.compact(); // starts the maintenance thread, so the compactions below overlap the rounds
    for (let round = 0; round < 40; round++) {
      if (round === 20) halfway = samples.compact();
      const commits: Promise<void>[] = [];
      for (const [i, athlete] of athletes.entries()) {
        const readings: ImuReading[] = Array.from({ length: 10 }, (_, k) => ({ stream: 'imu', t: t0 + (round * 10 + k) * 100, playerLoad: (i + 1) * 0.001 + k * 1e-4 }));
        const list = expected.get(athlete) ?? [];
        list.push(...readings.map((r) => r.t));
        expected.set(athlete, list);
        commits.push(durable(samples, `pod-${i}`, athlete, readings));
      }
      await Promise.all(commits);
    }
    await halfway;
    await samples.compact();

    expect(samples.stats().lastCompaction).not.toBeNull();
    expect(count(store, 'sample_inbox')).toBe(0);
    expect(count(store, 'sample_blocks', 'sum(n)')).toBe(30 * 400);
    // At least two compactions found readings (each writes one block per sensor).
    expect(count(store, 'sample_blocks')).toBeGreaterThan(30);
    for (const [i, athlete] of athletes.entries()) {
      const stored = samples.readAthlete(athlete, 'imu', t0, t0 + 1e7);
      expect(stored.map((s) => s.reading.t)).toEqual(expected.get(athlete));
      // PlayerLoad is stored at 1e-4 AU resolution (sample-codec.ts).
      expect((stored[0]!.reading as ImuReading).playerLoad).toBeCloseTo((i + 1) * 0.001, 4);
      expect(stored.every((s) => s.sensorId === `pod-${i}`)).toBe(true);
    }
    await samples.close();
  });

  it('holds acknowledgements, without blocking the event loop, while another connection holds the write lock', async () => {
    const { store, samples } = await openStore();
    const other = new DatabaseSync(store.path);
    other.exec('begin immediate');
    let durable = false;
    samples.append('strap-1', 'a1', [{ stream: 'hr', t: 1_700_000_000_000, bpm: 120, rr: [] }], () => (durable = true));
    // Timers keep firing meanwhile: the commit retries instead of sleeping in SQLite's busy handler.
    const ticks = await new Promise<number>((resolve) => {
      let n = 0;
      const timer = setInterval(() => {
        if (++n === 20) {
          clearInterval(timer);
          resolve(n);
        }
      }, 5);
    });
    expect(ticks).toBe(20);
    expect(durable).toBe(false);
    expect(samples.stats().pendingRows).toBe(1);
    other.exec('commit');
    other.close();
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (durable) {
          clearInterval(check);
          resolve();
        }
      }, 2);
    });
    expect(count(store, 'sample_inbox')).toBe(1);
    await samples.close();
  });

  it('reads readings still in the inbox together with compacted ones, in time order', async () => {
    const { samples } = await openStore();
    const t0 = 1_700_000_000_000;
    await durable(samples, 'strap-1', 'a1', [{ stream: 'hr', t: t0, bpm: 120, rr: [500] }]);
    await samples.compact();
    await durable(samples, 'strap-1', 'a1', [{ stream: 'hr', t: t0 + 1000, bpm: 125, rr: [480, 482] }]);
    expect(samples.stats().inboxRows).toBe(1);
    const stored = samples.readAthlete('a1', 'hr', t0, t0 + 1000).map((s) => s.reading);
    expect(stored).toEqual([
      { stream: 'hr', t: t0, bpm: 120, rr: [500] },
      { stream: 'hr', t: t0 + 1000, bpm: 125, rr: [480, 482] },
    ]);
    await samples.close();
  });

  it('compacts what a crash left in the inbox when it opens, and what is pending when it closes', async () => {
    const first = await openStore();
    const t0 = 1_700_000_000_000;
    await durable(first.samples, 'strap-1', 'a1', [{ stream: 'hr', t: t0, bpm: 100, rr: [] }]);
    // No close(): the process "dies" with the reading in the inbox.
    expect(count(first.store, 'sample_inbox')).toBe(1);
    const again = new SampleStore(first.store.sqlite, first.store.path, { commitIntervalMs: 2, blockSeconds: 3600, maxDiskBytes: 1e12 });
    expect(count(first.store, 'sample_inbox')).toBe(0);
    expect(count(first.store, 'sample_blocks', 'sum(n)')).toBe(1);
    again.append('strap-1', 'a1', [{ stream: 'hr', t: t0 + 1000, bpm: 101, rr: [] }]);
    await again.close();
    expect(count(first.store, 'sample_inbox')).toBe(0);
    expect(count(first.store, 'sample_blocks', 'sum(n)')).toBe(2);
    expect(again.readAthlete('a1', 'hr', t0, t0 + 1000).map((s) => (s.reading as HrReading).bpm)).toEqual([100, 101]);
  });

  it('reads each reading once when a crash came between writing the blocks and deleting their inbox rows', async () => {
    const { store, samples } = await openStore();
    const readings = hrSeries(5000);
    await durable(samples, 'strap-1', 'a1', readings);
    // Keep the inbox rows, compact, then put them back: the state a crash leaves after the blocks'
    // commit and before the (chunked) deletes.
    store.sqlite.exec('create table inbox_copy as select * from sample_inbox');
    await samples.compact();
    expect(count(store, 'sample_inbox')).toBe(0);
    store.sqlite.exec('insert into sample_inbox select * from inbox_copy');
    expect(count(store, 'sample_inbox')).toBe(5000);

    expect(storedBpms(samples)).toEqual(readings.map((r) => r.bpm));
    // The next run deletes the leftovers in chunks and writes no second copy of them.
    await samples.compact();
    expect(count(store, 'sample_inbox')).toBe(0);
    expect(count(store, 'sample_blocks', 'sum(n)')).toBe(5000);
    await samples.close();
  });

  it('keeps readings unacknowledged in memory while the disk refuses them, and writes them once it takes them again', async () => {
    const { store, samples } = await openStore();
    await durable(samples, 'strap-1', 'a1', [{ stream: 'hr', t: T0, bpm: 100, rr: [] }]);
    const lift = refuseGrowth(store);
    const readings = hrSeries(3000, 1);
    let stored = false;
    samples.append('strap-1', 'a1', readings, () => (stored = true));
    await vi.waitFor(() => expect(samples.stats().commitFailures).toBeGreaterThan(0), { timeout: 5000 });
    expect(samples.stats().lastCommitError).toMatch(/full/i);
    expect(samples.stats().pendingRows).toBe(3000);
    expect(stored).toBe(false);
    expect(count(store, 'sample_inbox')).toBe(1);
    // Reads go on with what is stored.
    expect(storedBpms(samples)).toEqual([100]);

    lift();
    // The next try, a second later, writes them and only then acknowledges them.
    await vi.waitFor(() => expect(stored).toBe(true), { timeout: 5000 });
    expect(samples.stats().pendingRows).toBe(0);
    expect(samples.stats().lastCommitError).toBeNull();
    expect(storedBpms(samples)).toEqual([100, ...readings.map((r) => r.bpm)]);
    await samples.close();
  });

  it('holds at most maxPendingRows for a disk that refuses them, giving up the oldest and answering whoever waited only for those', async () => {
    const { store, samples } = await openStore({ maxPendingRows: 1000, holdAnswersMs: 60_000 });
    await durable(samples, 'strap-1', 'a1', [{ stream: 'hr', t: T0, bpm: 100, rr: [] }]);
    const lift = refuseGrowth(store);
    const [a, b, c] = [hrSeries(600, 1), hrSeries(600, 601), hrSeries(600, 1201)];
    const answered: string[] = [];
    samples.append('strap-1', 'a1', a, () => answered.push('a'));
    await vi.waitFor(() => expect(samples.stats().commitFailures).toBeGreaterThan(0), { timeout: 5000 });
    // 1 200 waiting: down to 900, which gives up a's oldest 300; a still has readings waiting.
    samples.append('strap-1', 'a1', b, () => answered.push('b'));
    expect(samples.stats()).toMatchObject({ pendingRows: 900, discardedWhileFailing: 300 });
    expect(answered).toEqual([]);
    // 1 500 waiting: down to 900 again, the rest of a and b's oldest 300. Only a is answered.
    samples.append('strap-1', 'a1', c, () => answered.push('c'));
    expect(samples.stats()).toMatchObject({ pendingRows: 900, discardedWhileFailing: 900, answeringUnwritten: false });
    expect(answered).toEqual(['a']);

    lift();
    await vi.waitFor(() => expect(answered).toEqual(['a', 'b', 'c']), { timeout: 5000 });
    expect(storedBpms(samples)).toEqual([100, ...[...b.slice(300), ...c].map((r) => r.bpm)]);
    await samples.close();
  });

  it('drops a damaged inbox row instead of failing every read and compaction that meets it', async () => {
    const { store, samples } = await openStore();
    const readings = hrSeries(100);
    await durable(samples, 'strap-1', 'a1', readings);
    // One body is no longer the JSON the hub wrote, as a damaged page on a worn card would leave it.
    store.sqlite.exec(`update sample_inbox set body = '{"bpm": 1' where t = ${readings[49]!.t}`);
    const intact = readings.filter((_, i) => i !== 49).map((r) => r.bpm);
    expect(storedBpms(samples)).toEqual(intact);

    await samples.compact();
    expect(samples.stats()).toMatchObject({ maintenanceFailures: 0, undecodableRows: 1, blocksWritten: 1, inboxRows: 0 });
    expect(count(store, 'sample_inbox')).toBe(0);
    expect(count(store, 'sample_blocks', 'sum(n)')).toBe(99);
    expect(storedBpms(samples)).toEqual(intact);
    await samples.close();
  });

  it('counts and reports a compaction that fails, keeps its readings in the inbox, and compacts them once the cause is gone', async () => {
    const { store, samples } = await openStore();
    const readings = hrSeries(100);
    const bpms = readings.map((r) => r.bpm);
    await durable(samples, 'strap-1', 'a1', readings);
    store.sqlite.exec("create trigger refuse_blocks before insert on sample_blocks begin select raise(abort, 'blocks refused for the test'); end");

    await samples.compact();
    expect(samples.stats()).toMatchObject({ maintenanceFailures: 1, blocksWritten: 0, inboxRows: 100 });
    expect(samples.stats().lastMaintenanceError).toBe('compact: blocks refused for the test');
    expect(count(store, 'sample_inbox')).toBe(100);
    expect(storedBpms(samples)).toEqual(bpms);

    store.sqlite.exec('drop trigger refuse_blocks');
    await samples.compact();
    expect(samples.stats()).toMatchObject({ maintenanceFailures: 1, blocksWritten: 1, inboxRows: 0 });
    expect(count(store, 'sample_inbox')).toBe(0);
    expect(storedBpms(samples)).toEqual(bpms);
    await samples.close();
  });
});
