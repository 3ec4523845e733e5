/**
 * QoS 1 acknowledgements: a PUBACK means the reading is on disk, and a device's next message is
 * read and shown live while the previous one still waits for its group commit. The group commit is held back deterministically by holding SQLite's
 * write lock from a second connection, as the store's maintenance thread does during a compaction.
 */
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { SQUAD_MEMBER, startTestHub, until, type TestHub } from './test-hub.ts';

describe('QoS 1 acknowledgements', () => {
  let t: TestHub;
  let athleteId: string;
  let credential: { username: string; password: string };

  beforeAll(async () => {
    t = await startTestHub({ store: { commitIntervalMs: 5 } });
    athleteId = (await t.api<{ id: string }>('POST', '/api/athletes', SQUAD_MEMBER)).body.id;
    await t.api('PUT', '/api/sensors/strap-ack/pairing', { athleteId });
    credential = (await t.api<{ username: string; password: string }>('POST', '/api/device-credentials', { sensorIds: ['strap-ack'], label: 'strap' })).body;
  });
  afterAll(() => t.stop());

  const liveBpm = async () => {
    const live = await t.api<{ athletes: { id: string; hr: { bpm: number } | null }[] }>('GET', '/api/live');
    return live.body.athletes.find((a) => a.id === athleteId)?.hr?.bpm;
  };

  /** Publishes at QoS 1 and records the label when its PUBACK arrives. */
  const publish = (device: MqttClient, acked: string[], label: string, payload: string) =>
    device.publish('touchline/v1/sensors/strap-ack/hr', payload, { qos: 1 }, (err) => {
      if (!err) acked.push(label);
    });

  /** Holds the database's write lock, so no group commit can land until `release`. */
  const holdWriteLock = () => {
    const other = new DatabaseSync(join(t.dataDir, 'hub.sqlite'));
    other.exec('begin immediate');
    return () => {
      other.exec('commit');
      other.close();
    };
  };

  it('shows a device’s next message live while the last one waits to be stored, and acknowledges both only once on disk', async () => {
    const device = await t.connectDevice({ ...credential, clientId: 'strap-ack-1' });
    const acked: string[] = [];
    const committedBefore = t.hub.samples.stats().committedRows;
    const release = holdWriteLock();
    try {
      const now = Date.now();
      publish(device, acked, 'first', JSON.stringify({ t: now, bpm: 121 }));
      await until(async () => (await liveBpm()) === 121, 5000, 'the first reading on the live screen');
      publish(device, acked, 'second', JSON.stringify({ t: now + 1000, bpm: 142 }));
      // A broker that read a connection's next packet only after acknowledging the last one would
      // never show this second reading while the commit is held back.
      await until(async () => (await liveBpm()) === 142, 5000, 'the second reading on the live screen');
      expect(acked).toEqual([]);
      expect(t.hub.samples.stats().committedRows).toBe(committedBefore);
    } finally {
      release();
    }
    await until(() => acked.length === 2, 5000, 'both PUBACKs');
    expect(acked).toEqual(['first', 'second']);
    expect(t.hub.samples.stats().committedRows).toBe(committedBefore + 2);
  });

  it('answers a rejected message only after the good ones before it, in the order they arrived', async () => {
    const device = await t.connectDevice({ ...credential, clientId: 'strap-ack-2' });
    const acked: string[] = [];
    const rejectsBefore = (await t.api<{ ingest: { rejects: { total: number } } }>('GET', '/api/health')).body.ingest.rejects.total;
    const release = holdWriteLock();
    try {
      publish(device, acked, 'good', JSON.stringify({ t: Date.now(), bpm: 130 }));
      publish(device, acked, 'bad', '{"t": "not a time", "bpm": 130}');
      await until(async () => (await t.api<{ ingest: { rejects: { total: number } } }>('GET', '/api/health')).body.ingest.rejects.total > rejectsBefore, 5000, 'the bad message counted');
      // MQTT 3.1.1 §4.6: the bad message needs no commit, but its PUBACK may not overtake the good one's.
      expect(acked).toEqual([]);
    } finally {
      release();
    }
    await until(() => acked.length === 2, 5000, 'both PUBACKs');
    expect(acked).toEqual(['good', 'bad']);
  });
});
