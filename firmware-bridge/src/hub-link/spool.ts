/**
 * The disk buffer of one adapter while the hub is unreachable: append-only JSON-lines segment files
 * in one folder, replayed oldest first, each record released only when the hub acknowledged it.
 *
 * Bounded by `maxBytes` with a named policy when full (reported in the bridge status):
 * - `drop-oldest` deletes the oldest segment (1/8 of the cap) to make room, so the newest data,
 *   the session staff are waiting for, survives a long outage;
 * - `drop-newest` refuses new records and keeps what is already spooled.
 * Either way every record lost is counted. A `cursor.json` remembers how far replay got, so a
 * restarted bridge resends at most the records of its last second.
 *
 * All I/O is synchronous and small (one append per flush, one segment read at a time): the spool
 * runs on the publishing path of one adapter and must never reorder.
 */
import { appendFileSync, mkdirSync, readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutgoingMessage } from './batcher.ts';

export const SPOOL_POLICIES = ['drop-oldest', 'drop-newest'] as const;
export type SpoolPolicy = (typeof SPOOL_POLICIES)[number];

export interface SpoolOptions {
  dir: string;
  maxBytes: number;
  policy: SpoolPolicy;
}

export interface SpoolStats {
  policy: SpoolPolicy;
  maxBytes: number;
  bytes: number;
  /** Records waiting for the hub. */
  records: number;
  /** Since start: records written, acknowledged after replay, lost to the cap, unreadable after a crash. */
  spooled: number;
  replayed: number;
  droppedWhenFull: number;
  corruptRecords: number;
}

/** A record handed out for sending; `ack` it once the hub acknowledged it. */
export interface SpoolRecord {
  segment: number;
  index: number;
  message: OutgoingMessage;
}

interface Segment {
  id: number;
  bytes: number;
  /** Records not yet acknowledged. */
  records: number;
}

interface Reader {
  segment: Segment;
  /** Parsed records after the cursor; null for a line that could not be read. */
  messages: (OutgoingMessage | null)[];
  /** Byte offset just after each record, for the cursor. */
  ends: number[];
  startOffset: number;
  acked: Uint8Array;
  /** Records [0, ackedPrefix) are all acknowledged. */
  ackedPrefix: number;
  /** Next record to hand out. */
  next: number;
}

const SEGMENT_FILE = /^(\d{10})\.jsonl$/;
const MIN_SEGMENT_BYTES = 512;
const CURSOR_FILE = 'cursor.json';

const segmentName = (id: number) => `${String(id).padStart(10, '0')}.jsonl`;

function parseRecord(line: string): OutgoingMessage | null {
  try {
    const value = JSON.parse(line) as unknown;
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') return { topic: value[0], payload: value[1] };
  } catch {
    // counted by the caller
  }
  return null;
}

export class Spool {
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #policy: SpoolPolicy;
  readonly #segmentBytes: number;
  /** Oldest first; the last one is being written. */
  readonly #segments: Segment[] = [];
  #pending: string[] = [];
  #bytes = 0;
  #records = 0;
  #reader: Reader | undefined;
  #cursor: { segment: number; offset: number };
  #savedCursor = '';
  readonly #counters = { spooled: 0, replayed: 0, droppedWhenFull: 0, corruptRecords: 0 };

