import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../src/hub-link/batcher.ts';
import { Spool, type SpoolRecord } from '../src/hub-link/spool.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'touchline-spool-test-'));
  dirs.push(dir);
  return dir;
}

const message = (i: number): OutgoingMessage => ({ topic: `touchline/v1/sensors/s-${i % 3}/hr`, payload: JSON.stringify({ t: 1_700_000_000_000 + i, bpm: 60 + (i % 100) }) });
/** Each record is one JSON line: ["topic","payload"]\n. */
const recordBytes = (i: number) => Buffer.byteLength(`${JSON.stringify([message(i).topic, message(i).payload])}\n`);

/** Takes and acknowledges everything, `window` at a time, as the outbox does. */
function drain(spool: Spool, window = 5): OutgoingMessage[] {
  const out: OutgoingMessage[] = [];
  for (let batch = spool.take(window); batch.length > 0; batch = spool.take(window)) {
    for (const record of batch) {
      out.push(record.message);
      spool.ack(record);
    }
  }
  return out;
}

describe('spool', () => {
  it('replays oldest first across segments and is empty after every record was acknowledged', () => {
    const spool = new Spool({ dir: folder(), maxBytes: 20_000, policy: 'drop-oldest' });
    for (let i = 0; i < 200; i++) spool.append(message(i));
    expect(spool.stats().records).toBe(200);
    expect(drain(spool)).toEqual(Array.from({ length: 200 }, (_, i) => message(i)));
    expect(spool.isEmpty).toBe(true);
    expect(spool.stats()).toMatchObject({ records: 0, spooled: 200, replayed: 200, droppedWhenFull: 0, bytes: 0 });
  });

  it('hands records out again after a dropped link, except those already acknowledged', () => {
    const spool = new Spool({ dir: folder(), maxBytes: 100_000, policy: 'drop-oldest' });
    for (let i = 0; i < 6; i++) spool.append(message(i));
    const first = spool.take(4);
    spool.ack(first[0]!);
    spool.ack(first[2]!); // out of order, as PUBACKs may come
    spool.rewind();
    const again: SpoolRecord[] = spool.take(10);
    expect(again.map((r) => r.message)).toEqual([message(1), message(3), message(4), message(5)]);
  });

  it('drop-oldest: deletes the oldest records to make room and counts them', () => {
    const size = recordBytes(0);
    const spool = new Spool({ dir: folder(), maxBytes: size * 40, policy: 'drop-oldest' });
    for (let i = 0; i < 100; i++) spool.append(message(i));
    const stats = spool.stats();
    expect(stats.bytes).toBeLessThanOrEqual(size * 40);
    expect(stats.droppedWhenFull + stats.records).toBe(100);
    expect(stats.droppedWhenFull).toBeGreaterThan(0);
    const kept = drain(spool);
    // What is left is the newest, contiguous and in order.
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => message(100 - kept.length + i)));
  });

  it('drop-newest: refuses new records once full and keeps the oldest', () => {
    const size = recordBytes(0);
    const spool = new Spool({ dir: folder(), maxBytes: size * 40, policy: 'drop-newest' });
    const accepted = Array.from({ length: 100 }, (_, i) => spool.append(message(i)));
    expect(accepted.filter(Boolean)).toHaveLength(40);
    expect(spool.stats()).toMatchObject({ records: 40, droppedWhenFull: 60, policy: 'drop-newest' });
    expect(drain(spool)).toEqual(Array.from({ length: 40 }, (_, i) => message(i)));
  });

  it('survives a restart: unsent records are replayed, acknowledged ones are not', () => {
    const dir = folder();
    const before = new Spool({ dir, maxBytes: 100_000, policy: 'drop-oldest' });
    for (let i = 0; i < 30; i++) before.append(message(i));
    const sent = before.take(10);
    for (const record of sent) before.ack(record);
    before.flush();
    const after = new Spool({ dir, maxBytes: 100_000, policy: 'drop-oldest' });
    expect(after.stats().records).toBe(20);
    expect(drain(after)).toEqual(Array.from({ length: 20 }, (_, i) => message(10 + i)));
    // Replayed segments are deleted.
    expect(readdirSync(dir).filter((name) => name.endsWith('.jsonl'))).toEqual([]);
  });

  it('counts and skips a record torn by a crash, and replays the rest', () => {
    const dir = folder();
    const before = new Spool({ dir, maxBytes: 100_000, policy: 'drop-oldest' });
    for (let i = 0; i < 3; i++) before.append(message(i));
    before.flush();
    const segment = readdirSync(dir).find((name) => name.endsWith('.jsonl'))!;
    appendFileSync(join(dir, segment), 'not json at all\n["touchline/v1/sensors/s-0/hr","{\\"bpm"');
    const after = new Spool({ dir, maxBytes: 100_000, policy: 'drop-oldest' });
    expect(drain(after)).toEqual([message(0), message(1), message(2)]);
    expect(after.stats().corruptRecords).toBe(2);
    expect(after.isEmpty).toBe(true);
  });
});
