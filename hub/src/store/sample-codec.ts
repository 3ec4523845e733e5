/**
 * Packs a block of readings of one stream into a few hundred bytes: each field becomes an integer
 * column at a fixed resolution, stored as zigzag varint deltas and deflated. Readings change
 * slowly from one to the next, so the deltas are small and repeat, which deflate then squeezes.
 *
 * Resolutions: time 1 ms, HR 1 bpm, RR 1 ms, lat/lon 1e-7 degree (~1 cm), speed 1 cm/s,
 * HDOP 0.1, PlayerLoad increment 1e-4 AU, battery 1 %. Absent optional fields are stored as 0 and
 * present ones shifted by one.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Reading, ReadingStream } from '../ingest/ingest-contract.ts';

export const CODEC_V1 = 1;

class VarintWriter {
  private buf = Buffer.allocUnsafe(1024);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  /** Zigzag so small negative deltas stay one byte; safe for |v| < 2^52. */
  signed(v: number): void {
    this.unsigned(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  unsigned(v: number): void {
    this.ensure(8);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

class VarintReader {
  private pos = 0;
  private readonly buf: Uint8Array;

  constructor(buf: Uint8Array) {
    this.buf = buf;
  }

  unsigned(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('sample block is truncated');
      const byte = this.buf[this.pos++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 0x80;
    }
  }

  signed(): number {
    const v = this.unsigned();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }
}

interface Column<R> {
  get(r: R): number;
  set(r: R, v: number): void;
}

const optional = <R>(scale: number, get: (r: R) => number | undefined, set: (r: R, v: number | undefined) => void): Column<R> => ({
  get: (r) => {
    const v = get(r);
    return v === undefined ? 0 : Math.round(v * scale) + 1;
  },
  set: (r, v) => set(r, v === 0 ? undefined : (v - 1) / scale),
});

const required = <R>(scale: number, get: (r: R) => number, set: (r: R, v: number) => void): Column<R> => ({
  get: (r) => Math.round(get(r) * scale),
  set: (r, v) => set(r, v / scale),
});

type Mutable<R> = { -readonly [K in keyof R]: R[K] };

const COLUMNS: { [S in ReadingStream]: Column<Mutable<Extract<Reading, { stream: S }>>>[] } = {
  hr: [required(1, (r) => r.bpm, (r, v) => (r.bpm = v))],
  gnss: [
    required(1e7, (r) => r.lat, (r, v) => (r.lat = v)),
    required(1e7, (r) => r.lon, (r, v) => (r.lon = v)),
    optional(100, (r) => r.speed, (r, v) => (v === undefined ? delete r.speed : (r.speed = v))),
    optional(10, (r) => r.hdop, (r, v) => (v === undefined ? delete r.hdop : (r.hdop = v))),
    optional(1, (r) => r.sats, (r, v) => (v === undefined ? delete r.sats : (r.sats = v))),
  ],
  imu: [required(1e4, (r) => r.playerLoad, (r, v) => (r.playerLoad = v))],
  battery: [required(1, (r) => r.pct, (r, v) => (r.pct = v))],
};

/** Encodes readings of one stream (in arrival order) into a block body. */
export function encodeBlock(stream: ReadingStream, readings: readonly Reading[]): Buffer {
  const w = new VarintWriter();
  w.unsigned(readings.length);
  let prevT = 0;
  for (const r of readings) {
    w.signed(r.t - prevT);
    prevT = r.t;
  }
  const columns = COLUMNS[stream] as Column<Reading>[];
  for (const column of columns) {
    let prev = 0;
    for (const r of readings) {
      const v = column.get(r);
      w.signed(v - prev);
      prev = v;
    }
  }
  if (stream === 'hr') {
    let prev = 0;
    for (const r of readings as unknown as { rr: number[] }[]) {
      w.unsigned(r.rr.length);
      for (const rr of r.rr) {
        const v = Math.round(rr);
        w.signed(v - prev);
        prev = v;
      }
    }
  }
  return deflateRawSync(w.bytes(), { level: 6 });
}

export function decodeBlock(stream: ReadingStream, data: Uint8Array): Reading[] {
  const r = new VarintReader(inflateRawSync(data));
  const n = r.unsigned();
  const readings: Record<string, unknown>[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += r.signed();
    readings.push(stream === 'hr' ? { stream, t, rr: [] } : { stream, t });
  }
  for (const column of COLUMNS[stream] as Column<Record<string, unknown>>[]) {
    let v = 0;
    for (const reading of readings) {
      v += r.signed();
      column.set(reading, v);
    }
  }
  if (stream === 'hr') {
    let v = 0;
    for (const reading of readings) {
      const count = r.unsigned();
      const rr = reading.rr as number[];
      for (let i = 0; i < count; i++) {
        v += r.signed();
        rr.push(v);
      }
    }
  }
  return readings as unknown as Reading[];
}