  constructor(options: SpoolOptions) {
    this.#dir = options.dir;
    this.#maxBytes = options.maxBytes;
    this.#policy = options.policy;
    this.#segmentBytes = Math.max(MIN_SEGMENT_BYTES, Math.floor(options.maxBytes / 8));
    mkdirSync(this.#dir, { recursive: true });
    this.#cursor = this.#readCursor();
    const ids = readdirSync(this.#dir)
      .map((name) => SEGMENT_FILE.exec(name)?.[1])
      .filter((id): id is string => id !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    for (const id of ids) {
      const content = readFileSync(join(this.#dir, segmentName(id)));
      let from = 0;
      if (id === this.#cursor.segment) from = Math.min(this.#cursor.offset, content.length);
      else if (id < this.#cursor.segment) {
        // Fully replayed before a crash, but not yet deleted.
        unlinkSync(join(this.#dir, segmentName(id)));
        continue;
      }
      let records = 0;
      for (let i = from; i < content.length; i++) if (content[i] === 0x0a) records++;
      if (content.length > from && content[content.length - 1] !== 0x0a) records++;
      this.#segments.push({ id, bytes: content.length, records });
      this.#bytes += content.length;
      this.#records += records;
    }
    // Writing always starts a fresh segment, so every existing one is sealed and replayable.
    this.#segments.push({ id: (ids.at(-1) ?? 0) + 1, bytes: 0, records: 0 });
  }

  get isEmpty(): boolean {
    return this.#records === 0;
  }

  /** Appends one message; false when the cap and the drop-newest policy refused it. */
  append(message: OutgoingMessage): boolean {
    const line = `${JSON.stringify([message.topic, message.payload])}\n`;
    const size = Buffer.byteLength(line);
    while (this.#bytes + size > this.#maxBytes) {
      if (this.#policy === 'drop-newest' || !this.#dropOldest()) {
        this.#counters.droppedWhenFull++;
        return false;
      }
    }
    let writer = this.#segments.at(-1)!;
    if (writer.bytes + size > this.#segmentBytes && writer.bytes > 0) writer = this.#seal();
    this.#pending.push(line);
    writer.bytes += size;
    writer.records++;
    this.#bytes += size;
    this.#records++;
    this.#counters.spooled++;
    return true;
  }

  /** The next records to send, oldest first, at most `max`, never crossing into a newer segment. */
  take(max: number): SpoolRecord[] {
    const out: SpoolRecord[] = [];
    for (let guard = 0; out.length === 0 && guard < this.#segments.length + 1; guard++) {
      const reader = this.#reader ?? this.#openReader();
      if (!reader) return out;
      while (reader.next < reader.messages.length && out.length < max) {
        const index = reader.next++;
        if (reader.acked[index]) continue;
        const message = reader.messages[index];
        if (message) out.push({ segment: reader.segment.id, index, message });
      }
      if (out.length > 0 || reader.ackedPrefix < reader.messages.length) return out;
      this.#finishReader();
    }
    return out;
  }

  ack(record: SpoolRecord): void {
    const reader = this.#reader;
    if (!reader || reader.segment.id !== record.segment || reader.acked[record.index]) return;
    reader.acked[record.index] = 1;
    reader.segment.records--;
    this.#records--;
    this.#counters.replayed++;
    while (reader.ackedPrefix < reader.messages.length && reader.acked[reader.ackedPrefix]) reader.ackedPrefix++;
    if (reader.ackedPrefix === reader.messages.length) this.#finishReader();
  }

  /** Records handed out but not acknowledged (the connection dropped) will be handed out again. */
  rewind(): void {
    if (this.#reader) this.#reader.next = this.#reader.ackedPrefix;
  }

  /** Writes buffered records and the replay cursor to disk. */
  flush(): void {
    if (this.#pending.length > 0) {
      appendFileSync(join(this.#dir, segmentName(this.#segments.at(-1)!.id)), this.#pending.join(''));
      this.#pending = [];
    }
    const reader = this.#reader;
    if (reader) this.#cursor = { segment: reader.segment.id, offset: reader.ackedPrefix > 0 ? reader.ends[reader.ackedPrefix - 1]! : reader.startOffset };
    const text = JSON.stringify(this.#cursor);
    if (text !== this.#savedCursor) {
      const path = join(this.#dir, CURSOR_FILE);
      writeFileSync(`${path}.tmp`, text);
      renameSync(`${path}.tmp`, path);
      this.#savedCursor = text;
    }
  }

  stats(): SpoolStats {
    return { policy: this.#policy, maxBytes: this.#maxBytes, bytes: this.#bytes, records: this.#records, ...this.#counters };
  }

  #readCursor(): { segment: number; offset: number } {
    try {
      const value = JSON.parse(readFileSync(join(this.#dir, CURSOR_FILE), 'utf8')) as { segment?: unknown; offset?: unknown };
      if (Number.isInteger(value.segment) && Number.isInteger(value.offset)) return { segment: value.segment as number, offset: value.offset as number };
    } catch {
      // no cursor yet, or a torn one: replay each remaining segment from its start
    }
    return { segment: 0, offset: 0 };
  }

  /** Closes the segment being written and starts the next one. */
  #seal(): Segment {
    this.flush();
    const next: Segment = { id: this.#segments.at(-1)!.id + 1, bytes: 0, records: 0 };
    this.#segments.push(next);
    return next;
  }

  #openReader(): Reader | undefined {
    let segment = this.#segments[0]!;
    if (segment === this.#segments.at(-1)) {
      if (segment.records === 0) return undefined;
      this.#seal();
      segment = this.#segments[0]!;
    }
    const content = readFileSync(join(this.#dir, segmentName(segment.id)));
    const startOffset = segment.id === this.#cursor.segment ? Math.min(this.#cursor.offset, content.length) : 0;
    const messages: (OutgoingMessage | null)[] = [];
    const ends: number[] = [];
    let offset = startOffset;
    const lines = content.subarray(startOffset).toString('utf8').split('\n');
    // The last piece is empty when the file ends in a newline, and a torn record otherwise.
    const torn = lines.pop()!;
    for (const line of lines) {
      offset += Buffer.byteLength(line) + 1;
      if (line === '') continue;
      messages.push(parseRecord(line));
      ends.push(offset);
    }
    if (torn !== '') {
      messages.push(null);
      ends.push(content.length);
    }
    const acked = new Uint8Array(messages.length);
    messages.forEach((message, i) => {
      if (message) return;
      // A line torn by a crash: counted, and treated as done so replay moves on.
      acked[i] = 1;
      segment.records--;
      this.#records--;
      this.#counters.corruptRecords++;
    });
    const reader: Reader = { segment, messages, ends, startOffset, acked, ackedPrefix: 0, next: 0 };
    while (reader.ackedPrefix < messages.length && acked[reader.ackedPrefix]) reader.ackedPrefix++;
    this.#reader = reader;
    return reader;
  }

  #finishReader(): void {
    const reader = this.#reader!;
    this.#reader = undefined;
    this.#removeOldest(reader.segment);
    this.#cursor = { segment: this.#segments[0]!.id, offset: 0 };
  }

  /** Frees the oldest sealed segment for the cap; false when nothing but the current one is left. */
  #dropOldest(): boolean {
    if (this.#segments.length === 1) {
      if (this.#segments[0]!.bytes === 0) return false;
      this.#seal();
    }
    const oldest = this.#segments[0]!;
    if (this.#reader?.segment === oldest) this.#reader = undefined;
    this.#counters.droppedWhenFull += oldest.records;
    this.#records -= oldest.records;
    this.#removeOldest(oldest);
    this.#cursor = { segment: this.#segments[0]!.id, offset: 0 };
    return true;
  }

  #removeOldest(segment: Segment): void {
    this.#segments.shift();
    this.#bytes -= segment.bytes;
    try {
      unlinkSync(join(this.#dir, segmentName(segment.id)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

}
