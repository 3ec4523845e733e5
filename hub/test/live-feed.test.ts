import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { MqttClient } from 'mqtt';
import { LiveFeed, type LiveSource } from '../src/live/live-feed.ts';
import { SQUAD_MEMBER, startTestHub, until, type TestHub } from './test-hub.ts';

interface Frame {
  type: string;
  sentAt: number;
  athletes?: { id: string; t: number; hr: { bpm: number } }[];
}

describe('live WebSocket feed against a real hub', () => {
  let t: TestHub;
  let device: MqttClient;
  let athleteId: string;

  beforeAll(async () => {
    t = await startTestHub();
    athleteId = (await t.api<{ id: string }>('POST', '/api/athletes', SQUAD_MEMBER)).body.id;
    const credential = await t.api<{ username: string; password: string }>('POST', '/api/device-credentials', { sensorIds: ['strap-live'] });
    await t.api('PUT', '/api/sensors/strap-live/pairing', { athleteId });
    device = await t.connectDevice({ username: credential.body.username, password: credential.body.password });
  });
  afterAll(() => t.stop());

  it('refuses a socket without a token', async () => {
    const ws = new WebSocket(`${t.httpUrl.replace('http', 'ws')}/api/live/ws`);
    const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(401);
  });

  it('sends a snapshot, then coalesced updates at most 4 per second per athlete, each with sample and send time', async () => {
    const ws = new WebSocket(`${t.httpUrl.replace('http', 'ws')}/api/live/ws?token=${t.adminToken}`);
    const frames: Frame[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as Frame));
    await until(() => frames.length > 0, 5000, 'snapshot');
    expect(frames[0]!.type).toBe('snapshot');

    // 40 readings in about 1 s: 10 times the per-athlete rate limit of 4 updates/s.
    const t0 = Date.now() - 5000;
    for (let i = 0; i < 40; i++) {
      await device.publishAsync('touchline/v1/sensors/strap-live/hr', JSON.stringify({ t: t0 + i * 25, bpm: 100 + i }), { qos: 1 });
      await new Promise((r) => setTimeout(r, 25));
    }
    await until(() => frames.some((f) => f.athletes?.some((a) => a.hr.bpm === 139)), 5000, 'the last reading');

    const updates = frames.filter((f) => f.type === 'athletes').flatMap((f) => f.athletes!.map((a) => ({ ...a, sentAt: f.sentAt })));
    expect(updates.length).toBeGreaterThan(1);
    // Coalesced: far fewer updates than readings, and never two within 250 ms of each other.
    expect(updates.length).toBeLessThan(40);
    for (let i = 1; i < updates.length; i++) expect(updates[i]!.sentAt - updates[i - 1]!.sentAt).toBeGreaterThanOrEqual(240);
    // Nothing lost in the merge: the final update carries the newest reading and its sample time.
    expect(updates.at(-1)!.hr.bpm).toBe(139);
    expect(updates.at(-1)!.t).toBe(t0 + 39 * 25);
    ws.close();
  });
});

/** A socket whose send buffer we control, to model a tablet on a weak Wi-Fi link. */
class BufferedSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  sent: string[] = [];
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
}

describe('live feed back-pressure', () => {
  it('skips frames for a slow screen without holding them, keeps the fast one current, and resynchronises the slow one with a fresh snapshot', async () => {
    let bpm = 100;
    const source: LiveSource = {
      snapshot: () => ({ athletes: [{ id: 'a', hr: { bpm } }], session: null }),
      athlete: () => ({ id: 'a', hr: { bpm } }),
    };
    const feed = new LiveFeed(source, { maxUpdatesPerSecondPerAthlete: 1000, maxBufferedBytesPerClient: 10_000 });
    const fast = new BufferedSocket();
    const slow = new BufferedSocket();
    feed.attach(fast as unknown as WebSocket);
    feed.attach(slow as unknown as WebSocket);
    expect(fast.sent).toHaveLength(1);
    expect(slow.sent).toHaveLength(1);

    slow.bufferedAmount = 50_000;
    for (let i = 0; i < 20; i++) {
      bpm = 101 + i;
      feed.athleteChanged('a');
      await new Promise((r) => setTimeout(r, 3));
    }
    expect(fast.sent.length).toBeGreaterThan(10);
    expect(slow.sent).toHaveLength(1);
    expect(feed.framesSkipped).toBeGreaterThan(10);

    slow.bufferedAmount = 0;
    bpm = 150;
    feed.athleteChanged('a');
    await new Promise((r) => setTimeout(r, 5));
    const resync = JSON.parse(slow.sent.at(-1)!) as { type: string; athletes: { hr: { bpm: number } }[] };
    expect(resync.type).toBe('snapshot');
    expect(resync.athletes[0]!.hr.bpm).toBe(150);
    expect(JSON.parse(fast.sent.at(-1)!).athletes[0].hr.bpm).toBe(150);
    feed.close();
  });
});
