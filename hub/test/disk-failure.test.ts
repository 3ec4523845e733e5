/**
 * A disk that refuses writes (a full card, a card gone read-only) stops the recording, not the
 * hub: live screens go on, readings wait in memory for the disk up to store.maxPendingReadings,
 * and club IT is told. SQLite is made to refuse by pinning the database's size
 * (`PRAGMA max_page_count`), which answers every insert that needs a new page with SQLITE_FULL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { HrReading } from '../src/ingest/ingest-contract.ts';
import { SQUAD_MEMBER, startTestHub, until, type TestHub } from './test-hub.ts';

const MAX_PENDING = 1000;

interface Health {
  warnings: string[];
  ingest: { readings: number };
  store: { pendingRows: number; commitFailures: number; lastCommitError: string | null; answeringUnwritten: boolean; discardedWhileFailing: number };
}

describe('a disk that refuses writes', () => {
  let t: TestHub;
  let athleteId: string;
  let device: MqttClient;

  beforeAll(async () => {
    t = await startTestHub({ store: { maxPendingReadings: MAX_PENDING }, mqtt: { maxMessagesPerSecondPerClient: 100_000 } });
    athleteId = (await t.api<{ id: string }>('POST', '/api/athletes', SQUAD_MEMBER)).body.id;
    await t.api('PUT', '/api/sensors/strap-df/pairing', { athleteId });
    const credential = (await t.api<{ username: string; password: string }>('POST', '/api/device-credentials', { sensorIds: ['strap-df'], label: 'strap' })).body;
    device = await t.connectDevice({ ...credential, clientId: 'strap-df' });
  });
  afterAll(() => t.stop());

  const health = async () => (await t.api<Health>('GET', '/api/health')).body;
  const liveBpm = async () => {
    const live = await t.api<{ athletes: { id: string; hr: { bpm: number } | null }[] }>('GET', '/api/live');
    return live.body.athletes.find((a) => a.id === athleteId)?.hr?.bpm;
  };

  it('holds answers for a few seconds, then keeps devices and the live screen going, holds at most store.maxPendingReadings for the disk, warns, and writes what it holds once the disk takes it again', async () => {
    const t0 = Date.now() - 3_600_000;
    const bpms = Array.from({ length: 3000 }, (_, i) => 60 + ((i * 7) % 120));
    const message = (i: number) => JSON.stringify({ t: t0 + i * 1000, bpm: bpms[i] });
    const publish = async (from: number, to: number) => {
      for (let i = from; i < to; i += 250) {
        await Promise.all(Array.from({ length: Math.min(250, to - i) }, (_, k) => device.publishAsync('touchline/v1/sensors/strap-df/hr', message(i + k), { qos: 0 })));
      }
    };
    const readingsBefore = (await health()).ingest.readings;
    const committedBefore = t.hub.samples.stats().committedRows;
    let expected: number[] | undefined;
    const { page_count: pages } = t.hub.store.sqlite.prepare('PRAGMA page_count').get() as { page_count: number };
    t.hub.store.sqlite.exec(`PRAGMA max_page_count = ${pages}`);
    try {
      await publish(0, 300);
      await until(async () => (await health()).store.commitFailures > 0, 5000, 'a refused commit');
      const writtenBefore = t.hub.samples.stats().committedRows - committedBefore;

      // A passing failure loses nothing a device was told is stored: its PUBACK waits...
      let acked = false;
      device.publish('touchline/v1/sensors/strap-df/hr', message(300), { qos: 1 }, (err) => (acked = !err));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(acked).toBe(false);
      expect((await health()).store.answeringUnwritten).toBe(false);
      // ...but a failure that lasts stops holding devices up (the hold is 5 s).
      await until(() => acked, 10_000, 'the PUBACK once the hub stops holding devices up');
      const during = await health();
      expect(during.store.answeringUnwritten).toBe(true);
      expect(during.warnings.some((w) => w.startsWith('Readings cannot be written to the store') && w.includes('devices are no longer held up'))).toBe(true);

      await publish(301, bpms.length);
      await until(async () => (await health()).ingest.readings === readingsBefore + bpms.length, 10_000, 'every reading taken in');
      // Live goes on: the screen shows the last reading, though none after the failure is stored.
      await until(async () => (await liveBpm()) === bpms.at(-1), 5000, 'the last reading on the live screen');
      const report = await health();
      expect(report.store.lastCommitError).toMatch(/full/i);
      expect(t.hub.samples.stats().committedRows - committedBefore).toBe(writtenBefore);
      const waiting = report.store.pendingRows;
      expect(waiting).toBeLessThanOrEqual(MAX_PENDING);
      expect(waiting).toBeGreaterThanOrEqual(MAX_PENDING * 0.9);
      expect(report.store.discardedWhileFailing).toBe(bpms.length - writtenBefore - waiting);
      expect(report.warnings.some((w) => w.startsWith(`${report.store.discardedWhileFailing} readings were given up`))).toBe(true);

      // Once the disk takes them again: what was written before the failure, then the newest
      // readings that waited; the oldest waiting ones were given up.
      expected = [...bpms.slice(0, writtenBefore), ...bpms.slice(bpms.length - waiting)];
    } finally {
      t.hub.store.sqlite.exec('PRAGMA max_page_count = 1073741823');
    }
    await until(async () => (await health()).store.pendingRows === 0, 5000, 'the waiting readings written');
    const after = await health();
    expect(after.store.lastCommitError).toBeNull();
    expect(after.store.answeringUnwritten).toBe(false);
    const stored = t.hub.samples.readSensor('strap-df', 'hr', t0, t0 + bpms.length * 1000).map((s) => (s.reading as HrReading).bpm);
    expect(stored).toEqual(expected);
  });
});
